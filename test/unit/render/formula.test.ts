import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMath, parseNotes } from '../../../src/core';
import { formulaOf } from '../../../src/core/render/formula';
import { NotesRenderer } from '../../../src/core/render/renderNotes';
import { MathRenderCache } from '../../../src/core/render/mathCache';
import { warmFormulas } from '../../../src/extension/preview/warmFormulas';

/**
 * The three paths a formula takes — the check (diagnostics, CLI), the preview's KaTeX warm-up and
 * the preview/export render — agree on every formula: the same TeX, display mode and macro scope
 * (the render meets only the warm-up's cache entries) and the same failures.
 */
const NOTE = [
  '# Formulas',
  '',
  'Backticks: $`1+1`$ and plain $x^2$; an inline environment $\\begin{aligned}a&=b\\end{aligned}$.',
  '',
  'Display-only environment inline: $\\begin{align}a&=b\\end{align}$.',
  '',
  '$$\\newcommand{\\RR}{\\mathbb{R}}$$',
  '',
  '$$',
  'f: \\RR \\to \\RR \\label{eq:f}',
  '$$',
  '',
  'By \\eqref ... $\\eqref{eq:f}$, and a broken one: $\\frac{1}{$ and $\\undefinedmacro$.',
  '',
  '```math',
  '\\sum_i x_i',
  '```',
  '',
].join('\n');

test('formulaOf: backticks dropped inline only, display-only environments render as display', () => {
  assert.deepEqual(formulaOf({ content: '`1+1`', display: false }), { tex: '1+1', displayMode: false });
  assert.deepEqual(formulaOf({ content: '`1+1`', display: true }), { tex: '`1+1`', displayMode: true });
  assert.deepEqual(formulaOf({ content: '``', display: false }), { tex: '``', displayMode: false });
  assert.equal(formulaOf({ content: '\\begin{align}a\\end{align}', display: false }).displayMode, true);
  assert.equal(formulaOf({ content: '\\begin{aligned}a\\end{aligned}', display: false }).displayMode, false);
});

test('check, warm-up and render agree on every formula of a note', async () => {
  const parsed = parseNotes(NOTE);
  assert.ok(parsed.math.length >= 9, `${parsed.math.length} formulas`);
  const cache = new MathRenderCache();
  const failed = await warmFormulas(parsed.math, cache, {}, () => false);
  assert.ok(failed);
  const renderer = new NotesRenderer({ cache });
  cache.resetStats();
  const rendered = renderer.render(NOTE, { parsed });
  assert.equal(rendered.formulas, parsed.math.length, 'the render meets every formula the parse found');
  assert.equal(cache.stats().misses, 0, 'the render asks KaTeX for nothing the warm-up did not render: same TeX, mode and scope');

  const checked = checkMath({ text: NOTE, parse: parsed });
  const failedByCheck = new Set(checked.map((e) => e.math?.content));
  assert.deepEqual(new Set(failed.map((s) => s.content)), failedByCheck, 'the warm-up fails exactly where the check reports');
  assert.equal(rendered.mathErrors, failed.length, 'the render shows an error for each of them');
  assert.ok(failedByCheck.has('\\frac{1}{') && failedByCheck.has('\\undefinedmacro'));
});
