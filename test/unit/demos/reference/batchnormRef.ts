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

/** Histogram of Lectern's batch-norm demo, from its definition: `bins` equal bins between explicit edges. */
export interface RefHistogram {
  readonly edges: number[];
  readonly counts: number[];
  readonly below: number;
  readonly above: number;
  readonly nonFinite: number;
}

/**
 * Edges −range + 2·range·k/bins; a value in [edge k, edge k+1) goes to bin k (the last bin also
 * takes +range); values beyond either end go to that end's bin and are counted as clipped.
 */
export function refHistogram(values: ArrayLike<number>, bins: number, range: number): RefHistogram {
  const edges = Array.from({ length: bins + 1 }, (_, k) => -range + (2 * range * k) / bins);
  const counts = new Array<number>(bins).fill(0);
  let below = 0, above = 0, nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v) || v === Infinity || v === -Infinity) { nonFinite++; continue; }
    if (v < edges[0]) { below++; counts[0]++; continue; }
    if (v > edges[bins]) { above++; counts[bins - 1]++; continue; }
    let k = 0;
    while (k < bins - 1 && v >= edges[k + 1]) k++;
    counts[k]++;
  }
  return { edges, counts, below, above, nonFinite };
}

/** Units (columns of `values`, [examples, width]) whose input is never positive. */
export function refDeadUnits(values: ArrayLike<number>, width: number): number {
  const n = values.length / width;
  let dead = 0;
  for (let u = 0; u < width; u++) {
    let max = -Infinity;
    for (let i = 0; i < n; i++) max = Math.max(max, values[i * width + u]);
    if (!(max > 0)) dead++;
  }
  return dead;
}

export interface RefNets {
  readonly activation: 'relu' | 'tanh';
  readonly eps: number;
  readonly plain: { readonly weights: ArrayLike<number>[]; readonly biases: ArrayLike<number>[]; readonly head: readonly [ArrayLike<number>, ArrayLike<number>] };
  readonly bn: {
    readonly weights: ArrayLike<number>[];
    readonly gammas: ArrayLike<number>[];
    readonly betas: ArrayLike<number>[];
    readonly runningMeans: ArrayLike<number>[];
    readonly runningVariances: ArrayLike<number>[];
    readonly head: readonly [ArrayLike<number>, ArrayLike<number>];
  };
}

export interface RefForward {
  readonly logits: number[];
  /** Per layer, the inputs to the nonlinearity, [examples][unit]. */
  readonly pre: number[][][];
}

/** Rows of a row-major [n, 2] point array. */
export function refRows(x: ArrayLike<number>, indices: readonly number[]): number[][] {
  return indices.map((i) => [x[2 * i], x[2 * i + 1]]);
}

function linear(h: number[][], w: ArrayLike<number>, width: number, bias?: ArrayLike<number>): number[][] {
  return h.map((row) => {
    const out: number[] = [];
    for (let j = 0; j < width; j++) {
      let a = bias ? bias[j] : 0;
      for (let i = 0; i < row.length; i++) a += row[i] * w[i * width + j];
      out.push(a);
    }
    return out;
  });
}

function nonlinearity(activation: 'relu' | 'tanh', v: number): number {
  return activation === 'relu' ? Math.max(0, v) : Math.tanh(v);
}

function head(h: number[][], w: ArrayLike<number>, b: ArrayLike<number>): number[] {
  return h.map((row) => row.reduce((a, v, k) => a + v * w[k], b[0]));
}

/** The network without BN: z = h W + b, then the nonlinearity, layer after layer; a linear head. */
export function refPlainForward(nets: RefNets, x: number[][]): RefForward {
  const pre: number[][][] = [];
  let h = x;
  nets.plain.weights.forEach((w, l) => {
    const z = linear(h, w, nets.plain.biases[l].length, nets.plain.biases[l]);
    pre.push(z);
    h = z.map((row) => row.map((v) => nonlinearity(nets.activation, v)));
  });
  return { logits: head(h, nets.plain.head[0], nets.plain.head[1]), pre };
}

/**
 * The BN network (no bias before BN): z = h W, then BN with the batch's own statistics (`batch`:
 * biased σ²_B over the rows of x) or the running ones (`running`), then the nonlinearity.
 */
export function refBnForward(nets: RefNets, x: number[][], mode: 'batch' | 'running'): RefForward & { readonly z: number[][][] } {
  const pre: number[][][] = [];
  const zs: number[][][] = [];
  let h = x;
  nets.bn.weights.forEach((w, l) => {
    const width = nets.bn.gammas[l].length;
    const z = linear(h, w, width);
    zs.push(z);
    const y = z.map((row) => row.slice());
    for (let u = 0; u < width; u++) {
      let mean: number, variance: number;
      if (mode === 'batch') {
        const column = z.map((row) => row[u]);
        const r = refBnUnit(column, 1, 0, nets.eps);
        mean = r.mean;
        variance = r.variance;
      } else {
        mean = nets.bn.runningMeans[l][u];
        variance = nets.bn.runningVariances[l][u];
      }
      for (let i = 0; i < z.length; i++) y[i][u] = (nets.bn.gammas[l][u] * (z[i][u] - mean)) / Math.sqrt(variance + nets.eps) + nets.bn.betas[l][u];
    }
    pre.push(y);
    h = y.map((row) => row.map((v) => nonlinearity(nets.activation, v)));
  });
  return { logits: head(h, nets.bn.head[0], nets.bn.head[1]), pre, z: zs };
}

/** Mean binary cross-entropy of logits against 0/1 labels. */
export function refLoss(logits: readonly number[], labels: readonly number[]): number {
  let sum = 0;
  logits.forEach((z, i) => {
    // −log σ(z) for label 1, −log(1 − σ(z)) = −log σ(−z) for label 0; −log σ(t) = max(−t, 0) + log(1 + e^−|t|).
    const t = labels[i] === 1 ? z : -z;
    sum += Math.max(-t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
  });
  return sum / logits.length;
}

/** Share of examples whose predicted class (logit > 0 ⇒ 1) equals the label. */
export function refAccuracy(logits: readonly number[], labels: readonly number[]): number {
  let right = 0;
  logits.forEach((z, i) => { if ((z > 0 ? 1 : 0) === labels[i]) right++; });
  return right / logits.length;
}
