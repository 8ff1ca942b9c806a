/**
 * Property tests of every number the anchors demo shows — anchor boxes and counts per level, the
 * labels and their counts, max IoU and its histogram, the NMS candidates, kept and suppressed
 * boxes per step under both tie rules and both box conventions (continuous, pixel +1) — against the plain-loop reference in
 * reference/anchorsRef.ts, and the '>=' rule against tf.image.nonMaxSuppressionAsync.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import {
  BOX_CONVENTIONS,
  FPN_LEVELS,
  anchorStep,
  boxIou,
  boxesToArray,
  fpnConfig,
  generateAnchors,
  iouHistogram,
  iouMatrix,
  nmsProposals,
  nmsSteps,
  rpnConfig,
  type Box,
  type BoxConvention,
  type NmsRule,
} from '../../../src/core/demos/anchors';
import { mulberry32 } from '../../../src/core/demos/rng';
import { refAnchors, refFpnAnchors, refHistogram, refIou, refLabel, refNms, type RefBox } from './reference/anchorsRef';
import { cpuTf } from './tfjsNode';

before(async () => {
  await cpuTf();
});

const IMAGE = 256;

/** Boxes of every kind a learner can make: small, large, partly outside, corners reversed. */
function scene(seed: number, count: number): Box[] {
  const rand = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const h = 4 + rand() * 200, w = 4 + rand() * 200;
    const y1 = -40 + rand() * (IMAGE + 40 - h / 2), x1 = -40 + rand() * (IMAGE + 40 - w / 2);
    const box = { y1, x1, y2: y1 + h, x2: x1 + w };
    return rand() < 0.2 ? { y1: box.y2, x1: box.x2, y2: box.y1, x2: box.x1 } : box;
  });
}

function subsets<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 1; mask < 1 << items.length; mask++) out.push(items.filter((_, j) => mask & (1 << j)));
  return out;
}

test('anchors: boxes, levels and inside flags equal the papers\' definition for every FPN level/ratio subset and RPN stride', () => {
  let configs = 0, anchors = 0;
  const ratioSets = subsets([0.5, 1, 2]);
  // Every level subset with all three ratios, and every ratio subset on the whole pyramid.
  const fpnCases: Array<[string[], number[]]> = [
    ...subsets(FPN_LEVELS).map((levels): [string[], number[]] => [levels, [0.5, 1, 2]]),
    ...ratioSets.slice(0, -1).map((ratios): [string[], number[]] => [[...FPN_LEVELS], ratios]),
  ];
  for (const [levels, ratios] of fpnCases) {
      const ours = generateAnchors(fpnConfig(IMAGE, levels, ratios));
      const ref = refFpnAnchors(IMAGE, levels.map((l) => Number(l.slice(1))), ratios);
      assert.equal(ours.count, ref.length);
      let worst = 0, wrongLevel = 0, wrongInside = 0;
      for (let n = 0; n < ref.length; n++) {
        const a = ref[n];
        worst = Math.max(worst, Math.abs(ours.boxes[n * 4] - a.y1), Math.abs(ours.boxes[n * 4 + 1] - a.x1), Math.abs(ours.boxes[n * 4 + 2] - a.y2), Math.abs(ours.boxes[n * 4 + 3] - a.x2));
        if (ours.level[n] !== a.level) wrongLevel++;
        if ((ours.inside[n] === 1) !== a.inside) wrongInside++;
      }
      assert.ok(worst < 1e-3, `${levels.join(',')} ${ratios.join(',')}: corners off by ${worst}`);
      assert.deepEqual([wrongLevel, wrongInside], [0, 0], `${levels.join(',')} ${ratios.join(',')}`);
    configs++;
    anchors += ref.length;
  }
  for (const stride of [8, 16, 32])
    for (const ratios of ratioSets) {
      const ours = generateAnchors(rpnConfig(IMAGE, stride, [32, 64, 128], ratios));
      const ref = refAnchors(IMAGE, [stride], [[32, 64, 128]], ratios);
      assert.equal(ours.count, ref.length);
      let worst = 0;
      ref.forEach((a, n) => [a.y1, a.x1, a.y2, a.x2].forEach((v, c) => { worst = Math.max(worst, Math.abs(ours.boxes[n * 4 + c] - v)); }));
      assert.ok(worst < 1e-3, `stride ${stride} ${ratios.join(',')}: corners off by ${worst}`);
      configs++;
      anchors += ref.length;
    }
  assert.equal(configs, 31 + 6 + 3 * 7);
  console.log(`anchors: ${configs} configurations, ${anchors} anchors compared`);
  // The FPN paper's sizes: √area 32 on P2 … 512 on P6.
  const sizes = FPN_LEVELS.map((l) => {
    const one = generateAnchors(fpnConfig(IMAGE, [l], [1]));
    return Math.round(one.boxes[2] - one.boxes[0]);
  });
  assert.deepEqual(sizes, [32, 64, 128, 256, 512]);
});

test('IoU matrix agrees with boxIou and the reference for reversed corners', () => {
  const a = [0, 0, 10, 10];
  const reversed = [10, 10, 0, 5];
  const m = tf.tidy(() => iouMatrix(tf, tf.tensor2d([a]), tf.tensor2d([reversed])));
  const fromMatrix = m.dataSync()[0];
  m.dispose();
  const fromBoxIou = boxIou([...a, ...reversed], 0, 1);
  const ref = refIou({ y1: 0, x1: 0, y2: 10, x2: 10 }, { y1: 10, x1: 10, y2: 0, x2: 5 });
  assert.equal(ref, 0.5);
  assert.ok(Math.abs(fromMatrix - ref) < 1e-6, `iouMatrix ${fromMatrix}`);
  assert.ok(Math.abs(fromBoxIou - ref) < 1e-12, `boxIou ${fromBoxIou}`);
});

test('pixel +1: IoU matrix and boxIou equal the reference on integer boxes, and differ from continuous where they should', () => {
  const rand = mulberry32(99);
  const boxes: number[][] = Array.from({ length: 40 }, () => {
    const y = Math.floor(rand() * 30), x = Math.floor(rand() * 30);
    const box = [y, x, y + Math.floor(rand() * 12), x + Math.floor(rand() * 12)]; // sides 0 … 11 (one pixel wide at 0 under +1)
    return rand() < 0.2 ? [box[2], box[3], box[0], box[1]] : box;
  });
  let pairs = 0, differ = 0;
  for (const convention of BOX_CONVENTIONS) {
    const m = tf.tidy(() => iouMatrix(tf, tf.tensor2d(boxes), tf.tensor2d(boxes), convention));
    const values = m.dataSync();
    m.dispose();
    boxes.forEach((a, i) => boxes.forEach((b, j) => {
      const toBox = (v: number[]) => ({ y1: v[0], x1: v[1], y2: v[2], x2: v[3] });
      const ref = refIou(toBox(a), toBox(b), convention === 'pixel+1');
      assert.ok(Math.abs(values[i * boxes.length + j] - ref) < 1e-6, `${convention} matrix (${i}, ${j}): ${values[i * boxes.length + j]} vs ${ref}`);
      assert.ok(Math.abs(boxIou([...a, ...b], 0, 1, convention) - ref) < 1e-12, `${convention} boxIou (${i}, ${j})`);
      if (convention === 'pixel+1' && Math.abs(ref - refIou(toBox(a), toBox(b))) > 1e-3) differ++;
      pairs++;
    }));
  }
  assert.equal(pairs, 2 * 40 * 40);
  assert.ok(differ > 200, `+1 changes ${differ} IoUs`);
  // py-faster-rcnn's classic case: two 10-pixel boxes [0, 9] and [5, 14] overlap in 5 pixels: 25 / 175.
  assert.ok(Math.abs(boxIou([0, 0, 9, 9, 5, 5, 14, 14], 0, 1, 'pixel+1') - 25 / 175) < 1e-12);
  assert.ok(Math.abs(boxIou([0, 0, 9, 9, 5, 5, 14, 14], 0, 1, 'continuous') - 16 / 146) < 1e-12);
});

test('labels, max IoU, argmax, counts and histogram equal the reference over 160 scenes', async () => {
  const configs = [
    fpnConfig(IMAGE),
    fpnConfig(IMAGE, ['P3', 'P4'], [1]),
    rpnConfig(IMAGE, 16),
    rpnConfig(IMAGE, 32, [32, 64, 128], [0.5, 2]),
    fpnConfig(IMAGE, ['P3', 'P4', 'P5', 'P6']),
    fpnConfig(IMAGE, ['P4', 'P5'], [0.5, 2]),
    rpnConfig(IMAGE, 8, [32, 64, 128], [1]),
    fpnConfig(IMAGE, ['P5', 'P6']),
  ];
  const thresholds = [[0.7, 0.3], [0.5, 0.5], [0.6, 0.1], [0.8, 0.4]] as const;
  let labelsCompared = 0, scenes = 0, ties = 0;
  for (let sc = 0; sc < 160; sc++) {
    const config = configs[sc % configs.length];
    const [positive, negative] = thresholds[Math.floor(sc / 4) % thresholds.length];
    const ignoreCrossBorder = sc % 8 >= 4;
    const boxConvention: BoxConvention = sc % 16 >= 8 ? 'pixel+1' : 'continuous';
    const set = generateAnchors(config);
    const boxes = scene(sc + 1, sc % 11);
    const anchorsT = tf.tensor2d(set.boxes, [set.count, 4]);
    const insideT = tf.tensor1d(set.inside, 'int32');
    const r = await anchorStep(tf, anchorsT, insideT, boxes, { positive, negative, ignoreCrossBorder, boxConvention });
    tf.dispose([anchorsT, insideT]);
    const refAnchorList = Array.from({ length: set.count }, (_, n) => ({
      y1: set.boxes[n * 4], x1: set.boxes[n * 4 + 1], y2: set.boxes[n * 4 + 2], x2: set.boxes[n * 4 + 3], level: set.level[n], inside: set.inside[n] === 1,
    }));
    const ref = refLabel(refAnchorList, boxes, positive, negative, ignoreCrossBorder, 1e-6, boxConvention === 'pixel+1');
    const label = `scene ${sc} (${boxConvention})`;
    let pos = 0, neg = 0, ign = 0, wrongLabel = 0, wrongArgmax = 0, worstIou = 0;
    for (let n = 0; n < set.count; n++) {
      // A float32 IoU within 1e-6 of a threshold may fall either way: count it, do not hide it.
      const nearThreshold = Math.abs(ref.maxIou[n] - positive) < 1e-6 || Math.abs(ref.maxIou[n] - negative) < 1e-6;
      if (nearThreshold) ties++;
      else if (r.labels[n] !== ref.labels[n]) wrongLabel++;
      worstIou = Math.max(worstIou, Math.abs(r.maxIou[n] - ref.maxIou[n]));
      if (!ref.tie[n] && r.argmax[n] !== ref.argmax[n]) wrongArgmax++;
      if (r.labels[n] === 1) pos++; else if (r.labels[n] === 0) neg++; else ign++;
    }
    assert.deepEqual([wrongLabel, wrongArgmax], [0, 0], `${label}: wrong labels, wrong argmax`);
    assert.ok(worstIou < 1e-5, `${label}: max IoU off by ${worstIou}`);
    assert.deepEqual([r.positives, r.negatives, r.ignored], [pos, neg, ign], label);
    assert.deepEqual(iouHistogram(r.maxIou, 20), refHistogram(Array.from(r.maxIou), 20), `${label} histogram`);
    labelsCompared += set.count;
    scenes++;
  }
  assert.equal(scenes, 160);
  assert.ok(ties < labelsCompared / 1000, `${ties} labels within 1e-6 of a threshold`);
  console.log(`anchors: ${scenes} scenes, ${labelsCompared} labels compared, ${ties} within 1e-6 of a threshold`);
});

function asBoxes(flat: ArrayLike<number>): RefBox[] {
  return Array.from({ length: flat.length / 4 }, (_, j) => ({ y1: flat[j * 4], x1: flat[j * 4 + 1], y2: flat[j * 4 + 2], x2: flat[j * 4 + 3] }));
}

/** NMS cases: the demo's own candidates, and integer boxes where IoU hits the threshold exactly. */
function* nmsCases(): Generator<{ boxes: Float32Array; scores: Float32Array; threshold: number }> {
  const set = generateAnchors(fpnConfig(IMAGE));
  const thresholds = [0.1, 0.3, 0.5, 0.7, 0.9];
  for (let c = 0; c < 100; c++) {
    const boxes = scene(1000 + c, 1 + (c % 6)).map((b) => ({ y1: Math.min(b.y1, b.y2), x1: Math.min(b.x1, b.x2), y2: Math.max(b.y1, b.y2), x2: Math.max(b.x1, b.x2) }));
    const maxIou = new Float32Array(set.count);
    for (let n = 0; n < set.count; n++) for (const b of boxes) maxIou[n] = Math.max(maxIou[n], boxIou([...set.boxes.subarray(n * 4, n * 4 + 4), b.y1, b.x1, b.y2, b.x2], 0, 1));
    const proposals = nmsProposals(set.boxes, maxIou, 60);
    yield { boxes: proposals.boxes, scores: proposals.scores, threshold: thresholds[c % thresholds.length] };
  }
  for (let c = 0; c < 200; c++) {
    // Boxes on a coarse integer grid with sizes 10 or 20: IoUs of 1/3, 1/2, 1/7 … occur exactly.
    const rand = mulberry32(5000 + c);
    const n = 3 + Math.floor(rand() * 10);
    const boxes = new Float32Array(n * 4);
    const scores = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      const y = 5 * Math.floor(rand() * 6), x = 5 * Math.floor(rand() * 6);
      const h = rand() < 0.5 ? 10 : 20, w = rand() < 0.5 ? 10 : 20;
      boxes.set([y, x, y + h, x + w], j * 4);
      scores[j] = Math.floor(rand() * 5) / 4; // score ties on purpose
    }
    yield { boxes, scores, threshold: [1 / 2, 1 / 3, 0.25, 0.5][c % 4] };
  }
}

test('NMS steps equal the reference under both tie rules, and the ≥ rule equals tf.image.nonMaxSuppressionAsync (300 cases)', async () => {
  let cases = 0, rulesDiffer = 0, conventionsDiffer = 0;
  for (const { boxes, scores, threshold } of nmsCases()) {
    const refBoxes = asBoxes(boxes);
    const kept: Record<NmsRule, number[]> = { '>=': [], '>': [] };
    const keptPlusOne: Record<NmsRule, number[]> = { '>=': [], '>': [] };
    for (const convention of BOX_CONVENTIONS)
      for (const rule of ['>=', '>'] as const) {
        const plusOne = convention === 'pixel+1';
        const ours = nmsSteps(boxes, scores, threshold, 60, Number.NEGATIVE_INFINITY, rule, convention);
        const ref = refNms(refBoxes, Array.from(scores), threshold, rule === '>', 60, plusOne);
        assert.deepEqual(ours.map((s) => s.selected), ref.map((s) => s.kept), `case ${cases} ${rule} ${convention}`);
        assert.deepEqual(ours.map((s) => [...s.suppressed].sort((a, b) => a - b)), ref.map((s) => [...s.removed].sort((a, b) => a - b)), `case ${cases} ${rule} ${convention} suppressed`);
        ours.forEach((s) => s.suppressed.forEach((j, x) => assert.ok(Math.abs(s.suppressedIou[x] - refIou(refBoxes[s.selected], refBoxes[j], plusOne)) < 1e-9)));
        (plusOne ? keptPlusOne : kept)[rule] = ours.map((s) => s.selected);
      }
    if (kept['>'].join() !== keptPlusOne['>'].join()) conventionsDiffer++;
    if (boxes.length > 0) {
      const t = await tf.image.nonMaxSuppressionAsync(tf.tensor2d(boxes, [boxes.length / 4, 4]), tf.tensor1d(scores), 60, threshold);
      const tfKept = Array.from(await t.data());
      tf.dispose(t);
      assert.deepEqual(tfKept, kept['>='], `case ${cases}: tfjs suppresses at IoU ≥ t`);
    }
    if (kept['>='].join() !== kept['>'].join()) rulesDiffer++;
    cases++;
  }
  assert.equal(cases, 300);
  assert.ok(rulesDiffer >= 20, `the two rules differ in ${rulesDiffer} cases`);
  assert.ok(conventionsDiffer >= 5, `the two box conventions differ in ${conventionsDiffer} cases`);
  console.log(`NMS: ${cases} cases × 2 rules × 2 box conventions, rules differ in ${rulesDiffer}, conventions in ${conventionsDiffer}`);
});

test('at IoU exactly = threshold: tfjs suppresses, the > rule keeps', async () => {
  const boxes = new Float32Array([0, 0, 10, 10, 0, 0, 10, 5]); // IoU = 50 / 100
  const scores = new Float32Array([0.9, 0.8]);
  const t = await tf.image.nonMaxSuppressionAsync(tf.tensor2d(boxes, [2, 4]), tf.tensor1d(scores), 10, 0.5);
  assert.deepEqual(Array.from(await t.data()), [0]);
  tf.dispose(t);
  assert.deepEqual(nmsSteps(boxes, scores, 0.5, 10, -Infinity, '>=').map((s) => s.selected), [0]);
  assert.deepEqual(nmsSteps(boxes, scores, 0.5, 10, -Infinity, '>').map((s) => s.selected), [0, 1]);
});

test('the NMS candidates are the top anchors by max IoU, as the reference picks them', () => {
  const set = generateAnchors(fpnConfig(IMAGE, ['P3', 'P4']));
  const gts = scene(77, 4);
  const maxIou = new Float32Array(set.count);
  const refBoxes = asBoxes(set.boxes);
  refBoxes.forEach((a, n) => { maxIou[n] = Math.max(0, ...gts.map((g) => refIou(a, g))); });
  const { anchorIndex, scores, boxes } = nmsProposals(set.boxes, maxIou, 60);
  const expected = refBoxes.map((_, n) => n).filter((n) => maxIou[n] > 0.05).sort((a, b) => (maxIou[b] !== maxIou[a] ? maxIou[b] - maxIou[a] : a - b)).slice(0, 60);
  assert.deepEqual(anchorIndex, expected);
  expected.forEach((n, j) => {
    assert.equal(scores[j], maxIou[n]);
    assert.deepEqual(Array.from(boxes.subarray(j * 4, j * 4 + 4)), Array.from(set.boxes.subarray(n * 4, n * 4 + 4)));
  });
  assert.deepEqual(boxesToArray([{ y1: 5, x1: 6, y2: 1, x2: 2 }]), new Float32Array([1, 2, 5, 6]));
});
