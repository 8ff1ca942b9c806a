import { FORMULA_TOKEN_BUDGET } from '../../src/core/render/katexOptions';
import { renderFormula } from '../../src/core/render/mathCache';
import { FORMULA_FAMILIES, largestRendering } from '../unit/hostile/formulaPayloads';
import { median } from './measure';

/**
 * The cost of the most expensive formula that still renders under the formula budget (issue #11:
 * the extension host's main thread is never blocked by one formula for more than 50 ms). For each
 * family of test/unit/hostile/formulaPayloads.ts, the largest member that renders is timed (CPU
 * time of one render, warm, no cache); the growth curve is the family's cost at a quarter, half
 * and all of that size.
 */
export interface FormulaCostRow {
  readonly name: string;
  /** Size parameter of the largest member that renders. */
  readonly n: number;
  readonly tokens: number;
  readonly outputChars: number;
  /** CPU ms at n/4, n/2 and n (median of the runs). */
  readonly curveMs: readonly [number, number, number];
  readonly minMs: number;
}

export interface FormulaCostResult {
  readonly budgetTokens: number;
  readonly goalMs: 50;
  /** The median CPU ms of the most expensive family at its largest rendering member. */
  readonly worstFormulaMs: number;
  readonly worstFormula: string;
  readonly rows: readonly FormulaCostRow[];
}

function cpuMsOf(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export function benchWorstFormula(runs = 9): FormulaCostResult {
  const rows: FormulaCostRow[] = [];
  for (const family of FORMULA_FAMILIES) {
    const found = largestRendering(family);
    if (!found) continue;
    const at = (n: number) => {
      const tex = family.make(n);
      const macros = family.macros?.(n) ?? {};
      const display = family.display ?? false;
      renderFormula(tex, display, macros);
      return Array.from({ length: runs }, () => cpuMsOf(() => renderFormula(tex, display, macros)));
    };
    const full = at(found.n);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    rows.push({
      name: family.name,
      n: found.n,
      tokens: found.tokens,
      outputChars: found.outputChars,
      curveMs: [round(median(at(Math.max(1, Math.floor(found.n / 4))))), round(median(at(Math.max(1, Math.floor(found.n / 2))))), round(median(full))],
      minMs: round(Math.min(...full)),
    });
  }
  const worst = rows.reduce((a, b) => (b.curveMs[2] > a.curveMs[2] ? b : a));
  return { budgetTokens: FORMULA_TOKEN_BUDGET, goalMs: 50, worstFormulaMs: worst.curveMs[2], worstFormula: worst.name, rows };
}
