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
 * sample notes uses 188. Measured (CPU time, warm, on a 2-core machine under heavy load) the most
 * expensive shapes at 2,000 tokens took 50-65 ms (`x+x+…`, a 1,000-cell array) and 15-35 ms for
 * others; 1,500 keeps one formula near the 50 ms the extension host may be blocked for.
 */
export const FORMULA_TOKEN_BUDGET = 1_500;
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
