import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FORMULA_LENGTH, MathRenderCache, renderFormula } from '../../../src/core/render/mathCache';
import { renderMathSvg } from '../../../src/core/render/mathSvg';
import { NotesRenderer } from '../../../src/core/render/renderNotes';

// KaTeX runs synchronously: a hostile formula that did not stop would hang this test, so each case
// also carries a generous timeout as a hang guard (not a performance assertion).
const HANG_GUARD = { timeout: 20_000 };

const EXPANSION_BOMBS: Array<[string, string]> = [
  ['self-recursive \\def', '\\def\\a{\\a\\a}\\a'],
  ['doubling \\def with argument (CVE-2024-28243)', '\\def\\a#1{\\a{#1#1}}\\a{x}'],
  ['\\edef bomb', '\\def\\a{x}\\edef\\a{\\a\\a}\\edef\\a{\\a\\a}' + '\\edef\\a{\\a\\a}'.repeat(60) + '\\a'],
  ['\\newcommand recursion', '\\newcommand{\\b}{\\b\\b}\\b'],
  ['\\gdef loop', '\\gdef\\c{\\c}\\c'],
  ['unicode sub/superscripts bypass (CVE-2024-28244)', '\\def\\a{\\a}' + '\u2070'.repeat(50) + '\\a'],
  ['\\let recursion', '\\def\\d{\\e}\\let\\e\\d\\d'],
];

for (const [name, tex] of EXPANSION_BOMBS) {
  test(`expansion bomb ends with an error: ${name}`, HANG_GUARD, () => {
    const result = renderFormula(tex, false, {});
    assert.ok(result.error, `expected an error for ${tex.slice(0, 40)}`);
    assert.match(result.html, /katex-error/);
    const svg = renderMathSvg(tex, false, {});
    assert.equal(svg.ok, false);
  });
}

test('deep nesting ends with an error or output, never an exception', HANG_GUARD, () => {
  for (const tex of ['{'.repeat(20000) + 'x' + '}'.repeat(20000), '\\sqrt{'.repeat(3000) + 'x' + '}'.repeat(3000), 'x^{'.repeat(3000) + '1' + '}'.repeat(3000)]) {
    assert.doesNotThrow(() => renderFormula(tex, false, {}));
    assert.doesNotThrow(() => renderMathSvg(tex, true, {}));
  }
});

test('huge \\rule is capped by maxSize', HANG_GUARD, () => {
  const result = renderFormula('\\rule{100000em}{100000em}', true, {});
  assert.equal(result.error, undefined);
  assert.doesNotMatch(result.html, /(width|height):100000em/);
  assert.match(result.html, /border-right-width:50em/);
});

test('formulas over the length limit are refused before KaTeX', () => {
  const tex = 'x+'.repeat(MAX_FORMULA_LENGTH);
  const result = renderFormula(tex, false, {});
  assert.match(result.error ?? '', /too long/);
  const svg = renderMathSvg(tex, false, {});
  assert.equal(svg.ok, false);
});

test('trust stays off: \\href, \\url, \\includegraphics, \\htmlClass produce no live markup', () => {
  for (const tex of ['\\href{javascript:alert(1)}{x}', '\\url{https://example.com}', '\\includegraphics{x.png}', '\\htmlClass{x}{y}', '\\htmlStyle{color:red}{y}']) {
    const { html } = renderFormula(tex, false, {});
    assert.doesNotMatch(html, /<a |<img |class="x"|style="color:red"/, tex);
  }
});

test('a \\gdef inside one formula does not leak into the next (macros are copied)', () => {
  const macros = { '\\R': '\\mathbb{R}' };
  renderFormula('\\gdef\\leak{x}\\leak', false, macros);
  assert.deepEqual(macros, { '\\R': '\\mathbb{R}' });
  assert.ok(renderFormula('\\leak', false, macros).error);
});

test('a hostile note renders completely, with errors in place of the bombs', HANG_GUARD, () => {
  const note = EXPANSION_BOMBS.map(([, tex]) => `$${tex}$`).join('\n\n') + '\n\n$x^2$\n';
  const out = new NotesRenderer().render(note);
  assert.equal(out.mathErrors, EXPANSION_BOMBS.length);
  assert.equal(out.formulas, EXPANSION_BOMBS.length + 1);
});

test('the cache is bounded', () => {
  const cache = new MathRenderCache(10);
  for (let i = 0; i < 50; i++) cache.render(`x_{${i}}`, false, {});
  assert.equal(cache.stats().size, 10);
  assert.equal(cache.stats().misses, 50);
  cache.render('x_{49}', false, {});
  assert.equal(cache.stats().hits, 1);
});
