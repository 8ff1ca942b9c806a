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

type Matrix = number[][];

const matMul = (a: Matrix, w: ArrayLike<number>, cols: number): Matrix =>
  a.map((row) => Array.from({ length: cols }, (_, j) => row.reduce((s, v, i) => s + v * w[i * cols + j], 0)));

/**
 * Both networks trained by plain-loop SGD in float64 on given mini-batches: forward, the backward
 * pass written out layer by layer — through BN as Ioffe & Szegedy (2015) §3 give it,
 * ∂ℓ/∂xᵢ = γ/(B√(σ²_B+ε)) · (B·∂ℓ/∂yᵢ − Σⱼ ∂ℓ/∂yⱼ − x̂ᵢ Σⱼ ∂ℓ/∂yⱼ x̂ⱼ) — then θ ← θ − η ∂ℓ/∂θ, and
 * the running averages fed by this step's batch statistics (running ← m·running + (1 − m)·batch,
 * σ² times B/(B − 1) when unbiased). Starts from a copy of `initial`; never reads the demo again.
 */
export class RefBnTrainer {
  readonly nets: {
    activation: 'relu' | 'tanh';
    eps: number;
    plain: { weights: number[][]; biases: number[][]; head: [number[], number[]] };
    bn: { weights: number[][]; gammas: number[][]; betas: number[][]; runningMeans: number[][]; runningVariances: number[][]; head: [number[], number[]] };
  };

  constructor(initial: RefNets, private readonly learningRate: number, private readonly momentum: number, private readonly unbiased: boolean) {
    const copy = (a: readonly ArrayLike<number>[]) => a.map((v) => Array.from(v));
    this.nets = {
      activation: initial.activation,
      eps: initial.eps,
      plain: { weights: copy(initial.plain.weights), biases: copy(initial.plain.biases), head: [Array.from(initial.plain.head[0]), Array.from(initial.plain.head[1])] },
      bn: {
        weights: copy(initial.bn.weights), gammas: copy(initial.bn.gammas), betas: copy(initial.bn.betas),
        runningMeans: copy(initial.bn.runningMeans), runningVariances: copy(initial.bn.runningVariances),
        head: [Array.from(initial.bn.head[0]), Array.from(initial.bn.head[1])],
      },
    };
  }

  private act(v: number): number {
    return this.nets.activation === 'relu' ? Math.max(0, v) : Math.tanh(v);
  }

  /** Derivative of the nonlinearity at its input v (ReLU: 1 for v > 0, else 0). */
  private actGrad(v: number): number {
    if (this.nets.activation === 'relu') return v > 0 ? 1 : 0;
    const t = Math.tanh(v);
    return 1 - t * t;
  }

  /** dL/dlogit of the mean binary cross-entropy: (σ(z) − y)/B. */
  private static outputGrad(logits: readonly number[], labels: readonly number[]): number[] {
    return logits.map((z, i) => (1 / (1 + Math.exp(-z)) - labels[i]) / logits.length);
  }

  step(x: Matrix, labels: readonly number[]): void {
    this.stepPlain(x, labels);
    this.stepBn(x, labels);
  }

  private stepPlain(x: Matrix, labels: readonly number[]): void {
    const net = this.nets.plain;
    const width = net.biases[0].length;
    const inputs: Matrix[] = [];
    const pre: Matrix[] = [];
    let h = x;
    net.weights.forEach((w, l) => {
      inputs.push(h);
      const z = matMul(h, w, width).map((row) => row.map((v, j) => v + net.biases[l][j]));
      pre.push(z);
      h = z.map((row) => row.map((v) => this.act(v)));
    });
    const logits = h.map((row) => row.reduce((s, v, k) => s + v * net.head[0][k], net.head[1][0]));
    const dLogit = RefBnTrainer.outputGrad(logits, labels);
    const gHead = net.head[0].map((_, k) => h.reduce((s, row, i) => s + row[k] * dLogit[i], 0));
    const gHeadBias = dLogit.reduce((s, v) => s + v, 0);
    let dh: Matrix = dLogit.map((d) => net.head[0].map((w) => d * w));
    const gW: number[][] = [], gB: number[][] = [];
    for (let l = net.weights.length - 1; l >= 0; l--) {
      const dz = dh.map((row, i) => row.map((v, j) => v * this.actGrad(pre[l][i][j])));
      const fanIn = inputs[l][0].length;
      gW[l] = Array.from({ length: fanIn * width }, (_, q) => inputs[l].reduce((s, row, i) => s + row[Math.floor(q / width)] * dz[i][q % width], 0));
      gB[l] = Array.from({ length: width }, (_, j) => dz.reduce((s, row) => s + row[j], 0));
      dh = dz.map((row) => Array.from({ length: fanIn }, (_, a) => row.reduce((s, v, j) => s + v * net.weights[l][a * width + j], 0)));
    }
    const lr = this.learningRate;
    net.weights.forEach((w, l) => w.forEach((_, q) => (w[q] -= lr * gW[l][q])));
    net.biases.forEach((b, l) => b.forEach((_, j) => (b[j] -= lr * gB[l][j])));
    net.head[0].forEach((_, k) => (net.head[0][k] -= lr * gHead[k]));
    net.head[1][0] -= lr * gHeadBias;
  }

  private stepBn(x: Matrix, labels: readonly number[]): void {
    const net = this.nets.bn;
    const width = net.gammas[0].length;
    const B = x.length;
    const eps = this.nets.eps;
    const inputs: Matrix[] = [];
    const layers: Array<{ xhat: Matrix; y: Matrix; mean: number[]; variance: number[] }> = [];
    let h = x;
    net.weights.forEach((w, l) => {
      inputs.push(h);
      const z = matMul(h, w, width);
      const mean = Array.from({ length: width }, (_, j) => z.reduce((s, row) => s + row[j], 0) / B);
      const variance = Array.from({ length: width }, (_, j) => z.reduce((s, row) => s + (row[j] - mean[j]) ** 2, 0) / B);
      const xhat = z.map((row) => row.map((v, j) => (v - mean[j]) / Math.sqrt(variance[j] + eps)));
      const y = xhat.map((row) => row.map((v, j) => net.gammas[l][j] * v + net.betas[l][j]));
      layers.push({ xhat, y, mean, variance });
      h = y.map((row) => row.map((v) => this.act(v)));
    });
    const logits = h.map((row) => row.reduce((s, v, k) => s + v * net.head[0][k], net.head[1][0]));
    const dLogit = RefBnTrainer.outputGrad(logits, labels);
    const gHead = net.head[0].map((_, k) => h.reduce((s, row, i) => s + row[k] * dLogit[i], 0));
    const gHeadBias = dLogit.reduce((s, v) => s + v, 0);
    let dh: Matrix = dLogit.map((d) => net.head[0].map((w) => d * w));
    const gW: number[][] = [], gGamma: number[][] = [], gBeta: number[][] = [];
    for (let l = net.weights.length - 1; l >= 0; l--) {
      const { xhat, y, variance } = layers[l];
      const dy = dh.map((row, i) => row.map((v, j) => v * this.actGrad(y[i][j])));
      gGamma[l] = Array.from({ length: width }, (_, j) => dy.reduce((s, row, i) => s + row[j] * xhat[i][j], 0));
      gBeta[l] = Array.from({ length: width }, (_, j) => dy.reduce((s, row) => s + row[j], 0));
      const dz = dy.map((row, i) => row.map((v, j) => {
        const inv = 1 / Math.sqrt(variance[j] + eps);
        const sum = dy.reduce((s, r) => s + r[j], 0);
        const dot = dy.reduce((s, r, k) => s + r[j] * xhat[k][j], 0);
        return ((net.gammas[l][j] * inv) / B) * (B * v - sum - xhat[i][j] * dot);
      }));
      const fanIn = inputs[l][0].length;
      gW[l] = Array.from({ length: fanIn * width }, (_, q) => inputs[l].reduce((s, row, i) => s + row[Math.floor(q / width)] * dz[i][q % width], 0));
      dh = dz.map((row) => Array.from({ length: fanIn }, (_, a) => row.reduce((s, v, j) => s + v * net.weights[l][a * width + j], 0)));
    }
    const lr = this.learningRate;
    net.weights.forEach((w, l) => w.forEach((_, q) => (w[q] -= lr * gW[l][q])));
    net.gammas.forEach((g, l) => g.forEach((_, j) => (g[j] -= lr * gGamma[l][j])));
    net.betas.forEach((b, l) => b.forEach((_, j) => (b[j] -= lr * gBeta[l][j])));
    net.head[0].forEach((_, k) => (net.head[0][k] -= lr * gHead[k]));
    net.head[1][0] -= lr * gHeadBias;
    const m = this.momentum;
    layers.forEach(({ mean, variance }, l) => {
      for (let j = 0; j < width; j++) {
        net.runningMeans[l][j] = m * net.runningMeans[l][j] + (1 - m) * mean[j];
        const fed = this.unbiased ? (variance[j] * B) / (B - 1) : variance[j];
        net.runningVariances[l][j] = m * net.runningVariances[l][j] + (1 - m) * fed;
      }
    });
  }
}
