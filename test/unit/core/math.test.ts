import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMath, createMarkdownEngine, mathContentToSource, parseNotes } from '../../../src/core';
import katex from 'katex';

function spans(text: string) {
  return parseNotes(text).math.map((m) => ({ display: m.display, content: m.content, source: text.slice(m.span.startOffset, m.span.endOffset) }));
}

/** 1-based "line:col" of each KaTeX error and the source text at that spot. */
function errorsAt(text: string, macros?: Record<string, string>): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  return checkMath(text, { macros }).map((e) => {
    const { line, character } = e.range.start;
    const end = e.range.end.line === line ? e.range.end.character : lines[line].length;
    return `${line + 1}:${character + 1} ${lines[line].slice(character, end)}`;
  });
}

test("delimiters follow VS Code's preview: escaped dollars, prices and jQuery are not math", () => {
  assert.deepEqual(spans('Costs \\$5 and \\$6.'), []);
  assert.deepEqual(spans('Call $.getJSON(url) first.'), []);
  assert.deepEqual(spans('I paid 5$ and 6$ today'), []);
  assert.deepEqual(spans('$x^2$ and $$y$$ and $ spaced $'), [
    { display: false, content: 'x^2', source: '$x^2$' },
    { display: true, content: 'y', source: '$$y$$' },
    { display: false, content: ' spaced ', source: '$ spaced $' },
  ]);
  assert.deepEqual(spans('```math\nE = mc^2\n```'), [{ display: true, content: 'E = mc^2\n', source: '```math\nE = mc^2\n```' }]);
  assert.deepEqual(spans('`$x$` in code'), []);
});

test('inline math spans in list items and blockquotes map to the source', () => {
  const text = '- item with $a+b$\n  and $c$ on a continuation\n> quoted $d$\n> > nested $e$';
  assert.deepEqual(
    spans(text).map((s) => s.source),
    ['$a+b$', '$c$', '$d$', '$e$'],
  );
});

test('errors point at the offending token, not the start of the formula', () => {
  assert.deepEqual(errorsAt('Text $a + \\foo + b$ text.'), ['1:11 \\foo']);
  assert.deepEqual(errorsAt('$$\n\\frac{1}{2} + \\undefinedmacro\n$$'), ['2:15 \\undefinedmacro']);
  assert.deepEqual(errorsAt('Fine $x$ and $y^{2}$.'), []);
});

test('multi-line display math inside blockquotes and list items: prefixes are accounted for', () => {
  assert.deepEqual(errorsAt('> $$\n> a +\n> b + \\bad\n> $$'), ['3:7 \\bad']);
  assert.deepEqual(errorsAt('- item\n\n  $$\n  x = 1 \\\\\n  y = \\nope\n  $$'), ['5:7 \\nope']);
  assert.deepEqual(errorsAt('Para $a +\n   \\oops$ end'), ['2:4 \\oops']);
  assert.deepEqual(errorsAt('> para $a +\n> b \\zzz$'), ['2:5 \\zzz']);
});

test('CRLF files report the same line and column', () => {
  const lf = 'a\n\n$$\nx + \\bad\n$$\n';
  assert.deepEqual(errorsAt(lf.replace(/\n/g, '\r\n')), errorsAt(lf));
  assert.deepEqual(errorsAt(lf), ['4:5 \\bad']);
});

test('macros are used and copied: a note-wide \\gdef holds for later formulas of that note only', () => {
  assert.deepEqual(errorsAt('$\\RR$', { '\\RR': '\\mathbb{R}' }), []);
  assert.equal(errorsAt('$\\RR$').length, 1);
  const macros = { '\\RR': '\\mathbb{R}' };
  errorsAt('$\\gdef\\leak{x}\\RR$ and $\\leak$', macros);
  assert.deepEqual(Object.keys(macros), ['\\RR'], 'the caller’s macros are not mutated');
  // One macro scope per note, as VS Code's preview (globalGroup): later formulas see the \gdef…
  assert.equal(errorsAt('$\\gdef\\leak{x}$ then $\\leak$').length, 0, 'a top-level \\gdef holds for the rest of the note');
  // …earlier ones and other notes do not.
  assert.equal(errorsAt('$\\leak$ then $\\gdef\\leak{x}$').length, 1);
  assert.equal(errorsAt('$\\leak$').length, 1);
});

test('an expansion bomb is an error, not a hang', () => {
  const bomb = '$\\def\\a{\\b\\b}\\def\\b{\\c\\c}\\def\\c{\\d\\d}\\def\\d{\\e\\e}\\def\\e{\\f\\f}\\def\\f{\\g\\g}\\def\\g{\\h\\h}\\def\\h{\\i\\i}\\def\\i{\\j\\j}\\def\\j{xx}\\a\\a\\a$';
  assert.equal(checkMath(bomb).length, 1);
});

test('mathContentToSource follows segments across prefixed lines', () => {
  const text = '> $$\n> ab\n> cd\n> $$';
  const [m] = parseNotes(text).math;
  assert.equal(m.content, 'ab\ncd\n');
  assert.equal(text[mathContentToSource(m, 0)], 'a');
  assert.equal(text[mathContentToSource(m, 3)], 'c');
  assert.equal(text[mathContentToSource(m, 4)], 'd');
});

test('the engine renders math with KaTeX, hides front matter and escapes HTML', () => {
  const md = createMarkdownEngine({ macros: { '\\RR': '\\mathbb{R}' }, katex });
  const html = md.render('---\ntitle: x\n---\n# T\n\n$\\RR$ <script>alert(1)</script> \\href{javascript:alert(1)}{x}\n\n$$\\href{javascript:alert(1)}{y}$$');
  assert.ok(!html.includes('title: x'));
  assert.ok(html.includes('class="katex"'));
  assert.ok(html.includes('&lt;script&gt;'));
  assert.ok(!html.includes('href="javascript'), 'KaTeX trust is off');
  assert.ok(!/<script/.test(html));
});
