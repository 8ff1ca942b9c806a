/**
 * The formula budget (src/core/render/katexGuard.ts) on the payloads of issue #11: a macro whose
 * body is long, used many times — cheap for KaTeX's `maxExpand`, quadratic in its builder. Along
 * the growth curve (body × uses) every path that renders or checks math (check/diagnostics, preview
 * and export, hover) must fail fast with "formula too expensive to render", consume no more than
 * the budget, and cost no more than an ordinary formula that just fits the budget, measured in the
 * same run (a ratio, not a wall-clock bound).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMath, FORMULA_TOKEN_BUDGET, FORMULA_TOO_EXPENSIVE, parseNotes } from '../../../src/core';
import { lastFormulaTokens } from '../../../src/core/render/katexGuard';
import { parseMacroPreamble } from '../../../src/core/render/macros';
import { renderFormula } from '../../../src/core/render/mathCache';
import { renderMathSvg } from '../../../src/core/render/mathSvg';
import { NotesRenderer } from '../../../src/core/render/renderNotes';
import { cpuMs, realNotes } from './support';

const GROWTH: ReadonlyArray<readonly [body: number, uses: number]> = [
  [1_000, 200],
  [1_000, 400],
  [2_000, 500],
  [100, 999],
  [10, 999],
];

const inlineBomb = (body: number, uses: number) => `\\def\\a{${'x'.repeat(body)}}${'\\a'.repeat(uses)}`;

/** An ordinary long formula that renders within the budget: the yardstick for the ratios. */
const REFERENCE = 'x+'.repeat(Math.floor(FORMULA_TOKEN_BUDGET / 2) - 10);

test('the reference formula renders within the budget on every path', () => {
  assert.equal(renderFormula(REFERENCE, true, {}).error, undefined);
  assert.ok(lastFormulaTokens() <= FORMULA_TOKEN_BUDGET);
  assert.deepEqual(checkMath(`$$\n${REFERENCE}\n$$\n`), []);
});

test('no formula of the sample notes comes near the budget', () => {
  let largest = 0;
  for (const note of realNotes()) {
    assert.ok(!checkMath(note.text).some((e) => e.message.startsWith(FORMULA_TOO_EXPENSIVE)), note.name);
    for (const span of parseNotes(note.text).math) {
      renderFormula(span.content, span.display, {});
      largest = Math.max(largest, lastFormulaTokens());
    }
  }
  assert.ok(largest > 0 && largest * 4 <= FORMULA_TOKEN_BUDGET, `largest formula: ${largest} tokens of ${FORMULA_TOKEN_BUDGET}`);
});

for (const [body, uses] of GROWTH) {
  test(`\\def body ${body} × ${uses} uses fails fast on every path`, () => {
    const tex = inlineBomb(body, uses);
    const note = `# Bomb\n\nSome text.\n\n$$${tex}$$\n`;

    const errors = checkMath(note);
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, new RegExp(`^${FORMULA_TOO_EXPENSIVE}: `));
    assert.deepEqual(errors[0].range.start, { line: 4, character: 0 }, 'reported at the formula');
    assert.ok(lastFormulaTokens() <= FORMULA_TOKEN_BUDGET + 1, `consumed ${lastFormulaTokens()} tokens`);

    const preview = renderFormula(tex, true, {});
    assert.match(preview.error ?? '', new RegExp(FORMULA_TOO_EXPENSIVE));
    assert.match(preview.html, /katex-error/);
    const hover = renderMathSvg(tex, true, {});
    assert.equal(hover.ok, false);
    assert.match(hover.ok ? '' : hover.error, new RegExp(FORMULA_TOO_EXPENSIVE));
    const page = new NotesRenderer().render(note);
    assert.equal(page.mathErrors, 1);
    assert.match(page.html, new RegExp(FORMULA_TOO_EXPENSIVE));
  });
}

test('the same bomb through a .lectern/macros.tex macro used 999 times fails fast', () => {
  const { macros, problems } = parseMacroPreamble(`\\newcommand{\\a}{${'x'.repeat(1_000)}}\n`);
  assert.deepEqual(problems, []);
  const tex = '\\a'.repeat(999);
  const errors = checkMath(`$$${tex}$$\n`, { macros });
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, new RegExp(`^${FORMULA_TOO_EXPENSIVE}: `));
  assert.match(renderFormula(tex, true, macros).error ?? '', new RegExp(FORMULA_TOO_EXPENSIVE));
  assert.equal(renderMathSvg(tex, false, macros).ok, false);
  const page = new NotesRenderer({ macros }).render(`$${tex}$\n`);
  assert.equal(page.mathErrors, 1);
});

test('the cost of a bomb stays flat along its growth curve: no more than an ordinary formula that fits', () => {
  const reference = cpuMs(() => renderFormula(REFERENCE, true, {}));
  const costs = GROWTH.map(([body, uses]) => {
    const tex = inlineBomb(body, uses);
    return { body, uses, ms: cpuMs(() => renderFormula(tex, true, {})), tokens: lastFormulaTokens() };
  });
  for (const c of costs) {
    assert.ok(c.tokens <= FORMULA_TOKEN_BUDGET + 1, `${c.body}×${c.uses}: ${c.tokens} tokens`);
    assert.ok(c.ms <= 3 * reference, `${c.body}×${c.uses}: ${c.ms.toFixed(1)} ms vs ${reference.toFixed(1)} ms for the reference formula`);
  }
  // Growing the payload 50× (body × uses) does not grow the work: the largest costs about what the smallest does.
  const [small, large] = [costs[0].ms, costs[2].ms];
  assert.ok(large <= 3 * Math.max(small, reference / 10), `1000×200: ${small.toFixed(1)} ms, 2000×500: ${large.toFixed(1)} ms`);
});

test('KaTeX warnings are captured, never printed', () => {
  const printed: unknown[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => printed.push(args);
  try {
    // A character KaTeX has no metrics for makes it warn on the console.
    renderFormula('\\text{\u{1F600}\u0F00}', false, {});
    checkMath('$\\text{\u{1F600}\u0F00}$\n');
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(printed, []);
});
