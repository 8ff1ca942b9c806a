/**
 * Numeric core of the dropout demo: two MLPs (2 → H → H → 1, ReLU) trained for real from the same
 * initial weights on a small noisy two-moons set, one without dropout and one with drop
 * probability p, under one of three scaling conventions. Pure: tfjs is passed in, randomness comes
 * from a seeded PRNG, so a seed reproduces a run exactly (Node tests, browser demo).
 *
 * Every training step draws a FRESH mask from the PRNG (a fixed seed per op would reuse one mask
 * forever). Shapes never change between steps, so WebGL compiles each shader once.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { createRng, gaussian, gaussianArray, type Rng } from './rng';

export type Tf = typeof tfc;

/**
 * - `inverted`: scale kept units by 1/(1−p) while training, nothing at test (what frameworks do);
 * - `lecture`: no scaling while training, multiply by the keep probability 1−p at test time;
 * - `wrong`: like `lecture` but multiply by p at test (the ConvNetJS bug). Identical to `lecture`
 *   when p = 0.5, which is why it went unnoticed.
 */
export type DropoutConvention = 'inverted' | 'lecture' | 'wrong';
export type DropoutMode = 'train' | 'eval';

export const DROPOUT_CONVENTIONS: readonly DropoutConvention[] = ['inverted', 'lecture', 'wrong'];
/** Above this the inverted scale 1/(1−p) explodes and nothing is left to learn from. */
export const MAX_DROP_PROBABILITY = 0.9;

export interface DropoutScaling {
  /** Factor applied to the kept units during training. */
  readonly train: number;
  /** Factor applied to every unit at test time. */
  readonly eval: number;
}

export function checkDropProbability(p: number): number {
  if (!Number.isFinite(p) || p < 0 || p > MAX_DROP_PROBABILITY) {
    throw new RangeError(`drop probability must be in [0, ${MAX_DROP_PROBABILITY}], got ${p}`);
  }
  return p;
}

export function dropoutScaling(p: number, convention: DropoutConvention): DropoutScaling {
  checkDropProbability(p);
  switch (convention) {
    case 'inverted':
      return { train: 1 / (1 - p), eval: 1 };
    case 'lecture':
      return { train: 1, eval: 1 - p };
    case 'wrong':
      return { train: 1, eval: p };
  }
}

/** Whether two conventions train identically (and differ at most at test time). */
export function sameTraining(a: DropoutConvention, b: DropoutConvention): boolean {
  return (a === 'inverted') === (b === 'inverted');
}

/** A fresh Bernoulli keep mask (1 = kept, probability 1−p) drawn from `rng`. */
export function dropoutMask(tf: Tf, shape: readonly [number, number], p: number, rng: Rng): tfc.Tensor2D {
  checkDropProbability(p);
  const values = new Float32Array(shape[0] * shape[1]);
  for (let i = 0; i < values.length; i++) values[i] = rng() >= p ? 1 : 0;
  return tf.tensor2d(values, [shape[0], shape[1]]) as tfc.Tensor2D;
}

/**
 * One dropout layer. In `train` mode a fresh mask (same shape as `x`) is drawn and returned so it
 * can be shown; in `eval` mode every unit is kept and multiplied by the convention's test factor.
 * The caller owns (disposes) both returned tensors.
 */
export function dropoutForward(
  tf: Tf,
  x: tfc.Tensor2D,
  p: number,
  mode: DropoutMode,
  convention: DropoutConvention,
  rng: Rng,
): { y: tfc.Tensor2D; mask: tfc.Tensor2D | null } {
  const scaling = dropoutScaling(p, convention);
  if (mode === 'eval') return { y: tf.tidy(() => tf.mul(x, tf.scalar(scaling.eval)) as tfc.Tensor2D), mask: null };
  const mask = dropoutMask(tf, [x.shape[0], x.shape[1]], p, rng);
  const y = tf.tidy(() => tf.mul(tf.mul(x, mask), tf.scalar(scaling.train)) as tfc.Tensor2D);
  return { y, mask };
}

export interface Dataset2D {
  readonly n: number;
  /** Row-major [n, 2]. */
  readonly x: Float32Array;
  /** 0 or 1, length n. */
  readonly y: Float32Array;
}

/**
 * Two interleaved half-moons, centred on the origin, with Gaussian position noise and a fraction
 * of labels flipped — noise a wide network can memorise, which is the over-fitting we want.
 */
export function makeMoons(rng: Rng, n: number, noise: number, labelNoise: number): Dataset2D {
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const t = Math.PI * rng();
    const px = cls === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const py = cls === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    x[2 * i] = (px - 0.5) * 1.2 + gaussian(rng) * noise;
    x[2 * i + 1] = (py - 0.25) * 1.2 + gaussian(rng) * noise;
    y[i] = rng() < labelNoise ? 1 - cls : cls;
  }
  return { n, x, y };
}

export interface DropoutExperimentOptions {
  readonly seed?: number;
  /** Units in each of the two hidden layers. */
  readonly hidden?: number;
  readonly p?: number;
  readonly convention?: DropoutConvention;
  readonly trainSize?: number;
  readonly valSize?: number;
  readonly noise?: number;
  readonly labelNoise?: number;
  /** Adam learning rate. */
  readonly learningRate?: number;
  /** Heat-map resolution (res × res points, one batched predict per network). */
  readonly gridResolution?: number;
  /** The grid covers [−extent, extent]². */
  readonly extent?: number;
  /** Masks averaged in the live expectation check. */
  readonly checkMasks?: number;
  /** Validation points fed through layer 1 in the expectation check. */
  readonly checkPoints?: number;
}

export interface LossPair {
  readonly train: number;
  readonly val: number;
}

export interface DropoutSnapshot {
  readonly step: number;
  readonly p: number;
  readonly convention: DropoutConvention;
  /** Binary cross-entropy in eval mode (the convention's test-time scaling) on both sets. */
  readonly baseline: LossPair;
  readonly dropout: LossPair;
  readonly gridResolution: number;
  /** P(class 1) on the grid, row-major, row 0 at y = +extent. */
  readonly baselineGrid: Float32Array;
  /** Same for the dropout network, in the view mode asked for (eval, or one sampled thinned net). */
  readonly dropoutGrid: Float32Array;
  /** The keep masks used in the latest training step, [trainSize, hidden] each (1 = kept). */
  readonly masks: readonly [Uint8Array, Uint8Array];
  /**
   * Layer-1 activations after dropout, per unit, averaged over the check points:
   * `trainMean` over `checkMasks` fresh training masks, `evalValue` with the test-time scaling.
   * Equal in expectation for `inverted` and `lecture`; off by p/(1−p) for `wrong`.
   */
  readonly check: { readonly trainMean: Float32Array; readonly evalValue: Float32Array; readonly masks: number };
}

interface Net {
  readonly params: tfc.Variable[];
  readonly optimizer: ResettableAdam;
}

/**
 * Adam with the same update rule as `tf.train.adam`, but its moment estimates are allocated up
 * front and reset in place. `tf.train.adam` creates them lazily on the first step, so every
 * reset (a fresh optimiser) would first drop the live tensor count and then raise it again —
 * indistinguishable from a leak for the demo host's tensor guard and for our flat-count tests.
 * A test checks it against `tf.train.adam` step by step.
 */
export class ResettableAdam {
  private readonly m: tfc.Variable[];
  private readonly v: tfc.Variable[];
  private t = 0;

  constructor(
    private readonly tf: Tf,
    private readonly params: readonly tfc.Variable[],
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    this.m = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    this.v = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
  }

  /** One step on the gradient of `loss` with respect to the parameters. */
  minimize(loss: () => tfc.Scalar): void {
    const { tf } = this;
    const { value, grads } = tf.variableGrads(loss, [...this.params]);
    this.t += 1;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const g = grads[p.name];
        const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        p.assign(tf.sub(p, tf.mul(tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), this.epsilon)), this.learningRate)));
      });
    });
    tf.dispose([value, ...Object.values(grads)]);
  }

  reset(): void {
    this.t = 0;
    this.tf.tidy(() => [...this.m, ...this.v].forEach((x) => x.assign(this.tf.zerosLike(x))));
  }

  dispose(): void {
    this.tf.dispose([...this.m, ...this.v]);
  }
}

type DropoutPlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'train'; readonly masks: readonly [tfc.Tensor, tfc.Tensor]; readonly scale: number }
  | { readonly kind: 'eval'; readonly scale: number };

export interface DropoutExperiment {
  readonly hidden: number;
  readonly train: Dataset2D;
  readonly val: Dataset2D;
  readonly extent: number;
  readonly gridResolution: number;
  readonly stepCount: number;
  readonly p: number;
  readonly convention: DropoutConvention;
  /** `n` optimisation steps of both networks (full batch, fresh dropout masks each step). */
  step(n?: number): void;
  /** Change p: restarts both networks from the shared initial weights. */
  setP(p: number): void;
  /**
   * Change the convention. Returns true if training restarted (to or from `inverted`, which
   * trains differently); `lecture` ↔ `wrong` only changes test time, so the trained net is kept.
   */
  setConvention(convention: DropoutConvention): boolean;
  /** Back to the shared initial weights, step 0, fresh optimiser state. */
  reset(): void;
  /** Everything the view needs as one tensor, for a single readback; decode with `decode`. */
  readout(view?: DropoutMode): tfc.Tensor1D;
  decode(values: Float32Array): DropoutSnapshot;
  /** `readout` + one `await data()` + `decode`. */
  snapshot(view?: DropoutMode): Promise<DropoutSnapshot>;
  snapshotSync(view?: DropoutMode): DropoutSnapshot;
  losses(): { baseline: LossPair; dropout: LossPair };
  /**
   * The current parameters of both networks (w1 [2, h], b1, w2 [h, h], b2, w3 [h, 1], b3, row-major),
   * read back synchronously: what an independent implementation needs to recompute every number
   * the demo shows (tests, inspection). Not for the animation loop.
   */
  parameters(): { baseline: Float32Array[]; dropout: Float32Array[] };
  dispose(): void;
}

export function createDropoutExperiment(tf: Tf, options: DropoutExperimentOptions = {}): DropoutExperiment {
  const seed = options.seed ?? 7;
  const hidden = positiveInt(options.hidden ?? 64, 'hidden');
  const trainSize = positiveInt(options.trainSize ?? 60, 'trainSize');
  const valSize = positiveInt(options.valSize ?? 400, 'valSize');
  const res = positiveInt(options.gridResolution ?? 50, 'gridResolution');
  const extent = options.extent ?? 2;
  const learningRate = options.learningRate ?? 0.01;
  const checkMasks = positiveInt(options.checkMasks ?? 128, 'checkMasks');
  const checkPoints = Math.min(positiveInt(options.checkPoints ?? 8, 'checkPoints'), valSize);
  let p = checkDropProbability(options.p ?? 0.5);
  let convention: DropoutConvention = options.convention ?? 'inverted';

  const dataRng = createRng(seed);
  const train = makeMoons(dataRng, trainSize, options.noise ?? 0.3, options.labelNoise ?? 0.1);
  const val = makeMoons(dataRng, valSize, options.noise ?? 0.3, options.labelNoise ?? 0.1);

  // He initialisation, drawn once and shared by both networks.
  const initRng = createRng(seed * 7919 + 1);
  const shapes: number[][] = [[2, hidden], [hidden], [hidden, hidden], [hidden], [hidden, 1], [1]];
  const initial = shapes.map((s) =>
    s.length === 1 ? new Float32Array(s[0]) : gaussianArray(initRng, s[0] * s[1], Math.sqrt(2 / s[0])),
  );

  const xTrain = tf.tensor2d(train.x, [trainSize, 2]);
  const yTrain = tf.tensor2d(train.y, [trainSize, 1]);
  const xVal = tf.tensor2d(val.x, [valSize, 2]);
  const yVal = tf.tensor2d(val.y, [valSize, 1]);
  const gridValues = new Float32Array(res * res * 2);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      const i = r * res + c;
      gridValues[2 * i] = -extent + ((c + 0.5) / res) * 2 * extent;
      gridValues[2 * i + 1] = extent - ((r + 0.5) / res) * 2 * extent;
    }
  }
  const xGrid = tf.tensor2d(gridValues, [res * res, 2]);
  const xCheck = tf.tensor2d(val.x.subarray(0, checkPoints * 2), [checkPoints, 2]);

  const makeNet = (): Net => {
    const params = initial.map((v, i) => {
      const value = tf.tensor(v, shapes[i]);
      const variable = tf.variable(value, true);
      value.dispose(); // the variable holds its own reference to the data
      return variable;
    });
    return { params, optimizer: new ResettableAdam(tf, params, learningRate) };
  };
  const baseline = makeNet();
  const dropoutNet = makeNet();

  let maskRng = createRng(seed * 31 + 3);
  let viewRng = createRng(seed * 131 + 5);
  let lastMasks: [tfc.Tensor2D, tfc.Tensor2D] = [tf.zeros([trainSize, hidden]), tf.zeros([trainSize, hidden])];
  let stepCount = 0;
  let disposed = false;

  const forward = (net: Net, x: tfc.Tensor, plan: DropoutPlan): tfc.Tensor => {
    const [w1, b1, w2, b2, w3, b3] = net.params;
    const drop = (h: tfc.Tensor, layer: 0 | 1): tfc.Tensor => {
      if (plan.kind === 'none') return h;
      if (plan.kind === 'eval') return tf.mul(h, plan.scale);
      return tf.mul(tf.mul(h, plan.masks[layer]), plan.scale);
    };
    const h1 = drop(tf.relu(tf.add(tf.matMul(x as tfc.Tensor2D, w1 as tfc.Tensor2D), b1)), 0);
    const h2 = drop(tf.relu(tf.add(tf.matMul(h1 as tfc.Tensor2D, w2 as tfc.Tensor2D), b2)), 1);
    return tf.add(tf.matMul(h2 as tfc.Tensor2D, w3 as tfc.Tensor2D), b3);
  };
  // Numerically stable binary cross-entropy on logits: max(z,0) − z·y + log(1 + e^−|z|).
  const bce = (logits: tfc.Tensor, y: tfc.Tensor): tfc.Scalar =>
    tf.mean(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))))) as tfc.Scalar;

  const evalPlan = (): DropoutPlan => ({ kind: 'eval', scale: dropoutScaling(p, convention).eval });

  const assertLive = () => {
    if (disposed) throw new Error('dropout experiment used after dispose()');
  };

  const step = (n = 1) => {
    assertLive();
    const trainScale = dropoutScaling(p, convention).train;
    for (let i = 0; i < n; i++) {
      baseline.optimizer.minimize(() => bce(forward(baseline, xTrain, { kind: 'none' }), yTrain));
      const masks: [tfc.Tensor2D, tfc.Tensor2D] = [
        dropoutMask(tf, [trainSize, hidden], p, maskRng),
        dropoutMask(tf, [trainSize, hidden], p, maskRng),
      ];
      dropoutNet.optimizer.minimize(() => bce(forward(dropoutNet, xTrain, { kind: 'train', masks, scale: trainScale }), yTrain));
      tf.dispose(lastMasks);
      lastMasks = masks;
      stepCount++;
    }
  };

  const reset = () => {
    assertLive();
    for (const net of [baseline, dropoutNet]) {
      net.params.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(initial[i], shapes[i]))));
      net.optimizer.reset();
    }
    maskRng = createRng(seed * 31 + 3);
    viewRng = createRng(seed * 131 + 5);
    tf.dispose(lastMasks);
    lastMasks = [tf.zeros([trainSize, hidden]), tf.zeros([trainSize, hidden])];
    stepCount = 0;
  };

  const readout = (view: DropoutMode = 'eval'): tfc.Tensor1D => {
    assertLive();
    const scaling = dropoutScaling(p, convention);
    const viewMasks: [tfc.Tensor2D, tfc.Tensor2D] = [
      dropoutMask(tf, [1, hidden], p, viewRng),
      dropoutMask(tf, [1, hidden], p, viewRng),
    ];
    const checkMask = dropoutMask(tf, [checkMasks * checkPoints, hidden], p, viewRng);
    const out = tf.tidy(() => {
      const plan = evalPlan();
      const losses = tf.stack([
        bce(forward(baseline, xTrain, { kind: 'none' }), yTrain),
        bce(forward(baseline, xVal, { kind: 'none' }), yVal),
        bce(forward(dropoutNet, xTrain, plan), yTrain),
        bce(forward(dropoutNet, xVal, plan), yVal),
      ]);
      const gridPlan: DropoutPlan = view === 'eval' ? plan : { kind: 'train', masks: viewMasks, scale: scaling.train };
      const gridB = tf.sigmoid(forward(baseline, xGrid, { kind: 'none' }));
      const gridD = tf.sigmoid(forward(dropoutNet, xGrid, gridPlan));
      // The expectation check on layer 1: E over masks of (mask · h · trainScale) vs h · evalScale.
      const [w1, b1] = dropoutNet.params;
      const h1 = tf.relu(tf.add(tf.matMul(xCheck, w1 as tfc.Tensor2D), b1));
      const trained = tf.mul(tf.mul(tf.tile(h1, [checkMasks, 1]), checkMask), scaling.train);
      const trainMean = tf.mean(trained, 0);
      const evalValue = tf.mean(tf.mul(h1, scaling.eval), 0);
      return tf.concat([
        losses,
        tf.reshape(gridB, [-1]),
        tf.reshape(gridD, [-1]),
        tf.reshape(lastMasks[0], [-1]),
        tf.reshape(lastMasks[1], [-1]),
        trainMean,
        evalValue,
      ]) as tfc.Tensor1D;
    });
    tf.dispose([...viewMasks, checkMask]);
    return out;
  };

  const decode = (v: Float32Array): DropoutSnapshot => {
    const expected = 4 + 2 * res * res + 2 * trainSize * hidden + 2 * hidden;
    if (v.length !== expected) throw new Error(`dropout readout has ${v.length} values, expected ${expected}`);
    let o = 4;
    const take = (n: number) => v.slice(o, (o += n));
    const baselineGrid = take(res * res);
    const dropoutGrid = take(res * res);
    const m1 = Uint8Array.from(take(trainSize * hidden));
    const m2 = Uint8Array.from(take(trainSize * hidden));
    const trainMean = take(hidden);
    const evalValue = take(hidden);
    return {
      step: stepCount,
      p,
      convention,
      baseline: { train: v[0], val: v[1] },
      dropout: { train: v[2], val: v[3] },
      gridResolution: res,
      baselineGrid,
      dropoutGrid,
      masks: [m1, m2],
      check: { trainMean, evalValue, masks: checkMasks },
    };
  };

  const snapshotSync = (view: DropoutMode = 'eval') => {
    const t = readout(view);
    try {
      return decode(t.dataSync() as Float32Array);
    } finally {
      t.dispose();
    }
  };

  return {
    hidden,
    train,
    val,
    extent,
    gridResolution: res,
    get stepCount() {
      return stepCount;
    },
    get p() {
      return p;
    },
    get convention() {
      return convention;
    },
    step,
    setP(next: number) {
      p = checkDropProbability(next);
      reset();
    },
    setConvention(next: DropoutConvention) {
      if (!DROPOUT_CONVENTIONS.includes(next)) throw new RangeError(`unknown dropout convention ${String(next)}`);
      const restart = !sameTraining(convention, next);
      convention = next;
      if (restart) reset();
      return restart;
    },
    reset,
    readout,
    decode,
    async snapshot(view: DropoutMode = 'eval') {
      const t = readout(view);
      // The read is already under way: disposing now keeps the live tensor count flat while the
      // GPU download is pending (tfjs defers the release until the read completes).
      const pending = t.data();
      t.dispose();
      return decode((await pending) as Float32Array);
    },
    snapshotSync,
    losses() {
      const s = snapshotSync('eval');
      return { baseline: s.baseline, dropout: s.dropout };
    },
    parameters() {
      assertLive();
      const read = (net: Net) => net.params.map((v) => Float32Array.from(v.dataSync()));
      return { baseline: read(baseline), dropout: read(dropoutNet) };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([xTrain, yTrain, xVal, yVal, xGrid, xCheck, ...lastMasks]);
      for (const net of [baseline, dropoutNet]) {
        net.optimizer.dispose();
        tf.dispose(net.params);
      }
    },
  };
}

function positiveInt(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
  return n;
}
