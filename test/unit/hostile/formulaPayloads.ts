/**
 * The most expensive formulas we could build under the formula budget (issue #11), one family per
 * shape KaTeX finds costly, each growing with `n`. Shared by the hostile suite (which asserts the
 * budget in work units: tokens and output size) and the bench (`hostile.worstFormulaMs`, which
 * times the largest member of each family that still renders).
 */
import { renderFormula } from '../../../src/core/render/mathCache';
import { lastFormulaTokens } from '../../../src/core/render/katexGuard';
import type { KatexMacros } from '../../../src/core/render/noteMath';

export interface FormulaFamily {
  readonly name: string;
  readonly make: (n: number) => string;
  /** Macros from `.lectern/macros.tex` (the preamble path of the issue). */
  readonly macros?: (n: number) => KatexMacros;
  readonly display?: boolean;
}

const rep = (s: string, n: number) => s.repeat(Math.max(0, Math.floor(n)));

export const FORMULA_FAMILIES: readonly FormulaFamily[] = [
  { name: 'x+x+… (n terms)', make: (n) => rep('x+', n) + 'x' },
  { name: '\\def\\a{x × 10}, \\a × n', make: (n) => `\\def\\a{${rep('x', 10)}}${rep('\\a', n)}` },
  { name: '\\def\\a{x × 100}, \\a × n', make: (n) => `\\def\\a{${rep('x', 100)}}${rep('\\a', n)}` },
  { name: 'macros.tex \\a = x × 10, \\a × n', make: (n) => rep('\\a', n), macros: () => ({ '\\a': rep('x', 10) }) },
  { name: 'macros.tex \\a = \\frac{x}{y} × 10, \\a × n', make: (n) => rep('\\a', n), macros: () => ({ '\\a': rep('\\frac{x}{y}', 10) }) },
  { name: 'nested \\frac, depth n', make: (n) => rep('\\frac{1+', n) + 'x' + rep('}{y}', n) },
  { name: '\\frac × n in a row', make: (n) => rep('\\frac{a}{b}', n) },
  {
    name: 'n × n array',
    make: (n) => `\\begin{array}{${rep('c', n)}}${Array.from({ length: Math.floor(n) }, () => rep('x&', n - 1) + 'x').join('\\\\')}\\end{array}`,
  },
  {
    name: 'pmatrix with n rows of 10',
    make: (n) => `\\begin{pmatrix}${Array.from({ length: Math.floor(n) }, () => rep('x&', 9) + 'x').join('\\\\')}\\end{pmatrix}`,
  },
  {
    name: 'aligned with n rows',
    make: (n) => `\\begin{aligned}${Array.from({ length: Math.floor(n) }, () => 'a&=b+c').join('\\\\')}\\end{aligned}`,
    display: true,
  },
  { name: '\\underbrace chain, n deep', make: (n) => rep('\\underbrace{', n) + 'x' + rep('}_{a}', n) },
  { name: '\\underbrace × n in a row', make: (n) => rep('\\underbrace{x+y}_{n}', n) },
  { name: '\\overbrace{…}^{…} × n', make: (n) => rep('\\overbrace{a+b}^{c}', n) },
  { name: 'nested \\sqrt, depth n', make: (n) => rep('\\sqrt{', n) + 'x' + rep('}', n) },
  { name: 'nested \\left( \\right), depth n', make: (n) => rep('\\left(', n) + 'x' + rep('\\right)', n) },
  { name: '\\left( \\frac \\right) × n', make: (n) => rep('\\left(\\frac{a}{b}\\right)', n) },
  { name: 'nested subscripts, depth n', make: (n) => rep('x_{', n) + 'x' + rep('}', n) },
  { name: '\\sum_{i}^{n} × n', make: (n) => rep('\\sum_{i=1}^{n}', n), display: true },
  { name: 'long \\text{…} (n characters)', make: (n) => `\\text{${rep('a', n)}}` },
  { name: '\\text{ab} × n', make: (n) => rep('\\text{ab}', n) },
  { name: '\\mathbb{R} × n', make: (n) => rep('\\mathbb{R}', n) },
  { name: '\\operatorname{argmax} × n', make: (n) => rep('\\operatorname{argmax}', n) },
  { name: '\\color{red}{x} × n', make: (n) => rep('\\color{red}{x}', n) },
  { name: '\\xrightarrow{abc} × n', make: (n) => rep('\\xrightarrow{abc}', n) },
  { name: '\\def\\a#1{#1#1} nested n deep', make: (n) => `\\def\\a#1{#1#1}${rep('\\a{', n)}x${rep('}', n)}` },
  { name: '\\boxed{x} nested n deep', make: (n) => rep('\\boxed{', n) + 'x' + rep('}', n) },
];

export interface FormulaAtBudget {
  readonly family: FormulaFamily;
  /** The largest `n` whose formula still renders (the next sizes up do not). */
  readonly n: number;
  readonly tex: string;
  readonly macros: KatexMacros;
  readonly tokens: number;
  readonly outputChars: number;
}

function renders(family: FormulaFamily, n: number): { ok: boolean; tokens: number; outputChars: number } {
  const rendered = renderFormula(family.make(n), family.display ?? false, family.macros?.(n) ?? {});
  return { ok: rendered.error === undefined, tokens: lastFormulaTokens(), outputChars: rendered.html.length };
}

/**
 * The family's largest member that renders: doubling `n` until a render fails, then bisecting.
 * Families whose cost is not monotonic in `n` are fine: the member found renders, and is at or
 * near the budget.
 */
export function largestRendering(family: FormulaFamily, limit = 1 << 16): FormulaAtBudget | undefined {
  if (!renders(family, 1).ok) return undefined;
  let lo = 1;
  let hi = 2;
  while (hi <= limit && renders(family, hi).ok) {
    lo = hi;
    hi *= 2;
  }
  if (hi > limit) hi = limit + 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (renders(family, mid).ok) lo = mid;
    else hi = mid;
  }
  const { tokens, outputChars } = renders(family, lo);
  return { family, n: lo, tex: family.make(lo), macros: family.macros?.(lo) ?? {}, tokens, outputChars };
}
