/**
 * Independent reference for the batch-norm demo's numbers: the four steps of Ioffe & Szegedy
 * (2015), Algorithm 1, and the running averages of Algorithm 2 / the Keras and PyTorch layers, as
 * plain loops over numbers. No tfjs, no import from the demo's core.
 */
export interface RefBnUnit {
  readonly mean: number;
  /** Biased: divided by B (what normalises the batch in every convention). */
  readonly variance: number;
  readonly xhat: number[];
  readonly y: number[];
}

export function refBnUnit(x: readonly number[], gamma: number, beta: number, eps: number): RefBnUnit {
  let sum = 0;
  for (const v of x) sum += v;
  const mean = sum / x.length;
  let sq = 0;
  for (const v of x) sq += (v - mean) * (v - mean);
  const variance = sq / x.length;
  const xhat = x.map((v) => (v - mean) / Math.sqrt(variance + eps));
  return { mean, variance, xhat, y: xhat.map((v) => gamma * v + beta) };
}

/**
 * Running mean and variance after a sequence of batches, starting from μ = 0, σ² = 1:
 * running ← m · running + (1 − m) · batch, with the batch variance taken as B/(B − 1) · σ²_B when
 * `unbiased` (PyTorch, BN paper) or σ²_B (Keras).
 */
export function refRunning(batches: ReadonlyArray<{ mean: number; variance: number; size: number }>, momentum: number, unbiased: boolean): { mean: number; variance: number } {
  let mean = 0, variance = 1;
  for (const b of batches) {
    const v = unbiased ? (b.variance * b.size) / (b.size - 1) : b.variance;
    mean = momentum * mean + (1 - momentum) * b.mean;
    variance = momentum * variance + (1 - momentum) * v;
  }
  return { mean, variance };
}

export function refInference(x: readonly number[], runningMean: number, runningVariance: number, gamma: number, beta: number, eps: number): number[] {
  return x.map((v) => gamma * ((v - runningMean) / Math.sqrt(runningVariance + eps)) + beta);
}
