import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMath, katexSettings, FORMULA_TOKEN_BUDGET, MAX_FORMULA_LENGTH, KATEX_MAX_SIZE } from '../../../src/core';
import { KATEX_BOUNDS, renderFormula } from '../../../src/core/render/mathCache';

// The check (diagnostics, CLI) and the renderers (preview, hover, demos) bound untrusted math alike.

test('checkMath reports an over-long formula instead of handing it to KaTeX', () => {
  const tex = 'x+'.repeat(MAX_FORMULA_LENGTH / 2 + 1);
  const errors = checkMath(`before $${tex}$ after\n`);
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /too long/);
  assert.equal(errors[0].range.start.line, 0);
});

test('a formula within the token budget is checked normally; one token more is too expensive', () => {
  // `x`×n costs n tokens plus the end-of-input look-ups (the formula's own `$` are not TeX).
  const fits = 'x'.repeat(FORMULA_TOKEN_BUDGET - 2);
  assert.deepEqual(checkMath(`$${fits}$\n`), []);
  const over = checkMath(`text $${fits}xxx$\n`);
  assert.equal(over.length, 1);
  assert.match(over[0].message, /^formula too expensive to render: /);
  assert.deepEqual(over[0].range.start, { line: 0, character: 5 });
});

test('the core settings and the preview bounds cap sizes and expansion identically', () => {
  const core = katexSettings(undefined, false);
  assert.equal(core.maxSize, KATEX_MAX_SIZE);
  assert.equal(core.maxSize, KATEX_BOUNDS.maxSize);
  assert.equal(core.maxExpand, KATEX_BOUNDS.maxExpand);
  assert.equal(core.trust, false);
  // A huge \rule renders, capped, rather than producing a 10000em box.
  const huge = renderFormula('\\rule{10000em}{10000em}', false, {});
  assert.equal(huge.error, undefined);
  // (The TeX source itself stays in the MathML annotation; the drawn box is what must be capped.)
  const drawn = huge.html.replace(/<annotation[\s\S]*?<\/annotation>/g, '');
  assert.doesNotMatch(drawn, /10000em/);
  assert.match(drawn, new RegExp(`border-right-width:${KATEX_MAX_SIZE}em`));
});
