import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotesRenderer } from '../../../src/core/render/renderNotes';
import { MathRenderCache } from '../../../src/core/render/mathCache';

const NOTE = [
  '# Lecture 8', //                           0
  '', //                                      1
  'Loss $L(\\theta) = \\frac{1}{n}\\sum_i \\ell_i$ and $x^2$.', // 2
  '', //                                      4
  '$$', //                                    4
  '\\hat y = \\sigma(Wx + b)', //             5
  '$$', //                                    6
  '', //                                      7
  '## Dropout', //                            8
  '', //                                      9
  'Why scale by $1/(1-p)$? TODO: check the eval convention.', // 10
  '', //                                      11
  '- [ ] read the paper', //                  12
  '- item with $y$', //                       13
].join('\n');

const katexCount = (html: string): number => (html.match(/class="katex"/g) ?? []).length;

test('every block carries data-line with its first source line', () => {
  const { html } = new NotesRenderer().render(NOTE);
  assert.match(html, /<h1 data-line="0" class="code-line">Lecture 8<\/h1>/);
  assert.match(html, /<p data-line="2" class="code-line">Loss /);
  assert.match(html, /<div class="katex-block code-line" data-line="4">/);
  assert.match(html, /<h2 data-line="8" class="code-line">Dropout<\/h2>/);
  assert.match(html, /<li data-line="12" class="code-line">/);
  assert.match(html, /<li data-line="13" class="code-line">/);
});

test('math is rendered by KaTeX, inline and display', () => {
  const out = new NotesRenderer().render(NOTE);
  assert.equal(out.formulas, 5);
  assert.equal(out.mathErrors, 0);
  assert.equal(katexCount(out.html), 5);
  assert.match(out.html, /class="katex-display"/);
  assert.doesNotMatch(out.html, /katex-error/);
});

test('open TODOs become clickable badges; task items replace their box', () => {
  const out = new NotesRenderer().render(NOTE);
  assert.equal(out.todoBadges, 2);
  assert.match(out.html, /<button type="button" class="lectern-todo lectern-todo-open" data-todo-id="[^"]+" title="[^"]*check the eval convention[^"]*">TODO<\/button>: check the eval convention\./);
  assert.match(out.html, /<li data-line="12" class="code-line"><button type="button" class="lectern-todo lectern-todo-open"[^>]*>☐<\/button>read the paper<\/li>/);
});

test('resolved TODOs show a resolved badge with the answer, without the strike-through', () => {
  const src = 'Why? ~~TODO~~: why is it so? **Answer: because of \\*scaling\\***\n\n- [x] read it **Answer: done**\n';
  const out = new NotesRenderer().render(src);
  assert.equal(out.todoBadges, 2);
  assert.match(out.html, /<span class="lectern-todo lectern-todo-resolved" data-todo-id="[^"]+" title="Resolved: because of \*scaling\*">✓ TODO<\/span>: why is it so\? <strong>Answer: because of \*scaling\*<\/strong>/);
  assert.doesNotMatch(out.html, /<s>/);
  assert.match(out.html, /lectern-todo-resolved[^>]*>☑<\/span>read it/);
});

test('non-interactive rendering (export) has no buttons', () => {
  const out = new NotesRenderer().render(NOTE, { interactive: false });
  assert.doesNotMatch(out.html, /<button/);
  assert.match(out.html, /<span class="lectern-todo lectern-todo-open"/);
});

test('demo buttons appear after the headings the caller maps to a demo', () => {
  const out = new NotesRenderer().render(NOTE, { demoForSection: (s) => (s.title === 'Dropout' ? 'dropout' : undefined) });
  assert.match(out.html, /<h2 data-line="8" class="code-line">Dropout<\/h2>\n<button type="button" class="lectern-demo" data-demo="dropout" data-section-index="\d+"/);
  assert.equal((out.html.match(/lectern-demo/g) ?? []).length, 1);
  assert.doesNotMatch(new NotesRenderer().render(NOTE).html, /lectern-demo/);
});

test('a one-character edit inside one formula re-renders exactly that formula', () => {
  const renderer = new NotesRenderer({ cache: new MathRenderCache() });
  const first = renderer.render(NOTE);
  assert.equal(first.formulasRendered, 5);
  const again = renderer.render(NOTE);
  assert.equal(again.formulasRendered, 0);
  const edited = renderer.render(NOTE.replace('$x^2$', '$x^3$'));
  assert.equal(edited.formulasRendered, 1);
  assert.equal(edited.formulas, 5);
  const textEdit = renderer.render(NOTE.replace('Loss', 'Risk'));
  assert.equal(textEdit.formulasRendered, 0);
  assert.ok(renderer.cache.stats().hits >= 14);
});

test('changing macros re-renders (macros are part of the cache key)', () => {
  const renderer = new NotesRenderer({ macros: { '\\RR': '\\mathbb{R}' } });
  const withMacro = renderer.render('$\\RR$');
  assert.equal(withMacro.mathErrors, 0);
  assert.match(withMacro.html, /mathbb/);
  renderer.setMacros({ '\\RR': '\\mathcal{R}' });
  const changed = renderer.render('$\\RR$');
  assert.equal(changed.formulasRendered, 1);
  assert.match(changed.html, /mathcal/);
  renderer.setMacros({});
  const without = renderer.render('$\\RR$');
  assert.equal(without.mathErrors, 1);
});

test('KaTeX errors render inline, red class, with KaTeX message and position', () => {
  const out = new NotesRenderer().render('Broken $\\frac{a}{$ here and $\\badmacro x$.\n');
  assert.equal(out.mathErrors, 2);
  assert.match(out.html, /<span class="katex-error" title="\\badmacro x">KaTeX parse error: Undefined control sequence: \\badmacro at position 1: /);
  const block = new NotesRenderer().render('$$\n\\left( x\n$$\n');
  assert.match(block.html, /<div class="katex-block katex-block-error code-line" data-line="0"><div class="katex-error"/);
});

test('the $ false-positive list', () => {
  const cases: Array<[string, number]> = [
    ['Call `$.getJSON(url)` or $.getJSON(url) in jQuery.', 0],
    ['It costs \\$5 and \\$10.', 0],
    ['It costs $5 and $10 today.', 0],
    ['Shell: `echo $HOME` and `$PATH`.', 0],
    ['```sh\necho $HOME $(pwd) $x^2$\n```', 0],
    ['    indented $x^2$ code', 0],
    ['$x^2$ is math', 1],
    ['inline $a$, $b$ and $$c$$', 3],
  ];
  for (const [src, expected] of cases) {
    const out = new NotesRenderer().render(src);
    assert.equal(out.formulas, expected, `${JSON.stringify(src)} → ${out.formulas} formulas`);
    assert.equal(katexCount(out.html), expected, src);
  }
});

test('raw HTML from a note never reaches the output as markup', () => {
  const hostile = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<iframe src="https://evil.example"></iframe>',
    '[click](javascript:alert(1))',
    '![x](javascript:alert(1))',
    '<a href="javascript:alert(1)">x</a>',
    '$\\href{javascript:alert(1)}{x}$',
    '$\\htmlData{onload=alert(1)}{x}$',
    '$\\url{javascript:alert(1)}$',
    '```\n</code></pre><script>alert(1)</script>\n```',
    '$</span><script>alert(1)</script>$',
    '<!-- --><script>alert(1)</script>',
  ].join('\n\n');
  const { html } = new NotesRenderer().render(hostile);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<iframe/i);
  assert.doesNotMatch(html, /<img[^>]*onerror/i);
  assert.doesNotMatch(html, /href="javascript:/i);
  assert.doesNotMatch(html, /src="javascript:/i);
  assert.doesNotMatch(html, /<a href="javascript/i);
});

test('relative image sources go through the resolver, remote ones stay', () => {
  const seen: string[] = [];
  const out = new NotesRenderer().render('![a](img/fig.png) ![b](https://example.com/x.png)', {
    resolveImageSrc: (src) => {
      seen.push(src);
      return src.startsWith('http') ? undefined : `vscode-resource:/notes/${src}`;
    },
  });
  assert.deepEqual(seen, ['img/fig.png', 'https://example.com/x.png']);
  assert.match(out.html, /src="vscode-resource:\/notes\/img\/fig.png"/);
  assert.match(out.html, /src="https:\/\/example.com\/x.png"/);
});

test('front matter and HTML comments are not shown', () => {
  const { html } = new NotesRenderer().render('---\ntitle: x\n---\n# H\n\n<!-- lectern-demo: dropout -->\n\ntext <!-- note --> more\n');
  assert.doesNotMatch(html, /title: x/);
  assert.doesNotMatch(html, /lectern-demo:/);
  assert.doesNotMatch(html, /&lt;!--/);
  assert.match(html, /<h1 data-line="3" class="code-line">H<\/h1>/);
  assert.match(html, /text {2}more/);
});

test('never throws on junk', () => {
  const renderer = new NotesRenderer();
  const junk = ['', '\u0000\u0001\uFFFF', '$', '$$', '$$$$', '`'.repeat(1000), '['.repeat(5000), '> '.repeat(200) + 'x', '- '.repeat(300) + '$x$', 'TODO TODO TODO'];
  for (const src of junk) assert.doesNotThrow(() => renderer.render(src), JSON.stringify(src.slice(0, 20)));
});
