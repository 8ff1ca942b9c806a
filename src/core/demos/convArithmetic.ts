/**
 * The numeric core of the convolution-arithmetic demo: a stack of convolution and pooling layers
 * on a single-channel square input, run through the real `tf.conv2d` / `tf.maxPool` /
 * `tf.avgPool`, with the output sizes predicted by the formula and the receptive field of one
 * output pixel computed by differentiating that pixel with respect to the input (`tf.grad`).
 * Pure: `tf` is passed in (WebGL/CPU in the webview, the Node CPU backend in the tests).
 *
 * Notation of lecture 9 (and conv_arithmetic), extended by dilation d for lectures 11–12:
 *   effective kernel  k_eff = d(k − 1) + 1
 *   output size       o = ⌊(i + 2p − d(k − 1) − 1) / s⌋ + 1
 *   receptive field   r_l = r_{l−1} + (k_eff,l − 1) · ∏_{m<l} s_m,  r_0 = 1
 * Pooling is the special case without weights: a k × k window with stride s, no padding, d = 1.
 */
import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;

export type ConvLayerKind = 'conv' | 'max' | 'avg';

export interface ConvLayer {
  readonly kind: ConvLayerKind;
  /** Kernel (window) size k. */
  readonly k: number;
  /** Stride s. */
  readonly s: number;
  /** Zero padding p on every border (0 for pooling). */
  readonly p: number;
  /** Dilation d (1 for pooling). */
  readonly d: number;
}

export const CONV_LIMITS = { i: [1, 48], k: [1, 9], s: [1, 4], p: [0, 8], d: [1, 4], layers: 4 } as const;

export const CONV_PRESETS: ReadonlyArray<{ readonly name: string; readonly i: number; readonly layers: readonly ConvLayer[] }> = [
  { name: 'two 3×3 convs (5×5 field)', i: 12, layers: [conv(3), conv(3)] },
  { name: '3×3 conv + 2×2 max-pool', i: 12, layers: [conv(3, 1, 1, 1), { kind: 'max', k: 2, s: 2, p: 0, d: 1 }] },
  { name: 'dilated 1, 2, 4 (field 15)', i: 20, layers: [conv(3, 1, 1, 1), conv(3, 1, 2, 2), conv(3, 1, 4, 4)] },
  { name: 'LeNet C1 + S2 (32 → 28 → 14)', i: 32, layers: [conv(5), { kind: 'avg', k: 2, s: 2, p: 0, d: 1 }] },
  { name: 'stride 2 twice', i: 16, layers: [conv(3, 2, 1, 1), conv(3, 2, 1, 1)] },
];

function conv(k: number, s = 1, d = 1, p = 0): ConvLayer {
  return { kind: 'conv', k, s, p, d };
}

export function effectiveKernel(layer: ConvLayer): number {
  return layer.d * (layer.k - 1) + 1;
}

/** o = ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1 (can be ≤ 0 for impossible configurations). */
export function convOutputSize(i: number, layer: ConvLayer): number {
  return Math.floor((i + 2 * layer.p - layer.d * (layer.k - 1) - 1) / layer.s) + 1;
}

/** Input columns the floor drops at the bottom/right: (i + 2p − k_eff) mod s. */
export function droppedByStride(i: number, layer: ConvLayer): number {
  const span = i + 2 * layer.p - effectiveKernel(layer);
  return span < 0 ? 0 : span % layer.s;
}

/** 'same' padding for stride 1: the output keeps the input size when k_eff is odd. */
export function samePadding(layer: Pick<ConvLayer, 'k' | 'd'>): number {
  return Math.floor((layer.d * (layer.k - 1)) / 2);
}

/** Map sizes [i, o_1, …, o_L]. */
export function layerSizes(i: number, layers: readonly ConvLayer[]): number[] {
  const sizes = [i];
  for (const layer of layers) sizes.push(convOutputSize(sizes[sizes.length - 1], layer));
  return sizes;
}

export interface StackProblem {
  /** 0-based layer index, or -1 for the stack as a whole. */
  readonly layer: number;
  readonly message: string;
}

/**
 * Why the stack cannot run, like CNN Explainer's hyper-parameter widget: out-of-range values, a
 * kernel wider than the padded input, padding so wide that border outputs see nothing but zeros,
 * pooling with padding or dilation.
 */
export function validateStack(i: number, layers: readonly ConvLayer[]): StackProblem | undefined {
  if (!Number.isInteger(i) || i < CONV_LIMITS.i[0] || i > CONV_LIMITS.i[1]) return { layer: -1, message: `input size i must be an integer from ${CONV_LIMITS.i[0]} to ${CONV_LIMITS.i[1]} (got ${i})` };
  if (layers.length < 1 || layers.length > CONV_LIMITS.layers) return { layer: -1, message: `1 to ${CONV_LIMITS.layers} layers (got ${layers.length})` };
  let size = i;
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l];
    const name = `layer ${l + 1}`;
    for (const key of ['k', 's', 'p', 'd'] as const) {
      const [min, max] = CONV_LIMITS[key];
      if (!Number.isInteger(layer[key]) || layer[key] < min || layer[key] > max) return { layer: l, message: `${name}: ${key} must be an integer from ${min} to ${max} (got ${layer[key]})` };
    }
    if (layer.kind !== 'conv' && (layer.p !== 0 || layer.d !== 1)) return { layer: l, message: `${name}: pooling here has no padding and no dilation (p = 0, d = 1)` };
    const kEff = effectiveKernel(layer);
    if (layer.p >= kEff) return { layer: l, message: `${name}: padding p = ${layer.p} ≥ effective kernel ${kEff}: border outputs would see only zeros` };
    if (kEff > size + 2 * layer.p) {
      return { layer: l, message: `${name}: the ${layer.d > 1 ? `dilated kernel (k_eff = d(k−1)+1 = ${kEff})` : `kernel (k = ${kEff})`} is larger than the padded input (i + 2p = ${size + 2 * layer.p})` };
    }
    size = convOutputSize(size, layer);
  }
  return undefined;
}

export interface ReceptiveFieldRow {
  /** Receptive field size r_l of one unit of layer l's output (input pixels along one axis). */
  readonly size: number;
  /** Jump: distance in input pixels between neighbouring units of layer l, ∏ s_m. */
  readonly jump: number;
  /** Input coordinate of the first pixel seen by unit 0 (negative inside the padding). */
  readonly start: number;
}

/** The lecture's recursion r_l = r_{l−1} + (k_eff − 1)·∏ s, with jumps and offsets. */
export function receptiveFields(layers: readonly ConvLayer[]): ReceptiveFieldRow[] {
  const rows: ReceptiveFieldRow[] = [];
  let size = 1, jump = 1, start = 0;
  for (const layer of layers) {
    size += (effectiveKernel(layer) - 1) * jump;
    start -= layer.p * jump;
    jump *= layer.s;
    rows.push({ size, jump, start });
  }
  return rows;
}

/** The input interval [lo, hi] (unclipped) that output unit `index` of the last layer sees along one axis. */
export function receptiveInterval(layers: readonly ConvLayer[], index: number): [number, number] {
  let lo = index, hi = index;
  for (let l = layers.length - 1; l >= 0; l--) {
    const { s, p } = layers[l];
    lo = lo * s - p;
    hi = hi * s - p + effectiveKernel(layers[l]) - 1;
  }
  return [lo, hi];
}

/**
 * One layer through the real tfjs op. tf.conv2d refuses stride > 1 together with dilation > 1
 * ("Either strides or dilations must be 1"), so that case runs at stride 1 and keeps every s-th
 * row and column (`stridedSlice`), which is what the strided dilated convolution computes.
 */
export function applyLayer(tf: Tf, x: tfc.Tensor4D, layer: ConvLayer, kernel: tfc.Tensor2D | undefined): tfc.Tensor4D {
  return tf.tidy(() => {
    if (layer.kind === 'max') return tf.maxPool(x, layer.k, layer.s, 'valid');
    if (layer.kind === 'avg') return tf.avgPool(x, layer.k, layer.s, 'valid');
    if (!kernel) throw new Error('a convolution layer needs a kernel');
    const w = tf.reshape(kernel, [layer.k, layer.k, 1, 1]) as tfc.Tensor4D;
    if (layer.s > 1 && layer.d > 1) {
      const full = tf.conv2d(x, w, 1, layer.p, 'NHWC', layer.d);
      const [, h, wd] = full.shape;
      return tf.stridedSlice(full, [0, 0, 0, 0], [1, h, wd, 1], [1, layer.s, layer.s, 1]) as tfc.Tensor4D;
    }
    return tf.conv2d(x, w, layer.s, layer.p, 'NHWC', layer.d);
  });
}

/**
 * For the receptive field: the same layer as a linear map with a dilated all-ones kernel built
 * explicitly (tfjs has no conv2d gradient for dilation > 1) and pooling as a k × k window sum.
 * Its gradient counts the paths from each input pixel to the chosen output.
 */
function linearLayer(tf: Tf, x: tfc.Tensor4D, layer: ConvLayer): tfc.Tensor4D {
  const kEff = effectiveKernel(layer);
  const taps = new Float32Array(kEff * kEff);
  for (let u = 0; u < layer.k; u++) for (let v = 0; v < layer.k; v++) taps[u * layer.d * kEff + v * layer.d] = 1;
  const w = tf.tensor4d(taps, [kEff, kEff, 1, 1]);
  return tf.conv2d(x, w, layer.s, layer.p);
}

export interface ConvStackResult {
  /** Sizes predicted by the formula, [i, o_1, …]. */
  readonly sizes: number[];
  /** Sizes of the tensors tfjs returned, [i, …]: equal to `sizes` when the formula holds. */
  readonly tfSizes: number[];
  /** Each layer's output, row-major [o_l, o_l]. */
  readonly outputs: Float32Array[];
  /** Paths from each input pixel to the chosen output pixel, row-major [i, i]. */
  readonly paths: Float32Array;
  /** Input pixels with at least one path (the exact receptive field, gaps of dilation included). */
  readonly fieldPixels: number;
}

/**
 * Runs the stack on `input` ([i, i]) with one kernel per conv layer ([k, k] each, undefined for
 * pooling) and the receptive field of output pixel `target` of the last layer; one readback.
 */
export async function runConvStack(
  tf: Tf,
  input: Float32Array,
  i: number,
  layers: readonly ConvLayer[],
  kernels: ReadonlyArray<Float32Array | undefined>,
  target: { readonly row: number; readonly col: number },
): Promise<ConvStackResult> {
  const problem = validateStack(i, layers);
  if (problem) throw new RangeError(problem.message);
  if (input.length !== i * i) throw new RangeError(`input has ${input.length} values, expected ${i * i}`);
  const sizes = layerSizes(i, layers);
  const last = sizes[sizes.length - 1];
  if (target.row < 0 || target.col < 0 || target.row >= last || target.col >= last) throw new RangeError(`target (${target.row}, ${target.col}) is outside the ${last} × ${last} output`);
  const tfSizes: number[] = [i];
  const packed = tf.tidy(() => {
    let x = tf.tensor4d(input, [1, i, i, 1]);
    const flat: tfc.Tensor[] = [];
    layers.forEach((layer, l) => {
      const kernel = kernels[l];
      if (layer.kind === 'conv' && (!kernel || kernel.length !== layer.k * layer.k)) throw new RangeError(`layer ${l + 1} needs a ${layer.k}×${layer.k} kernel`);
      x = applyLayer(tf, x, layer, layer.kind === 'conv' ? tf.tensor2d(kernel!, [layer.k, layer.k]) : undefined);
      tfSizes.push(x.shape[1]);
      flat.push(tf.reshape(x, [-1]));
    });
    const oneHot = tf.buffer([1, last, last, 1]);
    oneHot.set(1, 0, target.row, target.col, 0);
    const pick = oneHot.toTensor();
    const grad = tf.grad((z: tfc.Tensor) => {
      let y = z as tfc.Tensor4D;
      for (const layer of layers) y = linearLayer(tf, y, layer);
      return tf.sum(tf.mul(y, pick));
    });
    flat.push(tf.reshape(grad(tf.zeros([1, i, i, 1])), [-1]));
    return tf.concat(flat);
  });
  let all: Float32Array;
  try {
    all = (await packed.data()) as Float32Array;
  } finally {
    packed.dispose();
  }
  const outputs: Float32Array[] = [];
  let offset = 0;
  for (let l = 1; l < tfSizes.length; l++) {
    const n = tfSizes[l] * tfSizes[l];
    outputs.push(all.slice(offset, offset + n));
    offset += n;
  }
  const paths = all.slice(offset, offset + i * i);
  let fieldPixels = 0;
  for (const v of paths) if (v > 0) fieldPixels++;
  return { sizes, tfSizes, outputs, paths, fieldPixels };
}

/** A readable test image: a bright square and a diagonal stroke on a dark ground (values 0…9). */
export function sampleImage(i: number): Float32Array {
  const out = new Float32Array(i * i);
  for (let r = 0; r < i; r++) {
    for (let c = 0; c < i; c++) {
      const square = r >= Math.floor(i / 4) && r < Math.floor(i / 2) && c >= Math.floor(i / 4) && c < Math.floor((3 * i) / 5);
      const stroke = Math.abs(r - (i - 1 - c)) <= 0 && r > i / 2;
      out[r * i + c] = square ? 9 : stroke ? 6 : (r + c) % 5 === 0 ? 1 : 0;
    }
  }
  return out;
}

/** An edge-detecting kernel (Sobel-like for 3×3) or an averaging kernel for other sizes. */
export function sampleKernel(k: number): Float32Array {
  if (k === 3) return Float32Array.from([-1, 0, 1, -2, 0, 2, -1, 0, 1]);
  return new Float32Array(k * k).fill(Math.round((1 / (k * k)) * 1000) / 1000);
}
