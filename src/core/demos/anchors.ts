/**
 * The numeric core of the anchors demo: anchor generation for RPN (one feature map, several
 * scales) and FPN (one scale per level), IoU of every anchor with every ground-truth box as one
 * tensor computation, the Faster R-CNN labelling rule, and greedy NMS step by step.
 * Pure: `tf` is passed in; no DOM. Boxes are [y1, x1, y2, x2] in image pixels, as
 * `tf.image.nonMaxSuppressionAsync` expects.
 *
 * Conventions, named because libraries differ:
 * - Coordinates are continuous by default: a box's area is (x2 − x1)(y2 − y1), with no "+1 pixel"
 *   (the notes, tfjs, torchvision). `BoxConvention` 'pixel+1' counts inclusive pixel indices
 *   instead, (x2 − x1 + 1)(y2 − y1 + 1), and so do the intersection's sides, as py-faster-rcnn's
 *   `bbox_overlaps` and `nms` (and Detectron v1) do. Corners may come in either order: every IoU
 *   here uses min/max of the two corners, as tfjs does.
 * - Anchor centres sit at the centres of the grid cells, ((c + ½)·stride).
 * - Labels: positive at IoU ≥ 0.7 (py-faster-rcnn's `>=`), negative at IoU < 0.3.
 * - NMS at IoU exactly equal to the threshold: tfjs suppresses (IoU ≥ t), torchvision and the
 *   C++ kernel of current TensorFlow keep (suppress only IoU > t; older TensorFlow used ≥).
 *   `nmsSteps` does either, named by `NmsRule`.
 */
import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;

export interface Box {
  readonly y1: number;
  readonly x1: number;
  readonly y2: number;
  readonly x2: number;
}

export interface AnchorLevel {
  /** Human name, e.g. "P3". */
  readonly name: string;
  /** Feature-map stride in image pixels: one grid cell per stride×stride block. */
  readonly stride: number;
  /** Anchor sizes (√area) in pixels on this level. FPN uses one; RPN several on one map. */
  readonly sizes: readonly number[];
}

export interface AnchorConfig {
  /** Square image side in pixels. */
  readonly imageSize: number;
  readonly levels: readonly AnchorLevel[];
  /** Aspect ratios h/w, e.g. [0.5, 1, 2] for 1:2, 1:1, 2:1. */
  readonly ratios: readonly number[];
}

export const DEFAULT_RATIOS: readonly number[] = [0.5, 1, 2];

/** Faster R-CNN's RPN on one feature map: stride 16, three sizes, three ratios (scaled to the image). */
export function rpnConfig(imageSize: number, stride = 16, sizes: readonly number[] = [32, 64, 128], ratios = DEFAULT_RATIOS): AnchorConfig {
  return { imageSize, levels: [{ name: `stride ${stride}`, stride, sizes }], ratios };
}

/** FPN anchor size on level P_l: 8 × stride, i.e. 32² … 512² pixels on P2 … P6 (Lin et al. 2017, §4.1). */
export const FPN_SIZE_PER_STRIDE = 8;

/** The pyramid levels of the FPN paper's RPN. */
export const FPN_LEVELS: readonly string[] = ['P2', 'P3', 'P4', 'P5', 'P6'];

/** FPN: levels P2…P6 with strides 4…64 and one size per level (8 × stride: 32 … 512). */
export function fpnConfig(imageSize: number, levels: readonly string[] = FPN_LEVELS, ratios = DEFAULT_RATIOS): AnchorConfig {
  return {
    imageSize,
    levels: levels.map((name) => {
      const n = Number(name.slice(1));
      const stride = 2 ** n;
      return { name, stride, sizes: [FPN_SIZE_PER_STRIDE * stride] };
    }),
    ratios,
  };
}

export interface AnchorSet {
  /** [N, 4] row-major y1, x1, y2, x2. */
  readonly boxes: Float32Array;
  /** Level index of each anchor. */
  readonly level: Uint8Array;
  /** True when the anchor lies entirely inside the image. */
  readonly inside: Uint8Array;
  readonly count: number;
}

/** Anchors centred on each grid cell ((c + ½)·stride), for every size × ratio, level by level. */
export function generateAnchors(config: AnchorConfig): AnchorSet {
  const { imageSize, levels, ratios } = config;
  let count = 0;
  for (const level of levels) {
    const cells = Math.ceil(imageSize / level.stride);
    count += cells * cells * level.sizes.length * ratios.length;
  }
  const boxes = new Float32Array(count * 4);
  const levelOf = new Uint8Array(count);
  const inside = new Uint8Array(count);
  let n = 0;
  levels.forEach((level, li) => {
    const cells = Math.ceil(imageSize / level.stride);
    for (let cy = 0; cy < cells; cy++) {
      for (let cx = 0; cx < cells; cx++) {
        const yc = (cy + 0.5) * level.stride;
        const xc = (cx + 0.5) * level.stride;
        for (const size of level.sizes) {
          for (const ratio of ratios) {
            const h = size * Math.sqrt(ratio);
            const w = size / Math.sqrt(ratio);
            const y1 = yc - h / 2, x1 = xc - w / 2, y2 = yc + h / 2, x2 = xc + w / 2;
            boxes.set([y1, x1, y2, x2], n * 4);
            levelOf[n] = li;
            inside[n] = y1 >= 0 && x1 >= 0 && y2 <= imageSize && x2 <= imageSize ? 1 : 0;
            n++;
          }
        }
      }
    }
  });
  return { boxes, level: levelOf, inside, count };
}

/**
 * How a box's side is measured: 'continuous' x2 − x1 (the notes, tfjs, torchvision), or
 * 'pixel+1' x2 − x1 + 1 (inclusive pixel indices: py-faster-rcnn, Detectron v1).
 */
export type BoxConvention = 'continuous' | 'pixel+1';

export const BOX_CONVENTIONS: readonly BoxConvention[] = ['continuous', 'pixel+1'];

/** What the convention adds to every side length (of boxes and of intersections). */
export function sideOffset(convention: BoxConvention): number {
  return convention === 'pixel+1' ? 1 : 0;
}

export function boxesToArray(boxes: readonly Box[]): Float32Array {
  const out = new Float32Array(boxes.length * 4);
  boxes.forEach((b, j) => out.set([Math.min(b.y1, b.y2), Math.min(b.x1, b.x2), Math.max(b.y1, b.y2), Math.max(b.x1, b.x2)], j * 4));
  return out;
}

/**
 * IoU of every anchor with every box, [N, M], as one broadcast computation:
 * intersection = relu(min(y2) − max(y1) + o) · relu(min(x2) − max(x1) + o), IoU = inter / (areaA + areaB − inter),
 * with o = 1 under 'pixel+1' (every side one longer), else 0.
 * Corners are put in order first (min/max), so reversed corners give the same IoU as `boxIou`.
 */
export function iouMatrix(tf: Tf, anchors: tfc.Tensor2D, boxes: tfc.Tensor2D, convention: BoxConvention = 'continuous'): tfc.Tensor2D {
  const o = sideOffset(convention);
  return tf.tidy(() => {
    const ordered = (t: tfc.Tensor2D, axis: 0 | 1): tfc.Tensor[] => {
      const [y1, x1, y2, x2] = tf.split(t, 4, axis);
      return [tf.minimum(y1, y2), tf.minimum(x1, x2), tf.maximum(y1, y2), tf.maximum(x1, x2)];
    };
    const [ay1, ax1, ay2, ax2] = ordered(anchors, 1); // each [N, 1]
    const [by1, bx1, by2, bx2] = ordered(tf.transpose(boxes), 0); // each [1, M]
    const side = (hi: tfc.Tensor, lo: tfc.Tensor) => (o === 0 ? tf.sub(hi, lo) : tf.add(tf.sub(hi, lo), o));
    const ih = tf.relu(side(tf.minimum(ay2, by2), tf.maximum(ay1, by1)));
    const iw = tf.relu(side(tf.minimum(ax2, bx2), tf.maximum(ax1, bx1)));
    const inter = tf.mul(ih, iw);
    const areaA = tf.mul(side(ay2, ay1), side(ax2, ax1));
    const areaB = tf.mul(side(by2, by1), side(bx2, bx1));
    const union = tf.sub(tf.add(areaA, areaB), inter);
    return tf.div(inter, tf.maximum(union, 1e-9)) as tfc.Tensor2D;
  });
}

export interface LabelOptions {
  /** Positive when max IoU ≥ this (0.7). */
  readonly positive: number;
  /** Negative when max IoU < this (0.3). */
  readonly negative: number;
  /** Ignore anchors that cross the image border (Faster R-CNN training). */
  readonly ignoreCrossBorder: boolean;
  /** How box sides are measured in the IoU (default 'continuous'). */
  readonly boxConvention?: BoxConvention;
}

/** IoUs this close to a box's best IoU count as best too. */
export const BEST_TIE_TOLERANCE = 1e-6;

export const DEFAULT_LABEL_OPTIONS: LabelOptions = { positive: 0.7, negative: 0.3, ignoreCrossBorder: false };

/** 1 positive, 0 negative, −1 ignored. */
export type AnchorLabel = 1 | 0 | -1;

export interface LabelTensors {
  /** [N] int32: 1 / 0 / −1. */
  readonly labels: tfc.Tensor1D;
  /** [N] best IoU of each anchor over all boxes (0 without boxes). */
  readonly maxIou: tfc.Tensor1D;
  /** [N] int32 index of that box (−1 without boxes). */
  readonly argmax: tfc.Tensor1D;
}

/**
 * The lecture's rule: positive if IoU ≥ `positive` with some box or if the anchor has the highest
 * IoU of all anchors for some box (ties within `BEST_TIE_TOLERANCE` included, IoU > 0); negative if its best IoU < `negative`;
 * ignored in between; optionally ignored when it crosses the border (overrides the others).
 */
export function labelAnchors(tf: Tf, anchors: tfc.Tensor2D, boxes: tfc.Tensor2D, inside: tfc.Tensor1D, options: LabelOptions): LabelTensors {
  const n = anchors.shape[0];
  const m = boxes.shape[0];
  return tf.tidy(() => {
    let maxIou: tfc.Tensor1D;
    let argmax: tfc.Tensor1D;
    let bestForBox: tfc.Tensor1D;
    if (m === 0) {
      maxIou = tf.zeros([n]);
      argmax = tf.fill([n], -1, 'int32');
      bestForBox = tf.zeros([n], 'bool');
    } else {
      const iou = iouMatrix(tf, anchors, boxes, options.boxConvention ?? 'continuous');
      maxIou = tf.max(iou, 1) as tfc.Tensor1D;
      argmax = tf.cast(tf.argMax(iou, 1), 'int32') as tfc.Tensor1D;
      const boxMax = tf.max(iou, 0, true); // [1, M]
      // Ties within float32 rounding count as ties: symmetric anchors must not lose by an ulp.
      const isBest = tf.logicalAnd(tf.greaterEqual(iou, tf.sub(boxMax, BEST_TIE_TOLERANCE)), tf.greater(boxMax, 0));
      bestForBox = tf.cast(tf.max(tf.cast(isBest, 'int32'), 1), 'bool') as tfc.Tensor1D;
    }
    const positive = tf.logicalOr(tf.greaterEqual(maxIou, options.positive), bestForBox);
    const negative = tf.less(maxIou, options.negative);
    let labels = tf.where(positive, tf.onesLike(maxIou), tf.where(negative, tf.zerosLike(maxIou), tf.fill([n], -1)));
    if (options.ignoreCrossBorder) labels = tf.where(tf.cast(inside, 'bool'), labels, tf.fill([n], -1));
    return { labels: tf.cast(labels, 'int32') as tfc.Tensor1D, maxIou, argmax };
  });
}

export interface AnchorStepResult {
  readonly labels: Int32Array;
  readonly maxIou: Float32Array;
  readonly argmax: Int32Array;
  readonly positives: number;
  readonly negatives: number;
  readonly ignored: number;
}

/**
 * One update after a box moves: labels for all anchors with a single readback. The anchors and
 * inside-mask tensors are long-lived (created once per configuration by the caller).
 */
export async function anchorStep(tf: Tf, anchors: tfc.Tensor2D, inside: tfc.Tensor1D, boxes: readonly Box[], options: LabelOptions): Promise<AnchorStepResult> {
  const n = anchors.shape[0];
  const packed = tf.tidy(() => {
    const b = tf.tensor2d(boxesToArray(boxes), [boxes.length, 4]);
    const { labels, maxIou, argmax } = labelAnchors(tf, anchors, b, inside, options);
    return tf.concat([tf.cast(labels, 'float32'), maxIou, tf.cast(argmax, 'float32')]);
  });
  let all: Float32Array;
  try {
    all = (await packed.data()) as Float32Array;
  } finally {
    packed.dispose();
  }
  const labels = Int32Array.from(all.subarray(0, n));
  const maxIou = all.slice(n, 2 * n);
  const argmax = Int32Array.from(all.subarray(2 * n, 3 * n));
  let positives = 0, negatives = 0, ignored = 0;
  for (const l of labels) {
    if (l === 1) positives++;
    else if (l === 0) negatives++;
    else ignored++;
  }
  return { labels, maxIou, argmax, positives, negatives, ignored };
}

/** Counts of max-IoU values in `bins` equal bins over [0, 1] (1.0 goes in the last bin). */
export function iouHistogram(maxIou: ArrayLike<number>, bins = 20): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let j = 0; j < maxIou.length; j++) {
    const v = Math.min(1, Math.max(0, maxIou[j]));
    counts[Math.min(bins - 1, Math.floor(v * bins))]++;
  }
  return counts;
}

/**
 * IoU of boxes a and b in a flat [y1, x1, y2, x2] array (corners normalised; 'continuous' is
 * tfjs's definition, 'pixel+1' py-faster-rcnn's).
 */
export function boxIou(boxes: ArrayLike<number>, a: number, b: number, convention: BoxConvention = 'continuous'): number {
  const o = sideOffset(convention);
  const ay1 = Math.min(boxes[a * 4], boxes[a * 4 + 2]), ay2 = Math.max(boxes[a * 4], boxes[a * 4 + 2]);
  const ax1 = Math.min(boxes[a * 4 + 1], boxes[a * 4 + 3]), ax2 = Math.max(boxes[a * 4 + 1], boxes[a * 4 + 3]);
  const by1 = Math.min(boxes[b * 4], boxes[b * 4 + 2]), by2 = Math.max(boxes[b * 4], boxes[b * 4 + 2]);
  const bx1 = Math.min(boxes[b * 4 + 1], boxes[b * 4 + 3]), bx2 = Math.max(boxes[b * 4 + 1], boxes[b * 4 + 3]);
  const areaA = (ay2 - ay1 + o) * (ax2 - ax1 + o);
  const areaB = (by2 - by1 + o) * (bx2 - bx1 + o);
  if (areaA <= 0 || areaB <= 0) return 0;
  const inter = Math.max(0, Math.min(ay2, by2) - Math.max(ay1, by1) + o) * Math.max(0, Math.min(ax2, bx2) - Math.max(ax1, bx1) + o);
  return inter / (areaA + areaB - inter);
}

/**
 * What NMS does with a box whose IoU equals the threshold exactly. `'>='`: suppress it
 * (tf.image.nonMaxSuppression). `'>'`: keep it (torchvision.ops.nms, the C++ kernel of current
 * TensorFlow, and the lecture's "greater than").
 */
export type NmsRule = '>=' | '>';

export const NMS_RULES: readonly NmsRule[] = ['>=', '>'];

export function nmsSuppresses(iou: number, threshold: number, rule: NmsRule): boolean {
  return rule === '>=' ? iou >= threshold : iou > threshold;
}

/**
 * The demo's NMS candidates: the `limit` anchors with the highest max-IoU above `minScore`,
 * scored by that IoU (what a perfect objectness head would predict); ties by lower index.
 */
export function nmsProposals(anchorBoxes: ArrayLike<number>, maxIou: ArrayLike<number>, limit: number, minScore = 0.05): { boxes: Float32Array; scores: Float32Array; anchorIndex: number[] } {
  const order: number[] = [];
  for (let j = 0; j < maxIou.length; j++) if (maxIou[j] > minScore) order.push(j);
  order.sort((a, b) => maxIou[b] - maxIou[a] || a - b);
  const anchorIndex = order.slice(0, limit);
  const boxes = new Float32Array(anchorIndex.length * 4);
  const scores = new Float32Array(anchorIndex.length);
  anchorIndex.forEach((a, j) => {
    for (let c = 0; c < 4; c++) boxes[j * 4 + c] = anchorBoxes[a * 4 + c];
    scores[j] = maxIou[a];
  });
  return { boxes, scores, anchorIndex };
}

export interface NmsStep {
  /** The box kept in this step (highest remaining score). */
  readonly selected: number;
  /** Boxes removed because their IoU with `selected` reaches the threshold (≥ or >, by the rule). */
  readonly suppressed: readonly number[];
  /** Their IoUs with `selected`, same order. */
  readonly suppressedIou: readonly number[];
}

/**
 * Greedy NMS as the lecture describes it, one step per kept box: take the highest-scoring
 * remaining box, remove every remaining box overlapping it with IoU ≥ threshold (`rule` '>=') or
 * IoU > threshold (`rule` '>'), repeat. Scores must exceed `scoreThreshold`; ties go to the lower
 * index (tfjs's order), so with '>=' and 'continuous' the kept list equals
 * `tf.image.nonMaxSuppressionAsync(boxes, scores, maxOutput, iouThreshold, scoreThreshold)`.
 */
export function nmsSteps(boxes: ArrayLike<number>, scores: ArrayLike<number>, iouThreshold: number, maxOutput = Infinity, scoreThreshold = Number.NEGATIVE_INFINITY, rule: NmsRule = '>=', convention: BoxConvention = 'continuous'): NmsStep[] {
  const order: number[] = [];
  for (let j = 0; j < scores.length; j++) if (scores[j] > scoreThreshold) order.push(j);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  const alive = new Set(order);
  const steps: NmsStep[] = [];
  for (const candidate of order) {
    if (steps.length >= maxOutput) break;
    if (!alive.has(candidate)) continue;
    alive.delete(candidate);
    const suppressed: number[] = [];
    const suppressedIou: number[] = [];
    for (const other of order) {
      if (!alive.has(other)) continue;
      const iou = boxIou(boxes, candidate, other, convention);
      if (nmsSuppresses(iou, iouThreshold, rule)) {
        alive.delete(other);
        suppressed.push(other);
        suppressedIou.push(iou);
      }
    }
    steps.push({ selected: candidate, suppressed, suppressedIou });
  }
  return steps;
}
