import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMath } from '../../../src/core';
import { NotesRenderer } from '../../../src/core/render/renderNotes';
import { anchorId, planNoteMath } from '../../../src/core/render/noteMath';

/** Notes written the way the public course notes of the real-world test are (in my own words). */

test('a macro defined in a formula holds for the rest of the note, not before it (VS Code globalGroup)', () => {
  const note = ['Early use: $\\Pr(x)$', '', '$$\\newcommand{\\Pr}{P}\\def\\eps{\\varepsilon}$$', '', 'Later: $\\Pr(\\eps)$ and $\\eps^2$.'].join('\n');
  const errors = checkMath(note);
  // \Pr exists in KaTeX: the \newcommand is refused once, at its name; \eps works everywhere after.
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'refused-definition');
  assert.equal(errors[0].range.start.line, 2);
  assert.equal(note.split('\n')[2].slice(errors[0].range.start.character, errors[0].range.end.character), '\\Pr');
});

test('a Typora-style preamble is applied definition by definition: one refused definition is one error', () => {
  const preamble = '$$\n\\newcommand{\\RR}{\\mathbb{R}}\n\\newcommand{\\char}{\\chi}\n\\newcommand{\\opn}{\\operatorname}\n\\DeclareMathOperator{\\tr}{tr}\n$$';
  const note = `${preamble}\n\n$x \\in \\RR$, $\\opn{rank} A$, $\\tr A$, $\\char_S$\n\n$$\\RR^n \\to \\RR$$\n`;
  const errors = checkMath(note);
  assert.deepEqual(
    errors.map((e) => [e.code, e.range.start.line]),
    [['refused-definition', 2]],
  );
  assert.match(errors[0].message, /\\char already exists/);
  const html = new NotesRenderer().render(note).html;
  assert.doesNotMatch(html.split('</div>').slice(1).join(''), /katex-error/, 'only the preamble shows the refusal');
});

test('an undefined macro is reported once, at its first use, with the count of the others', () => {
  const note = '$\\Var(X)$ and $\\Var(Y)$ and $\\Var(Z)$ but $\\nope$';
  const errors = checkMath(note);
  assert.deepEqual(
    errors.map((e) => [e.code, e.macro, e.range.start.character]),
    [
      ['undefined-macro', '\\Var', 1],
      ['undefined-macro', '\\nope', 43],
    ],
  );
  assert.match(errors[0].message, /used in 3 formulas/);
});

test('settings/preamble macros come first; the note may redefine them later with \\renewcommand', () => {
  const note = '$\\R$\n\n$$\\renewcommand{\\R}{\\mathcal{R}}$$\n\n$\\R$';
  const plans = planNoteMath(
    [
      { content: '\\R', display: false },
      { content: '\\renewcommand{\\R}{\\mathcal{R}}', display: true },
      { content: '\\R', display: false },
    ],
    { '\\R': '\\mathbb{R}' },
  );
  assert.equal(plans[0].macros['\\R'], '\\mathbb{R}');
  assert.equal(plans[2].macros['\\R'], '\\mathcal{R}');
  assert.notEqual(plans[0].key, plans[2].key, 'editing a definition changes the cache key of the formulas after it');
  assert.equal(plans[1].tex.trim(), '', 'the definition is blanked out of its formula');
  assert.equal(plans[1].tex.length, '\\renewcommand{\\R}{\\mathcal{R}}'.length, 'positions are kept');
  assert.deepEqual(checkMath(note, { macros: { '\\R': '\\mathbb{R}' } }), []);
});

test('a definition inside a group stays local to its formula; a broken one is one error in place', () => {
  const errors = checkMath('$\\text{x}{\\def\\a{1}\\a}$ then $\\a$\n\n$$\\newcommand{\\b}{x$$');
  assert.equal(errors.length, 2);
  assert.equal(errors[0].macro, '\\a');
  assert.equal(errors[1].range.start.line, 2);
});

test('\\label numbers display equations; \\eqref and \\ref print the number, and a lone reference links', () => {
  const note = [
    '$$E = mc^2 \\label{eq:energy}$$',
    '',
    '$$a = b \\tag{*} \\label{eq:star}$$',
    '',
    '$$\\begin{align} x &= 1 \\label{eq:x} \\\\ y &= 2 \\end{align}$$',
    '',
    'By $\\eqref{eq:energy}$, see also $(\\ref{eq:x})$ and $\\eqref{eq:star}$; $\\eqref{missing}$.',
  ].join('\n');
  const errors = checkMath(note);
  assert.deepEqual(
    errors.map((e) => e.code),
    ['unknown-label'],
  );
  const html = new NotesRenderer().render(note).html;
  assert.match(html, new RegExp(`id="${anchorId('eq:energy')}"`));
  assert.match(html, new RegExp(`<a class="lectern-eqref" href="#${anchorId('eq:energy')}">`));
  const blocks = html.split('</div>').map((b) => b.replace(/<annotation[\s\S]*?<\/annotation>/g, '').replace(/<[^>]+>/g, ''));
  assert.match(blocks[0], /\(1\)$/, 'equation 1 is tagged (1)');
  assert.match(blocks[2], /\(2\)/, 'the align row is equation 2');
  assert.match(html, />\(\*\)</, 'an explicit \\tag is the reference text');
  assert.match(html, /\(\?\?\)/, 'an unknown label shows (??)');
});

test('the same formula renders the same way twice (label macros keep no state between renders)', () => {
  const renderer = new NotesRenderer();
  const note = '$$x \\label{a}$$\n\n$$y \\label{b}$$';
  const first = renderer.render(note).html;
  renderer.cache.clear();
  assert.equal(renderer.render(note).html, first);
});

test('\\let at the top level of a formula holds for the rest of the note, copying the meaning it has then', () => {
  const note = [
    '$$\\let\\eps\\varepsilon \\newcommand{\\sq}[1]{#1^2} \\let\\square=\\sq \\global\\let\\two = 2$$',
    '',
    'Then $\\eps$, $\\square{x}$, $\\two$.',
    '',
    '$$\\renewcommand{\\sq}[1]{#1^3}$$',
    '',
    '$\\square{y}$ keeps the meaning \\square had when it was let.',
    '',
    '$${\\let\\inner\\alpha \\inner}$$',
    '',
    'and $\\inner$',
  ].join('\n');
  const plans = planNoteMath(
    [...note.matchAll(/\$\$([\s\S]*?)\$\$|\$([^$]*)\$/g)].map((m) => ({ content: m[1] ?? m[2], display: m[1] !== undefined })),
  );
  assert.equal(plans[1].macros['\\eps'], '\\varepsilon');
  assert.equal(plans[1].macros['\\square'], '#1^2');
  assert.equal(plans[1].macros['\\two'], '2');
  assert.equal(plans[0].tex.trim(), '', 'every definition is blanked out of the preamble formula');
  assert.equal(plans[5].macros['\\square'], '#1^2', '\\let copies, it does not alias');
  assert.equal(plans[5].macros['\\sq'], '#1^3');
  // A \let inside a group stays local, as in KaTeX with globalGroup: the later use is undefined.
  assert.deepEqual(
    checkMath(note).map((e) => [e.code, e.macro]),
    [['undefined-macro', '\\inner']],
  );
});
