/**
 * The 50 ms bound on one formula (issue #11), asserted in work units. The bench
 * (`hostile.worstFormulaMs`) times the largest member of each family in formulaPayloads.ts that
 * still renders; the slowest took tens of milliseconds (README, "Bounded work"). What makes that a
 * bound rather than a sample is checked here: along every family's growth curve, the largest
 * member that renders consumes no more than the token budget and the output limit, and every
 * larger member stops at the budget with "formula too expensive to render" — so no formula costs
 * more work than the ones the bench timed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMULA_TOKEN_BUDGET, FORMULA_TOO_EXPENSIVE, MAX_FORMULA_LENGTH, MAX_FORMULA_OUTPUT, lastFormulaTokens } from '../../../src/core/render/katexGuard';
import { renderFormula } from '../../../src/core/render/mathCache';
import { FORMULA_FAMILIES, largestRendering } from './formulaPayloads';

for (const family of FORMULA_FAMILIES) {
  test(`${family.name}: the largest rendering member is within the budget, larger ones fail fast`, () => {
    const found = largestRendering(family);
    assert.ok(found, 'the smallest member renders');
    assert.ok(found.tokens <= FORMULA_TOKEN_BUDGET, `${found.tokens} tokens`);
    // Near the budget, not stopped early by something else (else the bench would time a small formula).
    assert.ok(found.tokens >= FORMULA_TOKEN_BUDGET / 2, `only ${found.tokens} tokens at n = ${found.n}`);
    assert.ok(found.outputChars <= MAX_FORMULA_OUTPUT, `${found.outputChars} characters of output`);
    for (const n of [found.n + 1, found.n * 2, found.n * 8]) {
      const tex = family.make(n);
      const rendered = renderFormula(tex, family.display ?? false, family.macros?.(n) ?? {});
      // Past the length limit a formula is refused before KaTeX sees it.
      const expected = tex.length > MAX_FORMULA_LENGTH ? /^Formula is too long/ : new RegExp(FORMULA_TOO_EXPENSIVE);
      assert.match(rendered.error ?? '', expected, `n = ${n}`);
      assert.ok(lastFormulaTokens() <= FORMULA_TOKEN_BUDGET + 1, `n = ${n}: consumed ${lastFormulaTokens()} tokens before stopping`);
    }
  });
}
