/**
 * Timing primitives for `npm run bench`: monotonic clock, warm-up, median of several runs.
 * Kept free of any Lectern import so the numbers mean the same whatever the core looks like.
 */

export interface Timing {
  /** Median of the timed runs, in milliseconds. */
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runs: number;
}

export interface TimingPlan {
  readonly warmup: number;
  readonly runs: number;
}

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** Collect garbage if node runs with --expose-gc, so a run does not pay for the previous one's garbage. */
export function collectGarbage(): void {
  gc?.();
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(samples: readonly number[]): Timing {
  return { medianMs: median(samples), minMs: Math.min(...samples), maxMs: Math.max(...samples), runs: samples.length };
}

/**
 * Times several functions over the same plan, interleaving them run by run so that a slow phase
 * of the machine (another helper's build, a GC storm) hits all of them alike.
 * Each function's result is kept alive until after the clock stops, so nothing is optimised away.
 */
export function timeInterleaved<K extends string>(
  fns: Readonly<Record<K, () => unknown>>,
  plan: TimingPlan,
  gcBetweenRuns = false,
): Record<K, Timing> {
  const keys = Object.keys(fns) as K[];
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  let sink = 0;
  for (let i = 0; i < plan.warmup + plan.runs; i++) {
    for (const k of keys) {
      if (gcBetweenRuns) collectGarbage();
      const start = nowMs();
      const result = fns[k]();
      const elapsed = nowMs() - start;
      sink += result === undefined ? 0 : 1;
      if (i >= plan.warmup) samples[k].push(elapsed);
    }
  }
  if (sink < 0) console.log(sink);
  return Object.fromEntries(keys.map((k) => [k, summarize(samples[k])])) as Record<K, Timing>;
}

export function time(fn: () => unknown, plan: TimingPlan, gcBetweenRuns = false): Timing {
  return timeInterleaved({ only: fn }, plan, gcBetweenRuns).only;
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
