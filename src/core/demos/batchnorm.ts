/**
 * Numeric core of the batch-normalisation demo: a deep MLP trained with and without batch
 * normalisation from the same initial weights, on the same mini-batches, with the same (high)
 * learning rate. BN is built from core ops so every intermediate of the lecture's four steps
 * (μ_B, σ²_B, x̂, y = γx̂ + β) can be read back and shown. Pure: tfjs is passed in, randomness comes
 * from a seeded PRNG.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type { Dataset2D } from './dropout';
import { StepHistory } from './lossChart';
import { createRng, gaussian, gaussianArray, type Rng } from './rng';

export type Tf = typeof tfc;
export type Activation = 'tanh' | 'relu';

export interface BatchNormResult {
  /** μ_B per unit, [C]. */
  readonly mean: tfc.Tensor1D;
  /** σ²_B per unit (biased: divided by the batch size, as in the paper), [C]. */
  readonly variance: tfc.Tensor1D;
  /** x̂ = (x − μ_B) / √(σ²_B + ε), [B, C]. */
  readonly xhat: tfc.Tensor2D;
  /** y = γ x̂ + β, [B, C]. */
  readonly y: tfc.Tensor2D;
}

/** Batch normalisation of x [B, C] over the batch axis, step by step. The caller disposes the result. */
export function batchNormForward(
  tf: Tf,
  x: tfc.Tensor2D,
  gamma: tfc.Tensor1D,
  beta: tfc.Tensor1D,
  eps: number,
): BatchNormResult {
  if (x.shape[0] < 1) throw new RangeError('batch normalisation needs at least one example');
  return tf.tidy(() => {
    const mean = tf.mean(x, 0) as tfc.Tensor1D;
    const centred = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centred), 0) as tfc.Tensor1D;
    const xhat = tf.div(centred, tf.sqrt(tf.add(variance, eps))) as tfc.Tensor2D;
    const y = tf.add(tf.mul(xhat, gamma), beta) as tfc.Tensor2D;
    return { mean, variance, xhat, y };
  });
}

/** Inference-mode BN: the running statistics take the place of μ_B and σ²_B. */
export function batchNormInference(
  tf: Tf,
  x: tfc.Tensor2D,
  gamma: tfc.Tensor1D,
  beta: tfc.Tensor1D,
  runningMean: tfc.Tensor1D,
  runningVariance: tfc.Tensor1D,
  eps: number,
): tfc.Tensor2D {
  return tf.tidy(() => tf.add(tf.mul(tf.div(tf.sub(x, runningMean), tf.sqrt(tf.add(runningVariance, eps))), gamma), beta) as tfc.Tensor2D);
}

/**
 * Exponential moving average of the batch statistics, Keras convention:
 * running ← momentum · running + (1 − momentum) · batch. (PyTorch's `momentum` is 1 − this.)
 */
export function updateRunningStat(tf: Tf, running: tfc.Tensor, batch: tfc.Tensor, momentum: number): tfc.Tensor {
  checkMomentum(momentum);
  return tf.tidy(() => tf.add(tf.mul(running, momentum), tf.mul(batch, 1 - momentum)));
}

/**
 * Which batch variance feeds the running σ². Both normalise the batch itself with the biased
 * σ²_B = (1/B) Σ (xᵢ − μ_B)². For the running average, `unbiased` uses B/(B − 1) · σ²_B, as the
 * BN paper (Ioffe & Szegedy 2015, Algorithm 2: Var[x] = m/(m−1) · E_B[σ²_B]) and PyTorch do;
 * `biased` uses σ²_B itself, as Keras / tf.keras do. At small batches the difference is a visible
 * part of the train/inference gap (×2 at B = 2).
 */
export type VarianceEstimator = 'unbiased' | 'biased';

export const VARIANCE_ESTIMATORS: readonly VarianceEstimator[] = ['unbiased', 'biased'];

/** The factor σ²_B is multiplied by before it enters the running average. */
export function runningVarianceFactor(batchSize: number, estimator: VarianceEstimator): number {
  return estimator === 'unbiased' ? batchSize / (batchSize - 1) : 1;
}

export function checkMomentum(momentum: number): number {
  if (!Number.isFinite(momentum) || momentum < 0 || momentum >= 1) {
    throw new RangeError(`momentum must be in [0, 1), got ${momentum}`);
  }
  return momentum;
}

export interface HistogramCounts {
  /** Values per bin; values below the range are counted in bin 0, above it in the last bin. */
  readonly counts: Float32Array;
  /** Finite values below −range and above +range (already included in the end bins). */
  readonly below: number;
  readonly above: number;
  /** NaN and ±∞, skipped. */
  readonly nonFinite: number;
}

/** The `bins + 1` edges of `histogram`'s equal bins over [−range, range], ascending. */
export function histogramEdges(bins: number, range: number): Float64Array {
  const edges = new Float64Array(bins + 1);
  for (let k = 0; k <= bins; k++) edges[k] = -range + (2 * range * k) / bins;
  return edges;
}

/**
 * Counts of `values` in `bins` equal bins over [−range, range] (bin b is [edge b, edge b+1), the
 * last one closed); values outside clip into the end bins and are counted in `below` / `above`,
 * so a chart can say how much it clipped; NaN/∞ are skipped.
 */
export function histogram(values: ArrayLike<number>, bins: number, range: number): HistogramCounts {
  const counts = new Float32Array(bins);
  const edges = histogramEdges(bins, range);
  let nonFinite = 0, below = 0, above = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    if (v < -range) below++;
    else if (v > range) above++;
    let b = Math.min(bins - 1, Math.max(0, Math.floor(((v + range) / (2 * range)) * bins)));
    // The division rounds: a value on an edge may land one bin off. The edges decide.
    while (b > 0 && v < edges[b]) b--;
    while (b < bins - 1 && v >= edges[b + 1]) b++;
    counts[b]++;
  }
  return { counts, below, above, nonFinite };
}

/**
 * ReLU units that are dead on `values` ([examples, width] row-major inputs to the nonlinearity):
 * the input is ≤ 0 for every example, so the unit passes no signal and no gradient.
 */
export function deadReluUnits(values: ArrayLike<number>, width: number): number {
  let dead = 0;
  for (let u = 0; u < width; u++) {
    let alive = false;
    for (let i = u; i < values.length; i += width) {
      if (values[i] > 0) {
        alive = true;
        break;
      }
    }
    if (!alive) dead++;
  }
  return dead;
}

/** One column of the activation histograms: per layer of each network, the histogram at one step. */
export interface HistogramColumn {
  readonly plain: readonly HistogramCounts[];
  readonly bn: readonly HistogramCounts[];
}

/**
 * The per-layer activation histograms over training, each column at the step it was measured.
 * Which columns are kept follows `StepHistory` exactly (same step replaces, an earlier step starts
 * over, at most `max` columns: every other one is dropped and the minimum spacing doubles), so
 * every column is a real measurement at its recorded step and the chart places it by that step.
 */
export class HistogramHistory {
  private readonly index: StepHistory;
  private readonly byId = new Map<number, HistogramColumn>();
  private nextId = 0;

  constructor(
    readonly bins: number,
    readonly range: number,
    max = 120,
  ) {
    this.index = new StepHistory(1, max);
  }

  /** Histograms of each layer's values (`preActivations` of a snapshot) measured at `step`. */
  record(step: number, preActivations: { readonly plain: readonly ArrayLike<number>[]; readonly bn: readonly ArrayLike<number>[] }): void {
    const column: HistogramColumn = {
      plain: preActivations.plain.map((v) => histogram(v, this.bins, this.range)),
      bn: preActivations.bn.map((v) => histogram(v, this.bins, this.range)),
    };
    const id = this.nextId++;
    this.byId.set(id, column);
    this.index.record(step, [id]);
    const live = new Set(this.index.values[0]);
    for (const k of [...this.byId.keys()]) if (!live.has(k)) this.byId.delete(k);
  }

  /** Step of each column, ascending. */
  get steps(): readonly number[] {
    return this.index.steps;
  }

  get stepsPerColumn(): number {
    return this.index.stepsPerPoint;
  }

  get columns(): HistogramColumn[] {
    return this.index.values[0].map((id) => this.byId.get(id)!);
  }

  clear(): void {
    this.index.clear();
    this.byId.clear();
  }
}

/**
 * Horizontal extent of each histogram column on a chart `width` wide whose x-axis runs from step 0
 * to `xMax` (the newest step if larger): column i ends at its own step and covers the steps since
 * the column before (the first starts at 0), so the newest measurement sits at the right end of the
 * data and is always visible. A column narrower than `minWidth` is widened to the left (the first
 * to the right), so every column stays visible.
 */
export function histogramColumnSpans(steps: readonly number[], xMax: number, width: number, minWidth = 2): Array<{ x0: number; x1: number }> {
  const right = Math.max(xMax, steps.length ? steps[steps.length - 1] : 0, 1e-9);
  const x = (step: number) => (step / right) * width;
  return steps.map((step, i) => {
    const x1 = x(step);
    const x0 = i > 0 ? x(steps[i - 1]) : 0;
    if (x1 - x0 >= minWidth) return { x0, x1 };
    return x1 >= minWidth ? { x0: x1 - minWidth, x1 } : { x0: 0, x1: Math.min(width, minWidth) };
  });
}

/** Two interleaved spiral arms (label 0 / 1) with Gaussian noise, roughly within [−1, 1]². */
export function makeSpirals(rng: Rng, n: number, noise: number, turns = 1.5): Dataset2D {
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const r = 0.1 + 0.9 * rng();
    const angle = r * turns * 2 * Math.PI + cls * Math.PI;
    x[2 * i] = r * Math.cos(angle) + gaussian(rng) * noise;
    x[2 * i + 1] = r * Math.sin(angle) + gaussian(rng) * noise;
    y[i] = cls;
  }
  return { n, x, y };
}

export interface BatchNormExperimentOptions {
  readonly seed?: number;
  /** Hidden layers (each followed by BN in the BN network). */
  readonly depth?: number;
  readonly width?: number;
  readonly activation?: Activation;
  /** Plain SGD learning rate, shared by both networks. */
  readonly learningRate?: number;
  readonly batchSize?: number;
  readonly momentum?: number;
  /** Batch variance fed to the running σ² (default: unbiased, as in the BN paper and PyTorch). */
  readonly runningVariance?: VarianceEstimator;
  readonly eps?: number;
  readonly trainSize?: number;
  /** Examples whose pre-activations are read back for the histograms. */
  readonly probeSize?: number;
}

export interface UnitView {
  readonly layer: number;
  readonly unit: number;
  /** The unit's input on the latest mini-batch (before BN), length = batch size. */
  readonly x: Float32Array;
  readonly batchMean: number;
  readonly batchVariance: number;
  readonly xhat: Float32Array;
  readonly y: Float32Array;
  readonly gamma: number;
  readonly beta: number;
  readonly runningMean: number;
  readonly runningVariance: number;
  /** What this batch's σ² contributes to the running σ² (σ²_B, or B/(B−1) · σ²_B when unbiased). */
  readonly varianceForRunning: number;
  /** The same unit normalised with the running statistics (what inference computes). */
  readonly yInference: Float32Array;
}

export interface BatchNormSnapshot {
  readonly step: number;
  readonly batchSize: number;
  readonly varianceEstimator: VarianceEstimator;
  readonly depth: number;
  readonly width: number;
  /** Loss and accuracy on the whole training set; BN in inference mode (running statistics). */
  readonly plain: { readonly loss: number; readonly accuracy: number };
  readonly bn: { readonly loss: number; readonly accuracy: number };
  /** The latest mini-batch through the BN net twice: with batch statistics and with running statistics. */
  readonly mismatch: {
    readonly lossBatchStats: number;
    readonly lossRunningStats: number;
    /** Mean |P(class 1) with batch stats − with running stats| over the mini-batch. */
    readonly meanAbsProbabilityGap: number;
    readonly probBatchStats: Float32Array;
    readonly probRunningStats: Float32Array;
  };
  /** Inputs to each hidden layer's nonlinearity on the probe examples, [depth][probeSize·width]. */
  readonly preActivations: { readonly plain: Float32Array[]; readonly bn: Float32Array[] };
  readonly unit: UnitView;
}

export interface BatchNormExperiment {
  readonly depth: number;
  readonly width: number;
  readonly eps: number;
  readonly train: Dataset2D;
  readonly stepCount: number;
  readonly batchSize: number;
  readonly momentum: number;
  readonly learningRate: number;
  readonly varianceEstimator: VarianceEstimator;
  /**
   * `n` SGD steps of both networks on the same fresh mini-batches. Before the first step (and
   * after a reset or a batch-size change) the shown mini-batch is the one the next step uses.
   */
  step(n?: number): void;
  setBatchSize(batchSize: number): void;
  /** Which σ² feeds the running variance from the next step on. */
  setVarianceEstimator(estimator: VarianceEstimator): void;
  setMomentum(momentum: number): void;
  /** New learning rate: both networks restart from the shared initial weights. */
  setLearningRate(learningRate: number): void;
  /** Override γ and β of one unit (the demo's draggable parameters); training continues from them. */
  setGammaBeta(layer: number, unit: number, gamma: number, beta: number): void;
  reset(): void;
  /** Everything the view needs as one tensor (one readback); decode with `decode`. */
  readout(layer: number, unit: number): tfc.Tensor1D;
  decode(values: Float32Array, layer: number, unit: number): BatchNormSnapshot;
  snapshot(layer?: number, unit?: number): Promise<BatchNormSnapshot>;
  snapshotSync(layer?: number, unit?: number): BatchNormSnapshot;
  /**
   * Both networks' current parameters and running statistics, and the indices of the shown
   * mini-batch, read back synchronously: what an independent implementation needs to recompute
   * every number the demo shows (tests, inspection). Not for the animation loop.
   */
  parameters(): BatchNormParameters;
  dispose(): void;
}

export interface BatchNormParameters {
  /** Per hidden layer: weights [in, width] row-major, biases [width]; head weights [width], bias [1]. */
  readonly plain: { readonly weights: Float32Array[]; readonly biases: Float32Array[]; readonly head: [Float32Array, Float32Array] };
  readonly bn: {
    readonly weights: Float32Array[];
    readonly gammas: Float32Array[];
    readonly betas: Float32Array[];
    readonly runningMeans: Float32Array[];
    readonly runningVariances: Float32Array[];
    readonly head: [Float32Array, Float32Array];
  };
  /** Training-set indices of the shown mini-batch (the one the latest step used, or the next step will). */
  readonly batch: Int32Array;
  /** Examples 0 … probeSize − 1 of the training set are the histograms' probe examples. */
  readonly probeSize: number;
}

interface PlainNet {
  readonly weights: tfc.Variable[];
  readonly biases: tfc.Variable[];
  readonly head: [tfc.Variable, tfc.Variable];
}
interface BnNet {
  readonly weights: tfc.Variable[];
  readonly gammas: tfc.Variable[];
  readonly betas: tfc.Variable[];
  readonly runningMeans: tfc.Variable[];
  readonly runningVariances: tfc.Variable[];
  readonly head: [tfc.Variable, tfc.Variable];
}

export function createBatchNormExperiment(tf: Tf, options: BatchNormExperimentOptions = {}): BatchNormExperiment {
  const seed = options.seed ?? 11;
  const depth = positiveInt(options.depth ?? 8, 'depth');
  const width = positiveInt(options.width ?? 32, 'width');
  const activation: Activation = options.activation ?? 'relu';
  const eps = options.eps ?? 1e-3;
  const trainSize = positiveInt(options.trainSize ?? 512, 'trainSize');
  const probeSize = Math.min(positiveInt(options.probeSize ?? 64, 'probeSize'), trainSize);
  let learningRate = checkLearningRate(options.learningRate ?? 1);
  let batchSize = checkBatchSize(options.batchSize ?? 32, trainSize);
  let momentum = checkMomentum(options.momentum ?? 0.9);
  let varianceEstimator = checkEstimator(options.runningVariance ?? 'unbiased');

  const train = makeSpirals(createRng(seed), trainSize, 0.04);
  const xAll = tf.tensor2d(train.x, [trainSize, 2]);
  const yAll = tf.tensor2d(train.y, [trainSize, 1]);
  const xProbe = tf.tensor2d(train.x.subarray(0, probeSize * 2), [probeSize, 2]);

  // Shared initial weights (Glorot for tanh, He for ReLU); biases 0, γ = 1, β = 0.
  const initRng = createRng(seed * 7919 + 1);
  const fanScale = (fanIn: number, fanOut: number) =>
    activation === 'tanh' ? Math.sqrt(2 / (fanIn + fanOut)) : Math.sqrt(2 / fanIn);
  const initialWeights: Float32Array[] = [];
  for (let l = 0; l < depth; l++) {
    const fanIn = l === 0 ? 2 : width;
    initialWeights.push(gaussianArray(initRng, fanIn * width, fanScale(fanIn, width)));
  }
  const initialHead = gaussianArray(initRng, width, Math.sqrt(1 / width));
  const shapeOf = (l: number): [number, number] => [l === 0 ? 2 : width, width];

  const variable = (values: Float32Array | number, shape: number[], trainable = true): tfc.Variable => {
    const t = typeof values === 'number' ? tf.fill(shape, values) : tf.tensor(values, shape);
    const v = tf.variable(t, trainable);
    t.dispose();
    return v;
  };
  const plain: PlainNet = {
    weights: initialWeights.map((w, l) => variable(w, shapeOf(l))),
    biases: initialWeights.map(() => variable(0, [width])),
    head: [variable(initialHead, [width, 1]), variable(0, [1])],
  };
  const bn: BnNet = {
    weights: initialWeights.map((w, l) => variable(w, shapeOf(l))),
    gammas: initialWeights.map(() => variable(1, [width])),
    betas: initialWeights.map(() => variable(0, [width])),
    runningMeans: initialWeights.map(() => variable(0, [width], false)),
    runningVariances: initialWeights.map(() => variable(1, [width], false)),
    head: [variable(initialHead, [width, 1]), variable(0, [1])],
  };
  const plainParams = [...plain.weights, ...plain.biases, ...plain.head];
  const bnParams = [...bn.weights, ...bn.gammas, ...bn.betas, ...bn.head];
  let plainOptimizer = tf.train.sgd(learningRate);
  let bnOptimizer = tf.train.sgd(learningRate);

  let batchRng = createRng(seed * 31 + 3);
  const drawBatch = (): number[] => {
    const idx: number[] = [];
    for (let i = 0; i < batchSize; i++) idx.push(Math.floor(batchRng() * trainSize));
    return idx;
  };
  // The shown mini-batch is a real one from the start: the batch the first step will train on.
  let lastBatch: number[] = drawBatch();
  let nextStepUsesLastBatch = true;
  let lastBatchIndices = tf.tensor1d(Int32Array.from(lastBatch), 'int32');
  let stepCount = 0;
  let disposed = false;

  const act = (z: tfc.Tensor) => (activation === 'tanh' ? tf.tanh(z) : tf.relu(z));
  const bce = (logits: tfc.Tensor, y: tfc.Tensor): tfc.Scalar =>
    tf.mean(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))))) as tfc.Scalar;
  const accuracy = (logits: tfc.Tensor, y: tfc.Tensor) =>
    tf.mean(tf.cast(tf.equal(tf.cast(tf.greater(logits, 0), 'float32'), y), 'float32'));

  /** Plain forward; `pre` collects each layer's input to the nonlinearity. */
  const plainForward = (x: tfc.Tensor, pre?: tfc.Tensor[]): tfc.Tensor => {
    let h = x;
    for (let l = 0; l < depth; l++) {
      const z = tf.add(tf.matMul(h as tfc.Tensor2D, plain.weights[l] as tfc.Tensor2D), plain.biases[l]);
      pre?.push(z);
      h = act(z);
    }
    return tf.add(tf.matMul(h as tfc.Tensor2D, plain.head[0] as tfc.Tensor2D), plain.head[1]);
  };

  interface BnTrace {
    /** Per layer: the layer's BN input and its four steps (train mode). */
    readonly layers?: Array<{ z: tfc.Tensor2D; bn: BatchNormResult }>;
    /** Per layer: input to the nonlinearity. */
    readonly pre?: tfc.Tensor[];
  }
  const bnForward = (x: tfc.Tensor, mode: 'batch' | 'running', trace: BnTrace = {}): tfc.Tensor => {
    let h = x;
    for (let l = 0; l < depth; l++) {
      const z = tf.matMul(h as tfc.Tensor2D, bn.weights[l] as tfc.Tensor2D) as tfc.Tensor2D;
      let y: tfc.Tensor2D;
      if (mode === 'batch') {
        const r = batchNormForward(tf, z, bn.gammas[l] as tfc.Tensor1D, bn.betas[l] as tfc.Tensor1D, eps);
        trace.layers?.push({ z, bn: r });
        y = r.y;
      } else {
        y = batchNormInference(tf, z, bn.gammas[l] as tfc.Tensor1D, bn.betas[l] as tfc.Tensor1D,
          bn.runningMeans[l] as tfc.Tensor1D, bn.runningVariances[l] as tfc.Tensor1D, eps);
      }
      trace.pre?.push(y);
      h = act(y);
    }
    return tf.add(tf.matMul(h as tfc.Tensor2D, bn.head[0] as tfc.Tensor2D), bn.head[1]);
  };

  const assertLive = () => {
    if (disposed) throw new Error('batch-norm experiment used after dispose()');
  };

  const step = (n = 1) => {
    assertLive();
    for (let s = 0; s < n; s++) {
      if (!nextStepUsesLastBatch) lastBatch = drawBatch();
      nextStepUsesLastBatch = false;
      const indices = tf.tensor1d(Int32Array.from(lastBatch), 'int32');
      const [xb, yb] = tf.tidy(() => [tf.gather(xAll, indices), tf.gather(yAll, indices)]);
      plainOptimizer.minimize(() => bce(plainForward(xb), yb), false, plainParams);
      const stats: Array<{ mean: tfc.Tensor; variance: tfc.Tensor }> = [];
      bnOptimizer.minimize(() => {
        const layers: Array<{ z: tfc.Tensor2D; bn: BatchNormResult }> = [];
        const loss = bce(bnForward(xb, 'batch', { layers }), yb);
        // The batch statistics of this forward pass (before the update) feed the running averages.
        for (const { bn: r } of layers) stats.push({ mean: tf.keep(r.mean), variance: tf.keep(r.variance) });
        return loss;
      }, false, bnParams);
      stats.forEach((st, l) => {
        tf.tidy(() => {
          bn.runningMeans[l].assign(updateRunningStat(tf, bn.runningMeans[l], st.mean, momentum));
          const fed = tf.mul(st.variance, runningVarianceFactor(batchSize, varianceEstimator));
          bn.runningVariances[l].assign(updateRunningStat(tf, bn.runningVariances[l], fed, momentum));
        });
        tf.dispose([st.mean, st.variance]);
      });
      tf.dispose([xb, yb]);
      lastBatchIndices.dispose();
      lastBatchIndices = indices;
      stepCount++;
    }
  };

  const reset = () => {
    assertLive();
    tf.tidy(() => {
      initialWeights.forEach((w, l) => {
        plain.weights[l].assign(tf.tensor(w, shapeOf(l)) as tfc.Tensor);
        bn.weights[l].assign(tf.tensor(w, shapeOf(l)) as tfc.Tensor);
        plain.biases[l].assign(tf.zeros([width]));
        bn.gammas[l].assign(tf.ones([width]));
        bn.betas[l].assign(tf.zeros([width]));
        bn.runningMeans[l].assign(tf.zeros([width]));
        bn.runningVariances[l].assign(tf.ones([width]));
      });
      for (const net of [plain, bn]) {
        net.head[0].assign(tf.tensor(initialHead, [width, 1]));
        net.head[1].assign(tf.zeros([1]));
      }
    });
    plainOptimizer.dispose();
    bnOptimizer.dispose();
    plainOptimizer = tf.train.sgd(learningRate);
    bnOptimizer = tf.train.sgd(learningRate);
    batchRng = createRng(seed * 31 + 3);
    lastBatch = drawBatch();
    nextStepUsesLastBatch = true;
    lastBatchIndices.dispose();
    lastBatchIndices = tf.tensor1d(Int32Array.from(lastBatch), 'int32');
    stepCount = 0;
  };

  const checkUnit = (layer: number, unit: number) => {
    if (!Number.isInteger(layer) || layer < 0 || layer >= depth) throw new RangeError(`layer must be in 0..${depth - 1}, got ${layer}`);
    if (!Number.isInteger(unit) || unit < 0 || unit >= width) throw new RangeError(`unit must be in 0..${width - 1}, got ${unit}`);
  };

  const readout = (layer: number, unit: number): tfc.Tensor1D => {
    assertLive();
    checkUnit(layer, unit);
    return tf.tidy(() => {
      const plainLogits = plainForward(xAll);
      const bnLogits = bnForward(xAll, 'running');
      const xb = tf.gather(xAll, lastBatchIndices);
      const yb = tf.gather(yAll, lastBatchIndices);
      const layers: Array<{ z: tfc.Tensor2D; bn: BatchNormResult }> = [];
      const batchLogits = bnForward(xb, 'batch', { layers });
      const runningLogits = bnForward(xb, 'running');
      const probBatch = tf.sigmoid(batchLogits);
      const probRunning = tf.sigmoid(runningLogits);
      const plainPre: tfc.Tensor[] = [];
      plainForward(xProbe, plainPre);
      const bnPre: tfc.Tensor[] = [];
      bnForward(xProbe, 'running', { pre: bnPre });
      const { z, bn: r } = layers[layer];
      const column = (t: tfc.Tensor) => tf.reshape(tf.slice(t, [0, unit], [-1, 1]), [-1]);
      const at = (t: tfc.Tensor) => tf.reshape(tf.slice(t, [unit], [1]), [1]);
      const zu = column(z);
      const yInference = tf.add(
        tf.mul(tf.div(tf.sub(zu, at(bn.runningMeans[layer])), tf.sqrt(tf.add(at(bn.runningVariances[layer]), eps))), at(bn.gammas[layer])),
        at(bn.betas[layer]),
      );
      return tf.concat([
        tf.stack([
          bce(plainLogits, yAll), accuracy(plainLogits, yAll),
          bce(bnLogits, yAll), accuracy(bnLogits, yAll),
          bce(batchLogits, yb), bce(runningLogits, yb),
          tf.mean(tf.abs(tf.sub(probBatch, probRunning))),
        ]),
        at(r.mean), at(r.variance), at(bn.gammas[layer]), at(bn.betas[layer]),
        at(bn.runningMeans[layer]), at(bn.runningVariances[layer]),
        zu, column(r.xhat), column(r.y), yInference,
        tf.reshape(probBatch, [-1]), tf.reshape(probRunning, [-1]),
        ...plainPre.map((t) => tf.reshape(t, [-1])),
        ...bnPre.map((t) => tf.reshape(t, [-1])),
      ]) as tfc.Tensor1D;
    });
  };

  const decode = (v: Float32Array, layer: number, unit: number): BatchNormSnapshot => {
    const B = batchSize;
    const perLayer = probeSize * width;
    const expected = 13 + 6 * B + 2 * depth * perLayer;
    if (v.length !== expected) throw new Error(`batch-norm readout has ${v.length} values, expected ${expected}`);
    let o = 13;
    const take = (n: number) => v.slice(o, (o += n));
    const x = take(B);
    const xhat = take(B);
    const y = take(B);
    const yInference = take(B);
    const probBatchStats = take(B);
    const probRunningStats = take(B);
    const plainPre = Array.from({ length: depth }, () => take(perLayer));
    const bnPre = Array.from({ length: depth }, () => take(perLayer));
    return {
      step: stepCount,
      batchSize: B,
      varianceEstimator,
      depth,
      width,
      plain: { loss: v[0], accuracy: v[1] },
      bn: { loss: v[2], accuracy: v[3] },
      mismatch: { lossBatchStats: v[4], lossRunningStats: v[5], meanAbsProbabilityGap: v[6], probBatchStats, probRunningStats },
      preActivations: { plain: plainPre, bn: bnPre },
      unit: {
        layer, unit, x, xhat, y, yInference,
        batchMean: v[7], batchVariance: v[8], gamma: v[9], beta: v[10], runningMean: v[11], runningVariance: v[12],
        varianceForRunning: v[8] * runningVarianceFactor(B, varianceEstimator),
      },
    };
  };

  return {
    depth,
    width,
    eps,
    train,
    get stepCount() {
      return stepCount;
    },
    get batchSize() {
      return batchSize;
    },
    get momentum() {
      return momentum;
    },
    get learningRate() {
      return learningRate;
    },
    get varianceEstimator() {
      return varianceEstimator;
    },
    step,
    setVarianceEstimator(next: VarianceEstimator) {
      varianceEstimator = checkEstimator(next);
    },
    setBatchSize(next: number) {
      assertLive();
      batchSize = checkBatchSize(next, trainSize);
      // Keep the shown mini-batch meaningful: a fresh batch of the new size, which the next step uses.
      lastBatch = drawBatch();
      nextStepUsesLastBatch = true;
      lastBatchIndices.dispose();
      lastBatchIndices = tf.tensor1d(Int32Array.from(lastBatch), 'int32');
    },
    setMomentum(next: number) {
      momentum = checkMomentum(next);
    },
    setLearningRate(next: number) {
      learningRate = checkLearningRate(next);
      reset();
    },
    setGammaBeta(layer: number, unit: number, gamma: number, beta: number) {
      assertLive();
      checkUnit(layer, unit);
      if (!Number.isFinite(gamma) || !Number.isFinite(beta)) throw new RangeError('γ and β must be finite numbers');
      tf.tidy(() => {
        const hot = tf.reshape(tf.oneHot(tf.tensor1d([unit], 'int32'), width), [width]);
        const keep = tf.sub(1, hot);
        bn.gammas[layer].assign(tf.add(tf.mul(bn.gammas[layer], keep), tf.mul(hot, gamma)));
        bn.betas[layer].assign(tf.add(tf.mul(bn.betas[layer], keep), tf.mul(hot, beta)));
      });
    },
    reset,
    readout,
    decode,
    async snapshot(layer = 0, unit = 0) {
      const t = readout(layer, unit);
      // Disposed while the read is pending (tfjs defers the release): the tensor count stays flat.
      const pending = t.data();
      t.dispose();
      return decode((await pending) as Float32Array, layer, unit);
    },
    snapshotSync(layer = 0, unit = 0) {
      const t = readout(layer, unit);
      try {
        return decode(t.dataSync() as Float32Array, layer, unit);
      } finally {
        t.dispose();
      }
    },
    parameters() {
      assertLive();
      const read = (vs: readonly tfc.Variable[]) => vs.map((v) => Float32Array.from(v.dataSync()));
      const head = (h: readonly tfc.Variable[]) => read(h) as [Float32Array, Float32Array];
      return {
        plain: { weights: read(plain.weights), biases: read(plain.biases), head: head(plain.head) },
        bn: {
          weights: read(bn.weights), gammas: read(bn.gammas), betas: read(bn.betas),
          runningMeans: read(bn.runningMeans), runningVariances: read(bn.runningVariances), head: head(bn.head),
        },
        batch: Int32Array.from(lastBatch),
        probeSize,
      };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([xAll, yAll, xProbe, lastBatchIndices, ...plainParams, ...bnParams, ...bn.runningMeans, ...bn.runningVariances]);
      plainOptimizer.dispose();
      bnOptimizer.dispose();
    },
  };
}

function checkLearningRate(lr: number): number {
  if (!Number.isFinite(lr) || lr <= 0) throw new RangeError(`learning rate must be a positive number, got ${lr}`);
  return lr;
}

function checkEstimator(e: VarianceEstimator): VarianceEstimator {
  if (!VARIANCE_ESTIMATORS.includes(e)) throw new RangeError(`running variance must be 'unbiased' or 'biased', got ${String(e)}`);
  return e;
}

function checkBatchSize(b: number, trainSize: number): number {
  if (!Number.isInteger(b) || b < 2 || b > trainSize) throw new RangeError(`batch size must be an integer in 2..${trainSize}, got ${b}`);
  return b;
}

function positiveInt(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
  return n;
}
