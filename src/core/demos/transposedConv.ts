/**
 * The numeric core of the transposed-convolution demo: one real `tf.conv2dTranspose`, the same
 * result computed as a direct convolution over the zero-stretched input, and the overlap counts
 * that explain checkerboard artifacts. Pure: `tf` is passed in (the webview hands its WebGL/CPU
 * build, the tests the Node CPU backend), nothing touches the DOM.
 *
 * Single channel, square maps. Sizes follow the lecture's (and conv_arithmetic's) notation:
 * input i, kernel k, stride s, padding p, output padding a, output o = s(i-1) + a + k - 2p.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { mulberry32 } from './rng';

type Tf = typeof tfc;

export interface TransposedConvParams {
  /** Input size i (square). */
  readonly i: number;
  /** Kernel size k (square). */
  readonly k: number;
  /** Stride s. */
  readonly s: number;
  /** Padding p, removed from each border of the full output. */
  readonly p: number;
  /** Output padding a (0 ≤ a < s), added at the bottom/right. */
  readonly a: number;
}

/** Bounds of the demo's controls; the formulas themselves hold beyond them. */
export const TRANSPOSED_CONV_LIMITS = { i: [1, 64], k: [1, 16], s: [1, 8], p: [0, 15], a: [0, 7], o: 512 } as const;

export const TRANSPOSED_CONV_PRESETS: ReadonlyArray<{ readonly name: string; readonly params: TransposedConvParams }> = [
  { name: '×2 (k4 s2 p1)', params: { i: 8, k: 4, s: 2, p: 1, a: 0 } },
  { name: '×8 (k16 s8 p4)', params: { i: 8, k: 16, s: 8, p: 4, a: 0 } },
  { name: 'checkerboard (k3 s2 p1 a1)', params: { i: 8, k: 3, s: 2, p: 1, a: 1 } },
];

/** o = s(i-1) + a + k - 2p, computed here because tfjs does not validate `outputShape`. */
export function transposedConvOutputSize(params: TransposedConvParams): number {
  const { i, k, s, p, a } = params;
  return s * (i - 1) + a + k - 2 * p;
}

/** Why the parameters cannot be used, or undefined when they can. */
export function validateTransposedConvParams(params: TransposedConvParams): string | undefined {
  for (const key of ['i', 'k', 's', 'p', 'a'] as const) {
    const value = params[key];
    const [min, max] = TRANSPOSED_CONV_LIMITS[key];
    if (!Number.isInteger(value)) return `${key} must be an integer (got ${String(value)})`;
    if (value < min || value > max) return `${key} must be between ${min} and ${max} (got ${value})`;
  }
  if (params.a >= params.s) return `output padding a must be smaller than the stride (a=${params.a}, s=${params.s})`;
  if (params.p >= params.k) return `padding p must be smaller than the kernel (p=${params.p}, k=${params.k})`;
  const o = transposedConvOutputSize(params);
  if (o < 1) return `output size o = s(i−1) + a + k − 2p = ${o} is not positive`;
  if (o > TRANSPOSED_CONV_LIMITS.o) return `output size ${o} exceeds ${TRANSPOSED_CONV_LIMITS.o}`;
  return undefined;
}

function assertValid(params: TransposedConvParams): number {
  const problem = validateTransposedConvParams(params);
  if (problem) throw new RangeError(problem);
  return transposedConvOutputSize(params);
}

/**
 * The real thing: `tf.conv2dTranspose` of an [i, i] map with a [k, k] kernel. The filter layout
 * tfjs expects is [kh, kw, outChannels, inChannels]. Returns a new [o, o] tensor (caller disposes).
 */
export function transposedConv(tf: Tf, input: tfc.Tensor2D, kernel: tfc.Tensor2D, params: TransposedConvParams): tfc.Tensor2D {
  const o = assertValid(params);
  const { i, k, s, p } = params;
  return tf.tidy(() => {
    const x = tf.reshape(input, [1, i, i, 1]) as tfc.Tensor4D;
    const filter = tf.reshape(kernel, [k, k, 1, 1]) as tfc.Tensor4D;
    const y = tf.conv2dTranspose(x, filter, [1, o, o, 1], [s, s], p);
    return tf.reshape(y, [o, o]) as tfc.Tensor2D;
  });
}

/**
 * The input as the equivalent direct convolution sees it: s-1 zeros between neighbours, then
 * k-1-p zeros around (or that many rows cropped when negative) and `a` extra zeros at the
 * bottom/right. Size (i-1)s + 1 + 2(k-1-p) + a = o + k - 1.
 */
export function zeroStretchedInput(tf: Tf, input: tfc.Tensor2D, params: TransposedConvParams): tfc.Tensor2D {
  const o = assertValid(params);
  const { i, k, s, p, a } = params;
  return tf.tidy(() => {
    const spread = (i - 1) * s + 1;
    let z = tf.pad(tf.reshape(input, [i, 1, i, 1]), [[0, 0], [0, s - 1], [0, 0], [0, s - 1]]);
    z = tf.slice(tf.reshape(z, [i * s, i * s]), [0, 0], [spread, spread]);
    const q = k - 1 - p;
    if (q >= 0) {
      z = tf.pad(z, [[q, q + a], [q, q + a]]);
    } else {
      // Padding larger than k-1 crops the stretched input instead.
      const size = spread + 2 * q;
      z = tf.slice(z, [-q, -q], [size, size]);
      if (a > 0) z = tf.pad(z, [[0, a], [0, a]]);
    }
    const side = o + k - 1;
    return tf.reshape(z, [side, side]) as tfc.Tensor2D;
  });
}

/**
 * The same output computed the other way round: a stride-1 'valid' convolution of the
 * zero-stretched input with the kernel rotated by 180°.
 */
export function transposedConvAsDirectConv(tf: Tf, input: tfc.Tensor2D, kernel: tfc.Tensor2D, params: TransposedConvParams): tfc.Tensor2D {
  const o = assertValid(params);
  const { k } = params;
  return tf.tidy(() => {
    const z = zeroStretchedInput(tf, input, params);
    const side = z.shape[0];
    const flipped = tf.reverse(kernel, [0, 1]);
    const y = tf.conv2d(tf.reshape(z, [1, side, side, 1]) as tfc.Tensor4D, tf.reshape(flipped, [k, k, 1, 1]) as tfc.Tensor4D, 1, 'valid');
    return tf.reshape(y, [o, o]) as tfc.Tensor2D;
  });
}

/**
 * How many (input cell, kernel tap) pairs land on each output cell: the transposed convolution
 * of all-ones with an all-ones kernel. Uneven counts are the checkerboard.
 */
export function overlapCounts(tf: Tf, params: TransposedConvParams): tfc.Tensor2D {
  assertValid(params);
  return tf.tidy(() => transposedConv(tf, tf.ones([params.i, params.i]), tf.ones([params.k, params.k]), params));
}

/** Counts along one axis (the 2-D count is the outer product): no tensors needed. */
export function overlapCounts1d(params: TransposedConvParams): number[] {
  const o = assertValid(params);
  const { i, k, s, p } = params;
  const counts = new Array<number>(o).fill(0);
  for (let y = 0; y < o; y++) {
    // Pairs (r, u) with s·r + u = y + p, 0 ≤ r < i, 0 ≤ u < k.
    const t = y + p;
    const rMin = Math.max(0, Math.ceil((t - (k - 1)) / s));
    const rMax = Math.min(i - 1, Math.floor(t / s));
    counts[y] = Math.max(0, rMax - rMin + 1);
  }
  return counts;
}

export interface OverlapSummary {
  /**
   * Whether some output row has its full window of kernel taps (k−1 ≤ y+p ≤ s(i−1)). There is
   * none exactly when k − 1 > s(i − 1) (padding p < k never crops such a row): every output cell
   * is then within k − 1 of an edge.
   */
  readonly hasInterior: boolean;
  /** Number of interior rows (and columns) in the output. */
  readonly interiorWidth: number;
  /** Smallest and largest 2-D count away from the borders (the whole output without an interior). */
  readonly interiorMin: number;
  readonly interiorMax: number;
  /** Distinct 2-D counts of those cells, ascending (k3/s2 → [1, 2, 4]; k4/s2 → [4]). */
  readonly interiorValues: number[];
  /**
   * True when the interior counts are uneven — read from the counts, not from k mod s: a short
   * interior can show a single count although s ∤ k, and without an interior the uneven counts are
   * an edge ramp, not a checkerboard.
   */
  readonly checkerboard: boolean;
}

export function summarizeOverlap(params: TransposedConvParams): OverlapSummary {
  const counts = overlapCounts1d(params);
  const { i, k, s, p } = params;
  // Output rows y whose full window of kernel taps exists: k-1 ≤ y+p ≤ s(i-1).
  const interior = counts.filter((_, y) => y + p >= k - 1 && y + p <= s * (i - 1));
  const hasInterior = interior.length > 0;
  const rows = hasInterior ? interior : counts;
  const values = new Set<number>();
  for (const a of rows) for (const b of rows) values.add(a * b);
  const interiorValues = [...values].sort((x, y) => x - y);
  return {
    hasInterior,
    interiorWidth: interior.length,
    interiorMin: interiorValues[0],
    interiorMax: interiorValues[interiorValues.length - 1],
    interiorValues,
    checkerboard: hasInterior && interiorValues.length > 1,
  };
}

/**
 * The sentence under the overlap view, built from the summary so the flag and the words cannot
 * disagree; "k is (not) a multiple of s" is only given as the reason where the counts bear it out.
 */
export function overlapSentence(params: TransposedConvParams, summary: OverlapSummary = summarizeOverlap(params)): string {
  const { i, k, s } = params;
  const multiple = k % s === 0;
  const range = summary.interiorMin === summary.interiorMax ? `${summary.interiorMin}` : `${summary.interiorMin} to ${summary.interiorMax}`;
  if (!summary.hasInterior) {
    return `No interior: no output cell receives all of its kernel taps (k − 1 = ${k - 1} > s(i − 1) = ${s * (i - 1)}), ` +
      `so the counts (${range}) only ramp up from the edges — not a checkerboard. Make i larger to see the interior.`;
  }
  if (summary.checkerboard) {
    return `${multiple ? '' : `k = ${k} is not a multiple of s = ${s}: `}inside, cells receive ${summary.interiorValues.join(' / ')} kernel taps — a checkerboard.`;
  }
  if (!multiple) {
    return `Every inner cell receives ${summary.interiorMax} taps, although k = ${k} is not a multiple of s = ${s}: ` +
      `the interior is only ${summary.interiorWidth} cell${summary.interiorWidth === 1 ? '' : 's'} wide, too narrow to show the uneven counts.`;
  }
  return `k = ${k} is a multiple of s = ${s}: every inner cell receives ${summary.interiorMax} taps — no checkerboard.`;
}

/**
 * The fix from the Distill article: nearest-neighbour resize by s, then a stride-1 'same'
 * convolution with the k×k kernel. Output size i·s; overlap counts are even everywhere inside.
 */
export function resizeConv(tf: Tf, input: tfc.Tensor2D, kernel: tfc.Tensor2D, params: Pick<TransposedConvParams, 'i' | 'k' | 's'>): tfc.Tensor2D {
  const { i, k, s } = params;
  return tf.tidy(() => {
    const x = tf.reshape(input, [1, i, i, 1]) as tfc.Tensor4D;
    const up = tf.image.resizeNearestNeighbor(x, [i * s, i * s]);
    const y = tf.conv2d(up, tf.reshape(kernel, [k, k, 1, 1]) as tfc.Tensor4D, 1, 'same');
    return tf.reshape(y, [i * s, i * s]) as tfc.Tensor2D;
  });
}

/** Output sizes of `layers` identical transposed convolutions applied one after another. */
export function stackedOutputSizes(params: TransposedConvParams, layers: number): number[] {
  const sizes: number[] = [];
  let i = params.i;
  for (let l = 0; l < layers; l++) {
    i = transposedConvOutputSize({ ...params, i });
    sizes.push(i);
  }
  return sizes;
}

/**
 * Overlap counts after `layers` stacked layers (all-ones input and kernels), normalised by the
 * mean so artifacts of different depths compare; the checkerboard compounds with depth.
 * Returns undefined when a layer's parameters become invalid (the output grows past the limit).
 */
export function stackedOverlap(tf: Tf, params: TransposedConvParams, layers: number): tfc.Tensor2D | undefined {
  let size = params.i;
  for (let l = 0; l < layers; l++) {
    if (validateTransposedConvParams({ ...params, i: size }) !== undefined) return undefined;
    size = transposedConvOutputSize({ ...params, i: size });
  }
  return tf.tidy(() => {
    let x: tfc.Tensor2D = tf.ones([params.i, params.i]);
    const kernel: tfc.Tensor2D = tf.ones([params.k, params.k]);
    let i = params.i;
    for (let l = 0; l < layers; l++) {
      x = transposedConv(tf, x, kernel, { ...params, i });
      i = x.shape[0];
    }
    return tf.div(x, tf.mean(x)) as tfc.Tensor2D;
  });
}

export type KernelKind = 'ones' | 'bilinear' | 'random';
export type InputKind = 'impulse' | 'ones' | 'gradient' | 'checker' | 'random';

/**
 * Kernel values, row-major [k, k]. `bilinear` is FCN's `upsample_filt(k)` (surgery.py): factor
 * ⌈k/2⌉, centre factor − 1 for odd k and factor − ½ for even k. It depends on k only; it is exact
 * bilinear interpolation for stride s when k = 2s (or 2s − 1), FCN's choice. `s` is kept for the
 * callers' signature.
 */
export function makeKernel(kind: KernelKind, k: number, _s: number, seed = 1): Float32Array {
  const out = new Float32Array(k * k);
  const rand = mulberry32(seed);
  const factor = Math.ceil(k / 2);
  const center = k % 2 === 1 ? factor - 1 : factor - 0.5;
  for (let u = 0; u < k; u++) {
    for (let v = 0; v < k; v++) {
      let value: number;
      if (kind === 'ones') value = 1;
      else if (kind === 'random') value = Math.round((rand() * 2 - 1) * 100) / 100;
      else value = Math.max(0, 1 - Math.abs(u - center) / factor) * Math.max(0, 1 - Math.abs(v - center) / factor);
      out[u * k + v] = value;
    }
  }
  return out;
}

/** Input values, row-major [i, i]. */
export function makeInput(kind: InputKind, i: number, seed = 1): Float32Array {
  const out = new Float32Array(i * i);
  const rand = mulberry32(seed + 7919);
  for (let r = 0; r < i; r++) {
    for (let c = 0; c < i; c++) {
      let value: number;
      switch (kind) {
        case 'impulse': value = r === Math.floor(i / 2) && c === Math.floor(i / 2) ? 1 : 0; break;
        case 'ones': value = 1; break;
        case 'gradient': value = i === 1 ? 1 : (r + c) / (2 * (i - 1)); break;
        case 'checker': value = (r + c) % 2; break;
        case 'random': value = Math.round(rand() * 100) / 100; break;
      }
      out[r * i + c] = value;
    }
  }
  return out;
}

export interface TransposedConvStepResult {
  readonly o: number;
  /** conv2dTranspose output, row-major [o, o]. */
  readonly output: Float32Array;
  /** The same via the zero-stretched direct convolution. */
  readonly direct: Float32Array;
  /** The zero-stretched (and padded/cropped) input, [o+k-1, o+k-1]. */
  readonly stretched: Float32Array;
  readonly stretchedSize: number;
  /** Overlap counts, [o, o]. */
  readonly overlap: Float32Array;
  /** Largest |output - direct|: the two views agree up to float rounding. */
  readonly maxViewDifference: number;
}

/**
 * Everything one slider change needs, with a single readback. Tensors are created and released
 * inside; `tf.memory().numTensors` is unchanged afterwards.
 */
export async function transposedConvStep(tf: Tf, input: Float32Array, kernel: Float32Array, params: TransposedConvParams): Promise<TransposedConvStepResult> {
  const o = assertValid(params);
  const { i, k } = params;
  if (input.length !== i * i) throw new RangeError(`input has ${input.length} values, expected i·i = ${i * i}`);
  if (kernel.length !== k * k) throw new RangeError(`kernel has ${kernel.length} values, expected k·k = ${k * k}`);
  const packed = tf.tidy(() => {
    const x = tf.tensor2d(input, [i, i]);
    const w = tf.tensor2d(kernel, [k, k]);
    const y = transposedConv(tf, x, w, params);
    const d = transposedConvAsDirectConv(tf, x, w, params);
    const z = zeroStretchedInput(tf, x, params);
    const c = overlapCounts(tf, params);
    return tf.concat([tf.reshape(y, [-1]), tf.reshape(d, [-1]), tf.reshape(z, [-1]), tf.reshape(c, [-1])]);
  });
  let all: Float32Array;
  try {
    all = (await packed.data()) as Float32Array;
  } finally {
    packed.dispose();
  }
  const n = o * o;
  const side = o + k - 1;
  const output = all.slice(0, n);
  const direct = all.slice(n, 2 * n);
  const stretched = all.slice(2 * n, 2 * n + side * side);
  const overlap = all.slice(2 * n + side * side);
  let maxViewDifference = 0;
  for (let j = 0; j < n; j++) maxViewDifference = Math.max(maxViewDifference, Math.abs(output[j] - direct[j]));
  return { o, output, direct, stretched, stretchedSize: side, overlap, maxViewDifference };
}

/**
 * The answer to the notes' "how do we get 2x and 8x?", built from computed sizes (not typed in):
 * each preset's output size for the demo's input size, and the factor it gives.
 */
export function upsamplingAnswer(inputSize: number): string {
  const parts = TRANSPOSED_CONV_PRESETS.slice(0, 2).map(({ params }) => {
    const withI = { ...params, i: inputSize };
    const o = transposedConvOutputSize(withI);
    const oNext = transposedConvOutputSize({ ...withI, i: inputSize + 1 });
    const perInput = oNext - o;
    const offset = o - perInput * inputSize;
    const rule = offset === 0 ? `o = ${perInput}i` : `o = ${perInput}i ${offset > 0 ? '+' : '−'} ${Math.abs(offset)}`;
    return `k=${params.k}, s=${params.s}, p=${params.p} gives ${rule} (i=${inputSize} → ${o})`;
  });
  return `o = s(i−1) + k − 2p: ${parts.join('; ')}. With k = 2s and p = s/2 the k − 2p − s terms cancel, so o = s·i: the stride is the upsampling factor.`;
}
