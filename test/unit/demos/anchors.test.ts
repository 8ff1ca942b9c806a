import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import {
  anchorStep,
  boxesToArray,
  fpnConfig,
  generateAnchors,
  iouHistogram,
  iouMatrix,
  labelAnchors,
  nmsSteps,
  rpnConfig,
  type Box,
  type LabelOptions,
} from '../../../src/core/demos/anchors';
import { mulberry32 } from '../../../src/core/demos/rng';
import { cpuTf } from './tfjsNode';

before(async () => {
  await cpuTf();
});

// ---- Independent references: plain loops over plain objects ----

function refIou(a: Box, b: Box): number {
  const ih = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const iw = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const inter = ih * iw;
  const union = (a.y2 - a.y1) * (a.x2 - a.x1) + (b.y2 - b.y1) * (b.x2 - b.x1) - inter;
  return union > 0 ? inter / union : 0;
}

function toBoxes(flat: Float32Array): Box[] {
  const out: Box[] = [];
  for (let j = 0; j < flat.length / 4; j++) out.push({ y1: flat[j * 4], x1: flat[j * 4 + 1], y2: flat[j * 4 + 2], x2: flat[j * 4 + 3] });
  return out;
}

function refLabels(anchors: Box[], gts: Box[], inside: Uint8Array, o: LabelOptions): number[] {
  const iou = anchors.map((a) => gts.map((g) => refIou(a, g)));
  const labels = anchors.map(() => -1);
  anchors.forEach((_, n) => {
    const best = gts.length ? Math.max(...iou[n]) : 0;
    if (best < o.negative) labels[n] = 0;
    if (best >= o.positive) labels[n] = 1;
  });
  gts.forEach((_, m) => {
    let best = 0;
    anchors.forEach((__, n) => { best = Math.max(best, iou[n][m]); });
    if (best > 0) anchors.forEach((__, n) => { if (iou[n][m] >= best - 1e-6) labels[n] = 1; });
  });
  if (o.ignoreCrossBorder) anchors.forEach((_, n) => { if (!inside[n]) labels[n] = -1; });
  return labels;
}

function refNms(boxes: Box[], scores: number[], threshold: number, maxOutput: number): number[] {
  const idx = scores.map((_, j) => j).sort((a, b) => scores[b] - scores[a] || a - b);
  const keep: number[] = [];
  for (const j of idx) {
    if (keep.length >= maxOutput) break;
    if (keep.every((kept) => refIou(boxes[kept], boxes[j]) < threshold)) keep.push(j);
  }
  return keep;
}

function randomBoxes(count: number, seed: number, image = 256): Box[] {
  const rand = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const h = 16 + rand() * 120, w = 16 + rand() * 120;
    const y1 = rand() * (image - h), x1 = rand() * (image - w);
    return { y1, x1, y2: y1 + h, x2: x1 + w };
  });
}

test('anchor generation: counts per level, sizes and ratios', () => {
  const rpn = generateAnchors(rpnConfig(256, 16, [32, 64, 128]));
  assert.equal(rpn.count, 16 * 16 * 3 * 3);
  const fpn = generateAnchors(fpnConfig(256));
  assert.equal(fpn.count, (64 * 64 + 32 * 32 + 16 * 16 + 8 * 8 + 4 * 4) * 3);
  assert.ok(fpn.count >= 2000);
  // First anchor: P2 cell (0,0), size 8 × stride 4 = 32, ratio h/w = 0.5 → h = 32/√2, w = 32·√2, centred at (2, 2).
  const [y1, x1, y2, x2] = fpn.boxes.subarray(0, 4);
  assert.ok(Math.abs((y2 - y1) * (x2 - x1) - 32 * 32) < 1e-3);
  assert.ok(Math.abs((y2 - y1) / (x2 - x1) - 0.5) < 1e-6);
  assert.ok(Math.abs((y1 + y2) / 2 - 2) < 1e-6 && Math.abs((x1 + x2) / 2 - 2) < 1e-6);
  assert.equal(fpn.inside[0], 0, 'a 45-px-wide anchor centred at x=2 crosses the border');
  // The FPN paper's sizes: 32² on P2 … 512² on P6.
  const last = fpn.boxes.subarray((fpn.count - 2) * 4, (fpn.count - 1) * 4); // P6, ratio 1:1
  assert.ok(Math.abs((last[2] - last[0]) * (last[3] - last[1]) - 512 * 512) < 1e-2);
  assert.deepEqual([...new Set(fpn.level)], [0, 1, 2, 3, 4]);
});

test('IoU matrix equals hand-written loops', () => {
  const anchors = generateAnchors(rpnConfig(128, 16, [24, 48]));
  const gts = randomBoxes(7, 3, 128);
  const iou = tf.tidy(() => iouMatrix(tf, tf.tensor2d(anchors.boxes, [anchors.count, 4]), tf.tensor2d(boxesToArray(gts), [7, 4])));
  const values = iou.arraySync();
  iou.dispose();
  const anchorBoxes = toBoxes(anchors.boxes);
  anchorBoxes.forEach((a, n) => gts.forEach((g, m) => {
    assert.ok(Math.abs(values[n][m] - refIou(a, g)) < 1e-5, `iou[${n}][${m}] ${values[n][m]} vs ${refIou(a, g)}`);
  }));
  assert.equal(refIou({ y1: 0, x1: 0, y2: 2, x2: 2 }, { y1: 1, x1: 1, y2: 3, x2: 3 }), 1 / 7);
});

test('labelling equals the lecture rule written as loops (with and without the border option)', async () => {
  for (const [seed, ignoreCrossBorder] of [[1, false], [2, true], [5, false], [8, true]] as const) {
    const set = generateAnchors(fpnConfig(256));
    const gts = randomBoxes(10, seed);
    const options = { positive: 0.7, negative: 0.3, ignoreCrossBorder };
    const anchors = tf.tensor2d(set.boxes, [set.count, 4]);
    const inside = tf.tensor1d(set.inside, 'int32');
    const result = await anchorStep(tf, anchors, inside, gts, options);
    anchors.dispose();
    inside.dispose();
    const expected = refLabels(toBoxes(set.boxes), gts, set.inside, options);
    let mismatches = 0;
    expected.forEach((l, n) => { if (result.labels[n] !== l) mismatches++; });
    assert.equal(mismatches, 0, `seed ${seed}`);
    assert.equal(result.positives + result.negatives + result.ignored, set.count);
    assert.ok(result.positives >= 1, 'every box gets at least its best anchor');
  }
});

test('the best anchor of a box is positive even below the positive threshold', () => {
  const anchors = tf.tensor2d([0, 0, 10, 10, 20, 20, 30, 30], [2, 4]);
  const gts = tf.tensor2d([[0, 0, 10, 30]]); // IoU with anchor 0 = 1/3
  const inside = tf.tensor1d([1, 1], 'int32');
  const { labels, maxIou, argmax } = labelAnchors(tf, anchors, gts, inside, { positive: 0.7, negative: 0.3, ignoreCrossBorder: false });
  assert.deepEqual(Array.from(labels.dataSync()), [1, 0]);
  assert.ok(Math.abs(maxIou.dataSync()[0] - 1 / 3) < 1e-6);
  assert.deepEqual(Array.from(argmax.dataSync()), [0, 0]);
  tf.dispose([anchors, gts, inside, labels, maxIou, argmax]);
});

test('without boxes every anchor is negative', async () => {
  const set = generateAnchors(rpnConfig(64, 16, [16]));
  const anchors = tf.tensor2d(set.boxes, [set.count, 4]);
  const inside = tf.tensor1d(set.inside, 'int32');
  const result = await anchorStep(tf, anchors, inside, [], { positive: 0.7, negative: 0.3, ignoreCrossBorder: false });
  tf.dispose([anchors, inside]);
  assert.equal(result.negatives, set.count);
  assert.equal(result.argmax[0], -1);
});

test('NMS step by step equals a reference loop and tf.image.nonMaxSuppressionAsync', async () => {
  for (const seed of [1, 2, 3, 4]) {
    const boxes = randomBoxes(60, seed);
    const rand = mulberry32(seed * 31);
    const scores = boxes.map(() => Math.round(rand() * 20) / 20); // coarse scores: ties happen
    const flat = boxesToArray(boxes);
    for (const threshold of [0.3, 0.5, 0.7]) {
      const steps = nmsSteps(flat, Float32Array.from(scores), threshold, 25);
      const kept = steps.map((s) => s.selected);
      assert.deepEqual(kept, refNms(toBoxes(flat), Array.from(Float32Array.from(scores)), threshold, 25), `seed ${seed} thr ${threshold}`);
      const selected = await tf.image.nonMaxSuppressionAsync(tf.tensor2d(flat, [60, 4]), tf.tensor1d(scores), 25, threshold);
      assert.deepEqual(kept, Array.from(await selected.data()), `tf seed ${seed} thr ${threshold}`);
      selected.dispose();
      for (const step of steps) for (const iou of step.suppressedIou) assert.ok(iou >= threshold);
    }
  }
  tf.disposeVariables();
});

test('max-IoU histogram counts every anchor once', () => {
  const h = iouHistogram([0, 0.05, 0.3, 0.69, 0.7, 1, 1], 10);
  assert.equal(h.reduce((a, b) => a + b, 0), 7);
  assert.equal(h[0], 2);
  assert.equal(h[9], 2);
  assert.equal(h[7], 1);
});

test('no tensor leaks across 1,000 updates of the anchor step', async () => {
  // A small anchor set keeps 1,000 CPU steps fast; the tensors created per step are the same.
  const set = generateAnchors(rpnConfig(128, 32, [32, 64]));
  const anchors = tf.tensor2d(set.boxes, [set.count, 4]);
  const inside = tf.tensor1d(set.inside, 'int32');
  const gts = randomBoxes(10, 11);
  await anchorStep(tf, anchors, inside, gts, { positive: 0.7, negative: 0.3, ignoreCrossBorder: true });
  const before = tf.memory().numTensors;
  for (let n = 0; n < 1000; n++) {
    const moved = gts.map((b, j) => (j === n % 10 ? { ...b, y1: b.y1 + (n % 7), y2: b.y2 + (n % 7) } : b));
    await anchorStep(tf, anchors, inside, moved, { positive: 0.7, negative: 0.3, ignoreCrossBorder: n % 2 === 0 });
  }
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([anchors, inside]);
});
