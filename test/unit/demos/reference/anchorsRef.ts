/**
 * Independent reference for the anchors demo, written from the papers (Faster R-CNN §3.1.1–3.1.2,
 * FPN §4.1) with plain loops over plain objects: no tfjs, no import from the demo's core.
 * Conventions, the same ones the demo names: continuous coordinates (area (x2 − x1)(y2 − y1), no
 * +1) or, with `plusOne`, py-faster-rcnn's inclusive pixels (utils/cython_bbox.pyx `bbox_overlaps`:
 * iw = min(x2) − max(x1) + 1, area (x2 − x1 + 1)(y2 − y1 + 1)); corners in any order, anchor
 * centres at cell centres, ratio = h / w.
 */
export interface RefBox {
  readonly y1: number;
  readonly x1: number;
  readonly y2: number;
  readonly x2: number;
}

export interface RefAnchor extends RefBox {
  readonly level: number;
  readonly inside: boolean;
}

/** Anchors level by level, then row, column, size, ratio; `sizes[l]` are the sizes on level l. */
export function refAnchors(imageSize: number, strides: readonly number[], sizes: ReadonlyArray<readonly number[]>, ratios: readonly number[]): RefAnchor[] {
  const out: RefAnchor[] = [];
  strides.forEach((stride, level) => {
    const cells = Math.ceil(imageSize / stride);
    for (let row = 0; row < cells; row++)
      for (let col = 0; col < cells; col++)
        for (const size of sizes[level])
          for (const ratio of ratios) {
            // area = size², h / w = ratio
            const w = Math.sqrt((size * size) / ratio);
            const h = ratio * w;
            const cy = stride * row + stride / 2, cx = stride * col + stride / 2;
            const box = { y1: cy - h / 2, x1: cx - w / 2, y2: cy + h / 2, x2: cx + w / 2 };
            out.push({ ...box, level, inside: box.y1 >= 0 && box.x1 >= 0 && box.y2 <= imageSize && box.x2 <= imageSize });
          }
  });
  return out;
}

/** FPN level P_l: stride 2^l, anchor size 8 · 2^l (32 on P2 … 512 on P6). */
export function refFpnAnchors(imageSize: number, levels: readonly number[], ratios: readonly number[]): RefAnchor[] {
  return refAnchors(imageSize, levels.map((l) => 2 ** l), levels.map((l) => [8 * 2 ** l]), ratios);
}

export function refIou(a: RefBox, b: RefBox, plusOne = false): number {
  const one = plusOne ? 1 : 0;
  const [ay1, ay2] = a.y1 <= a.y2 ? [a.y1, a.y2] : [a.y2, a.y1];
  const [ax1, ax2] = a.x1 <= a.x2 ? [a.x1, a.x2] : [a.x2, a.x1];
  const [by1, by2] = b.y1 <= b.y2 ? [b.y1, b.y2] : [b.y2, b.y1];
  const [bx1, bx2] = b.x1 <= b.x2 ? [b.x1, b.x2] : [b.x2, b.x1];
  const ih = Math.min(ay2, by2) - Math.max(ay1, by1) + one;
  const iw = Math.min(ax2, bx2) - Math.max(ax1, bx1) + one;
  if (ih <= 0 || iw <= 0) return 0;
  const inter = ih * iw;
  return inter / ((ay2 - ay1 + one) * (ax2 - ax1 + one) + (by2 - by1 + one) * (bx2 - bx1 + one) - inter);
}

export interface RefLabelling {
  readonly labels: number[];
  readonly maxIou: number[];
  /** Index of the best box, or −1 without boxes; `tie` when two boxes are within 1e-6. */
  readonly argmax: number[];
  readonly tie: boolean[];
}

/**
 * Faster R-CNN's rule: positive if IoU ≥ positive with some box, or the anchor with the highest
 * IoU for some box (ties within `tol` too, IoU > 0); negative if every IoU < negative; otherwise
 * ignored; optionally every border-crossing anchor ignored.
 */
export function refLabel(anchors: readonly RefAnchor[], boxes: readonly RefBox[], positive: number, negative: number, ignoreCrossBorder: boolean, tol = 1e-6, plusOne = false): RefLabelling {
  const iou = anchors.map((a) => boxes.map((b) => refIou(a, b, plusOne)));
  const labels: number[] = [], maxIou: number[] = [], argmax: number[] = [], tie: boolean[] = [];
  for (let n = 0; n < anchors.length; n++) {
    let best = 0, arg = boxes.length ? 0 : -1, second = -Infinity;
    for (let m = 0; m < boxes.length; m++) {
      if (iou[n][m] > best || m === 0) { second = m === 0 ? -Infinity : best; best = iou[n][m]; arg = m; }
      else second = Math.max(second, iou[n][m]);
    }
    maxIou.push(best);
    argmax.push(arg);
    tie.push(Math.abs(best - second) < tol);
    labels.push(best >= positive ? 1 : best < negative ? 0 : -1);
  }
  for (let m = 0; m < boxes.length; m++) {
    let best = 0;
    for (let n = 0; n < anchors.length; n++) best = Math.max(best, iou[n][m]);
    if (best > 0) for (let n = 0; n < anchors.length; n++) if (iou[n][m] >= best - tol) labels[n] = 1;
  }
  if (ignoreCrossBorder) for (let n = 0; n < anchors.length; n++) if (!anchors[n].inside) labels[n] = -1;
  return { labels, maxIou, argmax, tie };
}

export interface RefNmsStep {
  readonly kept: number;
  readonly removed: number[];
}

/**
 * Greedy NMS over candidates sorted by score (ties: lower index first). `strict` true removes
 * only IoU > t (torchvision), false removes IoU ≥ t (tfjs).
 */
export function refNms(boxes: readonly RefBox[], scores: readonly number[], threshold: number, strict: boolean, maxOutput = Infinity, plusOne = false): RefNmsStep[] {
  const order = scores.map((_, j) => j).sort((a, b) => (scores[b] !== scores[a] ? scores[b] - scores[a] : a - b));
  const removed = new Array<boolean>(boxes.length).fill(false);
  const steps: RefNmsStep[] = [];
  for (let x = 0; x < order.length && steps.length < maxOutput; x++) {
    const j = order[x];
    if (removed[j]) continue;
    removed[j] = true;
    const gone: number[] = [];
    for (let y = x + 1; y < order.length; y++) {
      const other = order[y];
      if (removed[other]) continue;
      const v = refIou(boxes[j], boxes[other], plusOne);
      if (strict ? v > threshold : v >= threshold) { removed[other] = true; gone.push(other); }
    }
    steps.push({ kept: j, removed: gone });
  }
  return steps;
}

/** Counts of values in `bins` equal bins over [0, 1], 1.0 in the last bin. */
export function refHistogram(values: readonly number[], bins: number): number[] {
  const out = new Array<number>(bins).fill(0);
  for (const v of values) {
    let b = 0;
    while (b < bins - 1 && v >= (b + 1) / bins) b++;
    out[b]++;
  }
  return out;
}
