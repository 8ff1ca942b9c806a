/**
 * The numeric core of the Viola–Jones demo (lecture 10): the integral image computed with
 * `tf.cumsum`, any rectangle sum from four lookups S(D) − S(B) − S(C) + S(A), the two-, three-
 * and four-rectangle Haar features as signed combinations of integral-image corners (6, 8 and 9
 * distinct lookups), and AdaBoost choosing decision stumps on those features over a small
 * generated face / non-face set. The feature values of the whole set are one tensor product
 * (integral images [N, (n+1)²] × corner coefficients [(n+1)², M]); the stump search and the weight
 * updates are the few arithmetic lines of the lecture, in plain numbers a student can check.
 * Pure: `tf` is passed in, nothing touches the DOM. Pixel values are small integers, so every sum
 * is exact in float32 as in float64.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { createRng } from './rng';

type Tf = typeof tfc;

/** Inclusive rectangle in image coordinates: columns x0…x1, rows y0…y1 (the notes' convention). */
export interface Rect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Integral image S(y, x) = Σ_{y' ≤ y, x' ≤ x} i(y', x'), row-major [h, w], from tf.cumsum twice. */
export async function integralImage(tf: Tf, image: Float32Array, h: number, w: number): Promise<Float32Array> {
  if (image.length !== h * w) throw new RangeError(`image has ${image.length} values, expected ${h * w}`);
  const s = tf.tidy(() => tf.cumsum(tf.cumsum(tf.tensor2d(image, [h, w]), 0), 1));
  try {
    return (await s.data()) as Float32Array;
  } finally {
    s.dispose();
  }
}

/**
 * The integral image and, as a check of the four lookups, the rectangle's sum straight from the
 * pixels (tf.sum of the slice): one readback for both.
 */
export async function integralImageWithCheck(tf: Tf, image: Float32Array, h: number, w: number, rect: Rect): Promise<{ S: Float32Array; directSum: number }> {
  if (image.length !== h * w) throw new RangeError(`image has ${image.length} values, expected ${h * w}`);
  const packed = tf.tidy(() => {
    const x = tf.tensor2d(image, [h, w]);
    const s = tf.cumsum(tf.cumsum(x, 0), 1);
    const direct = tf.sum(tf.slice(x, [rect.y0, rect.x0], [rect.y1 - rect.y0 + 1, rect.x1 - rect.x0 + 1]));
    return tf.concat([tf.reshape(s, [-1]), tf.reshape(direct, [1])]);
  });
  try {
    const all = (await packed.data()) as Float32Array;
    return { S: all.slice(0, h * w), directSum: all[h * w] };
  } finally {
    packed.dispose();
  }
}

export interface Lookup {
  /** Integral-image cell; −1 means outside the image, where S = 0. */
  readonly row: number;
  readonly col: number;
  /** +1 or −1 (or ±2 where two rectangles of a feature share a corner). */
  readonly sign: number;
  /** S at that cell. */
  readonly value: number;
  /** A, B, C, D for a single rectangle (the notes' names), '' for feature corners. */
  readonly name: string;
}

function sAt(S: ArrayLike<number>, w: number, row: number, col: number): number {
  return row < 0 || col < 0 ? 0 : S[row * w + col];
}

/**
 * Σ over the rectangle = S(x1, y1) − S(x0−1, y1) − S(x1, y0−1) + S(x0−1, y0−1), i.e. D − C − B + A
 * with A above-left, B above-right, C below-left, D the bottom-right corner (the notes' naming).
 */
export function rectSum(S: ArrayLike<number>, w: number, rect: Rect): { sum: number; lookups: Lookup[] } {
  const { x0, y0, x1, y1 } = rect;
  const lookups: Lookup[] = [
    { row: y1, col: x1, sign: 1, value: sAt(S, w, y1, x1), name: 'D' },
    { row: y0 - 1, col: x1, sign: -1, value: sAt(S, w, y0 - 1, x1), name: 'B' },
    { row: y1, col: x0 - 1, sign: -1, value: sAt(S, w, y1, x0 - 1), name: 'C' },
    { row: y0 - 1, col: x0 - 1, sign: 1, value: sAt(S, w, y0 - 1, x0 - 1), name: 'A' },
  ];
  return { sum: lookups.reduce((acc, l) => acc + l.sign * l.value, 0), lookups };
}

export type HaarKind = 'two-h' | 'two-v' | 'three-h' | 'three-v' | 'four';
export const HAAR_KINDS: readonly HaarKind[] = ['two-h', 'two-v', 'three-h', 'three-v', 'four'];

export const HAAR_LABELS: Record<HaarKind, string> = {
  'two-h': 'two-rectangle, side by side',
  'two-v': 'two-rectangle, stacked',
  'three-h': 'three-rectangle, side by side',
  'three-v': 'three-rectangle, stacked',
  four: 'four-rectangle (diagonal)',
};

/** A feature: its kind, top-left cell and the size of one of its unit rectangles. */
export interface HaarFeature {
  readonly kind: HaarKind;
  readonly x: number;
  readonly y: number;
  readonly cw: number;
  readonly ch: number;
}

const LAYOUT: Record<HaarKind, { cols: number; rows: number; signs: number[] }> = {
  'two-h': { cols: 2, rows: 1, signs: [1, -1] },
  'two-v': { cols: 1, rows: 2, signs: [1, -1] },
  'three-h': { cols: 3, rows: 1, signs: [1, -1, 1] },
  'three-v': { cols: 1, rows: 3, signs: [1, -1, 1] },
  four: { cols: 2, rows: 2, signs: [1, -1, -1, 1] },
};

export function haarSize(f: HaarFeature): { width: number; height: number } {
  return { width: LAYOUT[f.kind].cols * f.cw, height: LAYOUT[f.kind].rows * f.ch };
}

/** The feature's rectangles with sign +1 (white, added) or −1 (black, subtracted). */
export function haarRects(f: HaarFeature): Array<Rect & { readonly sign: number }> {
  const { cols, rows, signs } = LAYOUT[f.kind];
  const out: Array<Rect & { sign: number }> = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x0 = f.x + c * f.cw, y0 = f.y + r * f.ch;
      out.push({ x0, y0, x1: x0 + f.cw - 1, y1: y0 + f.ch - 1, sign: signs[r * cols + c] });
    }
  }
  return out;
}

/**
 * The feature as integral-image lookups: the four corners of each rectangle with its sign, shared
 * corners merged. Two-rectangle features need 6 distinct lookups, three-rectangle 8, four-rectangle 9.
 */
export function haarLookups(f: HaarFeature): Array<{ row: number; col: number; coefficient: number }> {
  const merged = new Map<string, { row: number; col: number; coefficient: number }>();
  const add = (row: number, col: number, c: number): void => {
    const key = `${row},${col}`;
    const e = merged.get(key) ?? { row, col, coefficient: 0 };
    e.coefficient += c;
    merged.set(key, e);
  };
  for (const r of haarRects(f)) {
    add(r.y1, r.x1, r.sign);
    add(r.y0 - 1, r.x1, -r.sign);
    add(r.y1, r.x0 - 1, -r.sign);
    add(r.y0 - 1, r.x0 - 1, r.sign);
  }
  return [...merged.values()].filter((e) => e.coefficient !== 0).sort((a, b) => a.row - b.row || a.col - b.col);
}

/** Σ white − Σ black from the integral image. */
export function haarValue(S: ArrayLike<number>, w: number, f: HaarFeature): number {
  return haarLookups(f).reduce((acc, l) => acc + l.coefficient * sAt(S, w, l.row, l.col), 0);
}

/** Every feature of every kind that fits an n × n window, unit sizes stepping by `step`. */
export function enumerateFeatures(n: number, step = 1): HaarFeature[] {
  const out: HaarFeature[] = [];
  for (const kind of HAAR_KINDS) {
    const { cols, rows } = LAYOUT[kind];
    for (let ch = 1; ch * rows <= n; ch += step)
      for (let cw = 1; cw * cols <= n; cw += step)
        for (let y = 0; y + ch * rows <= n; y += step)
          for (let x = 0; x + cw * cols <= n; x += step) out.push({ kind, x, y, cw, ch });
  }
  return out;
}

export function describeFeature(f: HaarFeature): string {
  const { width, height } = haarSize(f);
  return `${HAAR_LABELS[f.kind]} ${width}×${height} at (x ${f.x}, y ${f.y})`;
}

export interface FaceSet {
  /** Window side n. */
  readonly n: number;
  /** Row-major windows, [N, n, n], integer pixel values 0…9. */
  readonly windows: Float32Array;
  /** +1 face, −1 not a face (the notes' t_n). */
  readonly labels: Int8Array;
}

/**
 * A small generated set, nothing downloaded: "faces" are 8 × 8 windows with a dark eye band above
 * brighter cheeks, a bright nose bridge between the eyes and a dark mouth, with random brightness,
 * contrast, a one-pixel jitter and noise; "non-faces" are noise, gradients, stripes, blobs and
 * lone dark bands (eyes without a face), so no single stump separates them.
 */
export function makeFaceSet(seed: number, count = 120, n = 8): FaceSet {
  const rng = createRng(seed);
  const windows = new Float32Array(count * n * n);
  const labels = new Int8Array(count);
  const clamp = (v: number): number => Math.max(0, Math.min(9, Math.round(v)));
  for (let s = 0; s < count; s++) {
    const face = s % 2 === 0;
    labels[s] = face ? 1 : -1;
    const base = 3 + rng() * 3;
    const contrast = 1 + rng() * 3;
    const dy = Math.floor(rng() * 2), dx = Math.floor(rng() * 3) - 1;
    const kind = Math.floor(rng() * 5);
    const band = 1 + Math.floor(rng() * 5);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        let v: number;
        if (face) {
          const rr = r - dy, cc = c - dx;
          v = base;
          if (rr >= 2 && rr <= 3) v -= contrast * (cc >= 3 && cc <= 4 ? -0.3 : 1); // eyes, bright bridge
          if (rr >= 4 && rr <= 5) v += contrast * 0.6; // cheeks
          if (rr === 6 && cc >= 2 && cc <= 5) v -= contrast * 0.8; // mouth
        } else if (kind === 0) v = rng() * 9;
        else if (kind === 1) v = base + (contrast * (c - n / 2)) / n * 2;
        else if (kind === 2) v = base + (r % 3 === 0 ? -contrast : contrast * 0.5);
        else if (kind === 3) v = base + (Math.hypot(r - n / 2 + 0.5, c - n / 2 + 0.5) < 2.5 ? -contrast : 0);
        else v = base - (r === band || r === band + 1 ? contrast : 0); // a dark band, like eyes without a face
        v += (rng() - 0.5) * 4;
        windows[s * n * n + r * n + c] = clamp(v);
      }
    }
  }
  return { n, windows, labels };
}

/** The corner-coefficient matrix [(n+1)², M] of the features over a zero-bordered integral image. */
export function cornerMatrix(n: number, features: readonly HaarFeature[]): Float32Array {
  const side = n + 1;
  const m = features.length;
  const out = new Float32Array(side * side * m);
  features.forEach((f, j) => {
    for (const l of haarLookups(f)) out[((l.row + 1) * side + (l.col + 1)) * m + j] += l.coefficient;
  });
  return out;
}

/**
 * Feature values of every window for every feature, [N, M] row-major: integral images of all
 * windows at once (tf.cumsum on [N, n, n], a zero border row/column), then one matMul with the
 * corner coefficients. One readback.
 */
export async function featureMatrix(tf: Tf, set: FaceSet, features: readonly HaarFeature[]): Promise<Float32Array> {
  const { n } = set;
  const count = set.labels.length;
  const side = n + 1;
  const values = tf.tidy(() => {
    const x = tf.tensor3d(set.windows, [count, n, n]);
    const s = tf.pad(tf.cumsum(tf.cumsum(x, 1), 2), [[0, 0], [1, 0], [1, 0]]);
    const corners = tf.tensor2d(cornerMatrix(n, features), [side * side, features.length]);
    return tf.matMul(tf.reshape(s, [count, side * side]), corners);
  });
  try {
    return (await values.data()) as Float32Array;
  } finally {
    values.dispose();
  }
}

export interface Stump {
  readonly feature: number;
  /** θ: h(x) = polarity if f(x) ≥ θ, else −polarity (polarity +1 is the notes' h_m). */
  readonly threshold: number;
  readonly polarity: 1 | -1;
  /** Weighted error ε = Σ w_n over misclassified n (weights sum to 1). */
  readonly error: number;
}

export function stumpPredict(value: number, stump: Pick<Stump, 'threshold' | 'polarity'>): 1 | -1 {
  return value >= stump.threshold ? stump.polarity : (-stump.polarity as 1 | -1);
}

/**
 * The best threshold and polarity of one feature under weights `w`: sort the values once and sweep
 * θ through the midpoints, keeping the weighted sums of positives and negatives below θ.
 */
export function bestStumpForFeature(values: Float32Array, m: number, feature: number, labels: Int8Array, w: Float64Array): Stump {
  const count = labels.length;
  const order = Array.from({ length: count }, (_, j) => j).sort((a, b) => values[a * m + feature] - values[b * m + feature]);
  let totalPos = 0, totalNeg = 0;
  for (let j = 0; j < count; j++) {
    if (labels[j] > 0) totalPos += w[j];
    else totalNeg += w[j];
  }
  let belowPos = 0, belowNeg = 0;
  let best: Stump = { feature, threshold: values[order[0] * m + feature], polarity: 1, error: totalNeg };
  if (totalPos < best.error) best = { ...best, polarity: -1, error: totalPos };
  for (let j = 0; j < count; j++) {
    const idx = order[j];
    if (labels[idx] > 0) belowPos += w[idx];
    else belowNeg += w[idx];
    const here = values[idx * m + feature];
    const next = j + 1 < count ? values[order[j + 1] * m + feature] : Infinity;
    if (next === here) continue;
    const threshold = next === Infinity ? here + 1 : (here + next) / 2;
    // Polarity +1: below θ → −1; errors are positives below and negatives above.
    const errPlus = belowPos + (totalNeg - belowNeg);
    const errMinus = belowNeg + (totalPos - belowPos);
    if (errPlus < best.error - 1e-12) best = { feature, threshold, polarity: 1, error: errPlus };
    if (errMinus < best.error - 1e-12) best = { feature, threshold, polarity: -1, error: errMinus };
  }
  return best;
}

export interface BoostRound {
  readonly round: number;
  readonly stump: Stump;
  /** α_m = ½ ln((1 − ε)/ε). */
  readonly alpha: number;
  /** Weights the round was trained with, and after the update (both sum to 1). */
  readonly weightsBefore: Float64Array;
  readonly weightsAfter: Float64Array;
  /** Windows this round's stump gets wrong (their weights grow by e^{α}). */
  readonly misclassified: number[];
  /** Training error of the strong classifier sign(Σ α h) after this round. */
  readonly strongError: number;
}

/** Keeps ε away from 0 and 1 so α stays finite when a stump is perfect. */
const EPS = 1e-6;

/**
 * One AdaBoost round (discrete AdaBoost, as Viola–Jones use it): the stump with the lowest weighted
 * error over all features, α = ½ ln((1−ε)/ε), then w_n ← w_n·exp(−α t_n h(x_n)) normalised — the
 * misclassified windows' weights grow, the others shrink.
 */
export function boostRound(values: Float32Array, m: number, labels: Int8Array, weights: Float64Array, previous: readonly BoostRound[]): BoostRound {
  let best: Stump | undefined;
  for (let f = 0; f < m; f++) {
    const s = bestStumpForFeature(values, m, f, labels, weights);
    if (!best || s.error < best.error - 1e-12) best = s;
  }
  const stump = best!;
  const e = Math.min(1 - EPS, Math.max(EPS, stump.error));
  const alpha = 0.5 * Math.log((1 - e) / e);
  const next = new Float64Array(weights.length);
  const misclassified: number[] = [];
  let total = 0;
  for (let j = 0; j < labels.length; j++) {
    const h = stumpPredict(values[j * m + stump.feature], stump);
    if (h !== labels[j]) misclassified.push(j);
    next[j] = weights[j] * Math.exp(-alpha * labels[j] * h);
    total += next[j];
  }
  for (let j = 0; j < next.length; j++) next[j] /= total;
  const rounds = [...previous, { stump, alpha } as Pick<BoostRound, 'stump' | 'alpha'>];
  let wrong = 0;
  for (let j = 0; j < labels.length; j++) if (strongPredict(values, m, j, rounds) !== labels[j]) wrong++;
  return { round: previous.length + 1, stump, alpha, weightsBefore: weights, weightsAfter: next, misclassified, strongError: wrong / labels.length };
}

/** H(x) = sign(Σ α_m h_m(x)) for window j (ties count as +1). */
export function strongPredict(values: Float32Array, m: number, j: number, rounds: ReadonlyArray<Pick<BoostRound, 'stump' | 'alpha'>>): 1 | -1 {
  let score = 0;
  for (const r of rounds) score += r.alpha * stumpPredict(values[j * m + r.stump.feature], r.stump);
  return score >= 0 ? 1 : -1;
}

export function uniformWeights(count: number): Float64Array {
  return new Float64Array(count).fill(1 / count);
}

/** The notes' TODO, answered from the demo's own rounds: how w_n and α_m are computed. */
export function adaboostAnswer(rounds: readonly BoostRound[], features: readonly HaarFeature[]): string {
  const shown = rounds.slice(0, 2).map((r) => {
    const grown = r.misclassified.length > 0 ? r.weightsAfter[r.misclassified[0]] / r.weightsBefore[r.misclassified[0]] : 1;
    return `round ${r.round}: ${describeFeature(features[r.stump.feature])}, ε = ${r.stump.error.toFixed(3)}, α = ${r.alpha.toFixed(3)}, ${r.misclassified.length} misclassified weights ×${grown.toFixed(2)}`;
  });
  return (
    'Start with w_n = 1/N. Each round: pick the weak classifier (feature, threshold θ, polarity) with the lowest weighted error ε_m = Σ_{misclassified} w_n; ' +
    'set α_m = ½ ln((1 − ε_m)/ε_m); update w_n ← w_n · exp(−α_m t_n h_m(x_n)) and normalise so Σ w_n = 1 — misclassified samples grow by e^{α_m}, correct ones shrink by e^{−α_m}. ' +
    `Final: H(x) = sign(Σ α_m h_m(x)). In the demo: ${shown.join('; ')}.`
  );
}
