/**
 * The numeric core of the learning-dynamics demo (lecture 8's gradient descent, lecture 10's SGD
 * with momentum and weight decay): the notes' AlexNet update rule, exactly in its form
 *
 *   v_{i+1} = M·v_i − η·⟨∂L/∂w⟩ − μ·η·w_i,     w_{i+1} = w_i + v_{i+1}
 *
 * with η_t from a learning-rate schedule (constant, step, exponential, PSPNet's "poly"
 * (1 − t/max)^p), on 2-D loss surfaces whose gradients come from `tf.grad`, and the same rule
 * training one logistic unit twice on the same data: once with MSE, once with cross-entropy.
 * State stays in tensors of constant shape between frames; each frame runs several steps and
 * returns everything to draw from one readback. Pure: `tf` is passed in, nothing touches the DOM.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { createRng, gaussian } from './rng';

type Tf = typeof tfc;

export interface Hyper {
  /** Base learning rate η. */
  readonly eta: number;
  /** Momentum M (0 = plain gradient descent). */
  readonly M: number;
  /** Weight decay μ (multiplied by η, as in the notes). */
  readonly mu: number;
}

export type ScheduleKind = 'constant' | 'step' | 'exp' | 'poly';

export interface Schedule {
  readonly kind: ScheduleKind;
  /** Step schedule: multiply by `gamma` every `every` steps. Exponential: by `gamma` per step. */
  readonly gamma: number;
  readonly every: number;
  /** Poly schedule: (1 − t/max)^power, 0 from t = max on. */
  readonly max: number;
  readonly power: number;
}

export const DEFAULT_SCHEDULE: Schedule = { kind: 'constant', gamma: 0.5, every: 100, max: 400, power: 0.9 };

/** η_t / η: the factor the schedule applies at step t (0-based). */
export function scheduleFactor(s: Schedule, t: number): number {
  switch (s.kind) {
    case 'constant':
      return 1;
    case 'step':
      return s.gamma ** Math.floor(t / s.every);
    case 'exp':
      return s.gamma ** (t / s.every);
    case 'poly':
      return t >= s.max ? 0 : (1 - t / s.max) ** s.power;
    default: {
      const unreachable: never = s.kind;
      return unreachable;
    }
  }
}

/**
 * One step of the notes' rule on tensors: v' = M v − η g − μ η w, w' = w + v'. Returns new
 * tensors (the caller disposes the old ones).
 */
export function alexNetUpdate(tf: Tf, w: tfc.Tensor, v: tfc.Tensor, grad: tfc.Tensor, eta: number, h: Pick<Hyper, 'M' | 'mu'>): { w: tfc.Tensor; v: tfc.Tensor } {
  return tf.tidy(() => {
    const vNext = tf.sub(tf.sub(tf.mul(v, h.M), tf.mul(grad, eta)), tf.mul(w, h.mu * eta));
    return { w: tf.add(w, vNext), v: vNext };
  });
}

// ---- 2-D loss surfaces ------------------------------------------------------------------------

export type SurfaceId = 'ravine' | 'rosenbrock' | 'double-well';

export interface Surface {
  readonly id: SurfaceId;
  readonly label: string;
  /** Vectorised loss over tensors of any (equal) shape. */
  loss(tf: Tf, w1: tfc.Tensor, w2: tfc.Tensor): tfc.Tensor;
  /** The same in plain numbers (for readouts and the fixed-point search). */
  value(w1: number, w2: number): number;
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  readonly start: readonly [number, number];
  /** Where the loss alone is lowest (weight decay moves the fixed point away from it). */
  readonly minimum: readonly [number, number];
  readonly defaults: Hyper;
  /** What to try, in one sentence. */
  readonly hint: string;
}

export const SURFACES: Readonly<Record<SurfaceId, Surface>> = {
  ravine: {
    id: 'ravine',
    label: 'Ravine ½((w₁−2)² + 10(w₂−1)²)',
    loss: (tf, a, b) => tf.mul(0.5, tf.add(tf.square(tf.sub(a, 2)), tf.mul(10, tf.square(tf.sub(b, 1))))),
    value: (a, b) => 0.5 * ((a - 2) ** 2 + 10 * (b - 1) ** 2),
    x: [-3, 4],
    y: [-2, 3],
    start: [-2.5, 2.5],
    minimum: [2, 1],
    defaults: { eta: 0.15, M: 0, mu: 0 },
    hint: 'η = 0.15 zig-zags across the steep w₂ direction and crawls along w₁; η > 0.2 diverges (2/10). Momentum 0.9 at η = 0.02 gets there faster.',
  },
  rosenbrock: {
    id: 'rosenbrock',
    label: 'Rosenbrock (1−w₁)² + 5(w₂−w₁²)²',
    loss: (tf, a, b) => tf.add(tf.square(tf.sub(1, a)), tf.mul(5, tf.square(tf.sub(b, tf.square(a))))),
    value: (a, b) => (1 - a) ** 2 + 5 * (b - a * a) ** 2,
    x: [-2, 2],
    y: [-1, 3],
    start: [-1.5, 2.5],
    minimum: [1, 1],
    defaults: { eta: 0.01, M: 0.9, mu: 0 },
    hint: 'The curved valley: plain GD reaches the valley fast and then crawls; momentum carries the path along it.',
  },
  'double-well': {
    id: 'double-well',
    label: 'Two minima (w₁²−1)² + 0.3w₁ + w₂²',
    loss: (tf, a, b) => tf.add(tf.add(tf.square(tf.sub(tf.square(a), 1)), tf.mul(0.3, a)), tf.square(b)),
    value: (a, b) => (a * a - 1) ** 2 + 0.3 * a + b * b,
    x: [-2, 2],
    y: [-1.5, 1.5],
    start: [1.8, 1.2],
    minimum: [-1.036, 0],
    defaults: { eta: 0.02, M: 0.9, mu: 0 },
    hint: 'Plain GD stops in the shallow right minimum; with momentum 0.9 the path rolls over the bump into the deeper left one.',
  },
};

export const SURFACE_IDS = Object.keys(SURFACES) as SurfaceId[];

/** Loss on a res × res grid over the surface's window (row 0 = top = largest w₂), one readback. */
export async function lossGrid(tf: Tf, surface: Surface, res: number): Promise<Float32Array> {
  const t = tf.tidy(() => {
    const xs = tf.linspace(surface.x[0], surface.x[1], res);
    const ys = tf.linspace(surface.y[1], surface.y[0], res);
    const a = tf.tile(tf.reshape(xs, [1, res]), [res, 1]);
    const b = tf.tile(tf.reshape(ys, [res, 1]), [1, res]);
    return surface.loss(tf, a, b);
  });
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}

/** A frame's numbers still on the backend: `packed` to read (and dispose), `decode` for its values. */
export interface Pending<T> {
  readonly packed: tfc.Tensor;
  decode(values: Float32Array): T;
}

/** Reads one runner's frame on its own (the webview concatenates several for one readback). */
export async function readPending<T>(pending: Pending<T>): Promise<T> {
  try {
    return pending.decode((await pending.packed.data()) as Float32Array);
  } finally {
    pending.packed.dispose();
  }
}

export interface PathFrame {
  /** Positions after each step of the frame, [steps, 2] row-major. */
  readonly points: Float32Array;
  /** Loss after each step. */
  readonly losses: Float32Array;
  /** η_t used at each step. */
  readonly etas: number[];
  /** The velocity after the last step. */
  readonly velocity: [number, number];
}

/**
 * One optimiser on one surface: w and v live in tensors between frames. `frame(n)` runs n steps
 * of the notes' rule (with the schedule's η_t) and reads the whole frame back once.
 */
export class PathRunner {
  private w: tfc.Tensor1D;
  private v: tfc.Tensor1D;
  private t = 0;
  private readonly gradFn: (w: tfc.Tensor) => tfc.Tensor;

  constructor(private readonly tf: Tf, readonly surface: Surface, start: readonly [number, number]) {
    this.w = tf.tensor1d([start[0], start[1]]);
    this.v = tf.zeros([2]);
    this.gradFn = tf.grad((w: tfc.Tensor) => {
      const [a, b] = tf.split(w, 2);
      return tf.sum(surface.loss(tf, a, b));
    });
  }

  get step(): number {
    return this.t;
  }

  /**
   * Runs `steps` steps and returns the frame's numbers packed in one tensor (the caller reads it,
   * possibly concatenated with other runners' for a single readback, then calls `decode`).
   */
  advance(steps: number, h: Hyper, schedule: Schedule): Pending<PathFrame> {
    const { tf } = this;
    const etas: number[] = [];
    const packed = tf.tidy(() => {
      const rows: tfc.Tensor[] = [];
      const losses: tfc.Tensor[] = [];
      for (let n = 0; n < steps; n++) {
        const eta = h.eta * scheduleFactor(schedule, this.t);
        etas.push(eta);
        const g = this.gradFn(this.w);
        const next = alexNetUpdate(tf, this.w, this.v, g, eta, h);
        tf.dispose([this.w, this.v]);
        this.w = tf.keep(next.w as tfc.Tensor1D);
        this.v = tf.keep(next.v as tfc.Tensor1D);
        this.t += 1;
        // A copy: this.w itself is disposed by the next step.
        rows.push(tf.clone(this.w));
        const [a, b] = tf.split(this.w, 2);
        losses.push(tf.reshape(this.surface.loss(tf, a, b), [1]));
      }
      return tf.concat([...rows, ...losses, this.v]);
    });
    return {
      packed,
      decode: (all) => ({ points: all.slice(0, 2 * steps), losses: all.slice(2 * steps, 3 * steps), etas, velocity: [all[3 * steps], all[3 * steps + 1]] }),
    };
  }

  async frame(steps: number, h: Hyper, schedule: Schedule): Promise<PathFrame> {
    return readPending(this.advance(steps, h, schedule));
  }

  dispose(): void {
    this.tf.dispose([this.w, this.v]);
  }
}

/**
 * Where the rule comes to rest: ∇L(w) + μ w = 0 (v = 0 and w' = w). Found by plain gradient
 * descent on L + μ/2·|w|² in numbers, with a numerical gradient (for the readout only).
 */
export function decayedFixedPoint(surface: Surface, mu: number, from: readonly [number, number] = surface.minimum): [number, number] {
  let [a, b] = from;
  const f = (x: number, y: number): number => surface.value(x, y) + 0.5 * mu * (x * x + y * y);
  const e = 1e-5;
  for (let n = 0; n < 20000; n++) {
    const ga = (f(a + e, b) - f(a - e, b)) / (2 * e);
    const gb = (f(a, b + e) - f(a, b - e)) / (2 * e);
    a -= 0.01 * ga;
    b -= 0.01 * gb;
    if (Math.hypot(ga, gb) < 1e-7) break;
  }
  return [a, b];
}

// ---- MSE vs cross-entropy on one logistic unit ------------------------------------------------

export interface Blobs {
  /** [N, 2] row-major features. */
  readonly x: Float32Array;
  /** 0/1 labels. */
  readonly y: Float32Array;
}

/** Two Gaussian blobs around (−1, −1) and (1, 1), σ = 0.7. */
export function makeBlobs(seed: number, count = 100): Blobs {
  const rng = createRng(seed);
  const x = new Float32Array(count * 2);
  const y = new Float32Array(count);
  for (let n = 0; n < count; n++) {
    const c = n % 2;
    y[n] = c;
    x[2 * n] = (c ? 1 : -1) + 0.7 * gaussian(rng);
    x[2 * n + 1] = (c ? 1 : -1) + 0.7 * gaussian(rng);
  }
  return { x, y };
}

export type ClassifierInit = 'zero' | 'wrong';

/** Initial (w₁, w₂, b): zero, or confidently wrong (the sigmoid saturated on the wrong side). */
export function classifierInit(init: ClassifierInit): [number, number, number] {
  return init === 'zero' ? [0, 0, 0] : [-4, -4, 0];
}

export type ClassifierLoss = 'mse' | 'ce';

/** Mean loss of p = σ(w·x + b) against y: MSE mean (p − y)², or cross-entropy mean −[y log p + (1−y) log(1−p)]. */
export function classifierLoss(tf: Tf, params: tfc.Tensor, x: tfc.Tensor2D, y: tfc.Tensor1D, kind: ClassifierLoss): tfc.Scalar {
  return tf.tidy(() => {
    const w = tf.reshape(tf.slice(params, [0], [2]), [2, 1]);
    const b = tf.slice(params, [2], [1]);
    const z = tf.add(tf.reshape(tf.matMul(x, w), [-1]), b);
    if (kind === 'mse') return tf.mean(tf.square(tf.sub(tf.sigmoid(z), y)));
    // Stable form of the cross-entropy on logits: max(z, 0) − z·y + log(1 + e^{−|z|}).
    return tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))));
  });
}

export interface ClassifierFrame {
  /** (w₁, w₂, b) of the MSE and the cross-entropy model. */
  readonly params: { readonly mse: [number, number, number]; readonly ce: [number, number, number] };
  readonly loss: { readonly mse: number; readonly ce: number };
  /** Training accuracy of each model. */
  readonly accuracy: { readonly mse: number; readonly ce: number };
  /** |∇L| of each model at the last step. */
  readonly gradNorm: { readonly mse: number; readonly ce: number };
}

/** The same logistic unit trained twice from the same start with the same rule: MSE and cross-entropy. */
export class ClassifierRunner {
  private readonly x: tfc.Tensor2D;
  private readonly y: tfc.Tensor1D;
  private params: Record<ClassifierLoss, tfc.Tensor1D>;
  private velocity: Record<ClassifierLoss, tfc.Tensor1D>;
  private readonly grads: Record<ClassifierLoss, (p: tfc.Tensor) => tfc.Tensor>;
  private t = 0;

  constructor(private readonly tf: Tf, readonly data: Blobs, init: ClassifierInit) {
    this.x = tf.tensor2d(data.x, [data.y.length, 2]);
    this.y = tf.tensor1d(data.y);
    const start = classifierInit(init);
    this.params = { mse: tf.tensor1d(start), ce: tf.tensor1d(start) };
    this.velocity = { mse: tf.zeros([3]), ce: tf.zeros([3]) };
    this.grads = {
      mse: tf.grad((p: tfc.Tensor) => classifierLoss(tf, p, this.x, this.y, 'mse')),
      ce: tf.grad((p: tfc.Tensor) => classifierLoss(tf, p, this.x, this.y, 'ce')),
    };
  }

  get step(): number {
    return this.t;
  }

  /** Runs `steps` steps of both models; the frame's numbers packed in one tensor (see PathRunner.advance). */
  advance(steps: number, h: Hyper, schedule: Schedule): Pending<ClassifierFrame> {
    const { tf } = this;
    const packed = tf.tidy(() => {
      const norms: Partial<Record<ClassifierLoss, tfc.Tensor>> = {};
      for (let n = 0; n < steps; n++) {
        const eta = h.eta * scheduleFactor(schedule, this.t);
        for (const kind of ['mse', 'ce'] as const) {
          const g = this.grads[kind](this.params[kind]);
          if (n === steps - 1) norms[kind] = tf.reshape(tf.norm(g), [1]);
          const next = alexNetUpdate(tf, this.params[kind], this.velocity[kind], g, eta, h);
          tf.dispose([this.params[kind], this.velocity[kind]]);
          this.params[kind] = tf.keep(next.w as tfc.Tensor1D);
          this.velocity[kind] = tf.keep(next.v as tfc.Tensor1D);
        }
        this.t += 1;
      }
      const parts: tfc.Tensor[] = [];
      for (const kind of ['mse', 'ce'] as const) {
        const p = this.params[kind];
        const z = tf.add(tf.reshape(tf.matMul(this.x, tf.reshape(tf.slice(p, [0], [2]), [2, 1])), [-1]), tf.slice(p, [2], [1]));
        const correct = tf.mean(tf.cast(tf.equal(tf.cast(tf.greaterEqual(z, 0), 'float32'), this.y), 'float32'));
        parts.push(p, tf.reshape(classifierLoss(tf, p, this.x, this.y, kind), [1]), tf.reshape(correct, [1]), norms[kind] ?? tf.zeros([1]));
      }
      return tf.concat(parts);
    });
    return {
      packed,
      decode: (a) => ({
        params: { mse: [a[0], a[1], a[2]], ce: [a[6], a[7], a[8]] },
        loss: { mse: a[3], ce: a[9] },
        accuracy: { mse: a[4], ce: a[10] },
        gradNorm: { mse: a[5], ce: a[11] },
      }),
    };
  }

  async frame(steps: number, h: Hyper, schedule: Schedule): Promise<ClassifierFrame> {
    return readPending(this.advance(steps, h, schedule));
  }

  dispose(): void {
    this.tf.dispose([this.x, this.y, this.params.mse, this.params.ce, this.velocity.mse, this.velocity.ce]);
  }
}

/** The notes' TODO "when to use cross-entropy / MSE", answered with the demo's own numbers. */
export function lossChoiceAnswer(start: ClassifierFrame, after: ClassifierFrame, steps: number): string {
  const pct = (v: number): string => `${Math.round(v * 100)}%`;
  return (
    'Cross-entropy for classification (probabilities from a sigmoid/softmax), MSE for regression (real-valued targets). ' +
    'With a sigmoid output, the MSE gradient carries the factor σ′(z) = ŷ(1 − ŷ), which vanishes when the unit is confidently wrong; the cross-entropy gradient is just (ŷ − y)·x. ' +
    `In the demo, from a confidently wrong start: |∇L| = ${start.gradNorm.ce.toFixed(3)} for cross-entropy vs ${start.gradNorm.mse.toFixed(3)} for MSE; ` +
    `after ${steps} steps with the same update rule, accuracy ${pct(after.accuracy.ce)} (cross-entropy) vs ${pct(after.accuracy.mse)} (MSE).`
  );
}
