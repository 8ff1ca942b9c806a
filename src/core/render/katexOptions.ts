import type { KatexOptions } from 'katex';
import type { KatexMacros } from './noteMath';

/**
 * The hardened KaTeX settings and the bounds on one formula, without KaTeX itself: the parser (and
 * so the TODO tree at activation) shares these numbers without evaluating KaTeX. `katexGuard.ts`
 * applies them to every render.
 */

/** Upper bound on macro expansions: KaTeX before 0.16.10 could be made to loop (CVE-2024-28243). */
export const KATEX_MAX_EXPAND = 1000;
/** Upper bound on user-specified sizes (`\rule{10000em}{…}`), in ems. */
export const KATEX_MAX_SIZE = 50;
/** Longest formula source handed to KaTeX; longer ones are reported, never rendered. */
export const MAX_FORMULA_LENGTH = 20_000;
/**
 * Tokens (after macro expansion) one formula may feed to KaTeX's parser. The longest formula of the
 * sample notes uses 188. The cost of the most expensive formulas is superlinear in the budget
 * (deep nesting: `\underbrace{\underbrace{…}_{a}}_{a}`, nested `\sqrt` and `\frac`), so the budget
 * is set by them: measured on 26 shapes grown to the budget (test/unit/hostile/formulaPayloads.ts,
 * `npm run bench` → hostile.worstFormulaMs) on the 2-core machine at load 12–14, the worst took a
 * median of 35–40 ms CPU at 1,500 tokens, too near the 50 ms the extension host may be blocked for,
 * and 15 ms at 1,000.
 */
export const FORMULA_TOKEN_BUDGET = 1_000;
/** Characters of output one formula may produce (HTML, MathML). */
export const MAX_FORMULA_OUTPUT = 1_000_000;


/** The KaTeX settings every Lectern render and check uses (untrusted input). */
export function katexSettings(macros: KatexMacros | undefined, displayMode: boolean): KatexOptions {
  return {
    displayMode,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    maxExpand: KATEX_MAX_EXPAND,
    maxSize: KATEX_MAX_SIZE,
    // A fresh copy per render: `\gdef` in one formula must not leak into the next.
    macros: { ...(macros ?? {}) },
  };
}
