import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import {
  adaboostAnswer,
  boostRound,
  enumerateFeatures,
  featureMatrix,
  haarLookups,
  haarRects,
  haarValue,
  integralImage,
  integralImageWithCheck,
  makeFaceSet,
  rectSum,
  uniformWeights,
  type BoostRound,
  type HaarFeature,
  type HaarKind,
} from '../../../src/core/demos/violaJones';
import { createRng } from '../../../src/core/demos/rng';
import { cpuTf } from './tfjsNode';

before(async () => {
  await cpuTf();
});

/** Reference: the sum over the rectangle, pixel by pixel. */
function bruteSum(img: ArrayLike<number>, w: number, x0: number, y0: number, x1: number, y1: number): number {
  let s = 0;
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) s += img[y * w + x];
  return s;
}

/** Reference Haar value: white and black regions summed pixel by pixel from the layout, not from haarRects. */
function bruteHaar(img: ArrayLike<number>, w: number, f: HaarFeature): number {
  const grids: Record<HaarKind, number[][]> = { 'two-h': [[1, -1]], 'two-v': [[1], [-1]], 'three-h': [[1, -1, 1]], 'three-v': [[1], [-1], [1]], four: [[1, -1], [-1, 1]] };
  const g = grids[f.kind];
  let v = 0;
  for (let r = 0; r < g.length; r++) for (let c = 0; c < g[0].length; c++) {
    v += g[r][c] * bruteSum(img, w, f.x + c * f.cw, f.y + r * f.ch, f.x + (c + 1) * f.cw - 1, f.y + (r + 1) * f.ch - 1);
  }
  return v;
}

function randomImage(seed: number, h: number, w: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: h * w }, () => Math.floor(rng() * 10));
}

test('integral image from tf.cumsum equals the double sum, and every rectangle is four lookups', async () => {
  let rects = 0;
  for (const [h, w] of [[1, 1], [3, 5], [7, 4], [10, 10]]) {
    const img = randomImage(h * 31 + w, h, w);
    const S = await integralImage(tf, img, h, w);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) assert.equal(S[y * w + x], bruteSum(img, w, 0, 0, x, y), `S(${y},${x})`);
    for (let y0 = 0; y0 < h; y0++) for (let y1 = y0; y1 < h; y1++) for (let x0 = 0; x0 < w; x0++) for (let x1 = x0; x1 < w; x1++) {
      const { sum, lookups } = rectSum(S, w, { x0, y0, x1, y1 });
      assert.equal(sum, bruteSum(img, w, x0, y0, x1, y1));
      assert.equal(lookups.length, 4);
      assert.deepEqual(lookups.map((l) => l.name).join(''), 'DBCA');
      if ((x0 + y1) % 7 === 0) assert.equal((await integralImageWithCheck(tf, img, h, w, { x0, y0, x1, y1 })).directSum, sum);
      rects++;
    }
  }
  assert.ok(rects > 1000, `${rects} rectangles`);
});

test('Haar features: 6, 8 and 9 distinct lookups, values equal the pixel sums for every feature of a 9×9 window', async () => {
  const n = 9;
  const img = randomImage(5, n, n);
  const S = await integralImage(tf, img, n, n);
  const features = enumerateFeatures(n);
  const lookups: Record<HaarKind, number> = { 'two-h': 6, 'two-v': 6, 'three-h': 8, 'three-v': 8, four: 9 };
  for (const f of features) {
    assert.equal(haarValue(S, n, f), bruteHaar(img, n, f), JSON.stringify(f));
    // Lookups can coincide with the image border (S = 0 there) but are still distinct cells.
    assert.equal(haarLookups(f).length, lookups[f.kind], JSON.stringify(f));
    assert.equal(haarRects(f).reduce((a, r) => a + r.sign, 0), f.kind === 'three-h' || f.kind === 'three-v' ? 1 : 0);
  }
  assert.ok(features.length > 1000, `${features.length} features`);
});

test('the feature matrix (one matMul over all integral images) equals the pixel sums for every window and feature', async () => {
  const set = makeFaceSet(11, 40);
  const features = enumerateFeatures(set.n, 2);
  const values = await featureMatrix(tf, set, features);
  const m = features.length;
  const nn = set.n * set.n;
  for (let j = 0; j < 40; j++) {
    const win = set.windows.subarray(j * nn, (j + 1) * nn);
    for (let f = 0; f < m; f++) assert.equal(values[j * m + f], bruteHaar(win, set.n, features[f]), `window ${j} feature ${f}`);
  }
  assert.ok(40 * m > 5000, `${40 * m} values`);
});

/**
 * Reference AdaBoost, written from the notes without the demo's sweep: for each feature try every
 * observed value as θ with both polarities (O(N²)), take the lowest weighted error (first on ties).
 */
function refRound(values: Float32Array, m: number, labels: Int8Array, w: Float64Array): { feature: number; theta: number; pol: number; error: number; alpha: number; next: Float64Array; misclassified: number[] } {
  let best = { feature: -1, error: Infinity, theta: 0, pol: 1 };
  for (let f = 0; f < m; f++) {
    const thetas = [...new Set(Array.from(labels, (_, j) => values[j * m + f]))].sort((a, b) => a - b);
    thetas.push(Math.max(...thetas) + 1);
    for (const theta of thetas) for (const pol of [1, -1]) {
      let err = 0;
      for (let j = 0; j < labels.length; j++) {
        const h = values[j * m + f] >= theta ? pol : -pol;
        if (h !== labels[j]) err += w[j];
      }
      if (err < best.error - 1e-12) best = { feature: f, error: err, theta, pol };
    }
  }
  const alpha = 0.5 * Math.log((1 - best.error) / best.error);
  const next = new Float64Array(w.length);
  const misclassified: number[] = [];
  let z = 0;
  for (let j = 0; j < labels.length; j++) {
    const h = values[j * m + best.feature] >= best.theta ? best.pol : -best.pol;
    if (h !== labels[j]) misclassified.push(j);
    next[j] = w[j] * (h === labels[j] ? Math.exp(-alpha) : Math.exp(alpha));
    z += next[j];
  }
  for (let j = 0; j < next.length; j++) next[j] /= z;
  return { feature: best.feature, theta: best.theta, pol: best.pol, error: best.error, alpha, next, misclassified };
}

/** Training error of H(x) = sign(Σ α h(x)) (a zero sum counts as +1) over the reference's rounds. */
function refStrongError(values: Float32Array, m: number, labels: Int8Array, rounds: ReadonlyArray<{ feature: number; theta: number; pol: number; alpha: number }>): number {
  let wrong = 0;
  for (let j = 0; j < labels.length; j++) {
    let score = 0;
    for (const r of rounds) score += r.alpha * (values[j * m + r.feature] >= r.theta ? r.pol : -r.pol);
    if ((score >= 0 ? 1 : -1) !== labels[j]) wrong++;
  }
  return wrong / labels.length;
}

test('AdaBoost rounds equal the brute-force reference: feature, θ, polarity, error, α, misclassified, weights, strong error', async () => {
  let roundsChecked = 0;
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const set = makeFaceSet(seed, 60);
    const features = enumerateFeatures(set.n, 2);
    const values = await featureMatrix(tf, set, features);
    const m = features.length;
    let w = uniformWeights(60);
    let refW = uniformWeights(60);
    const rounds: BoostRound[] = [];
    const refRounds: Array<{ feature: number; theta: number; pol: number; alpha: number }> = [];
    for (let r = 0; r < 6; r++) {
      const round = boostRound(values, m, set.labels, w, rounds);
      const ref = refRound(values, m, set.labels, refW);
      refRounds.push(ref);
      // Every column of the round table: feature, θ and polarity (the shown stump makes exactly the
      // reference's mistakes), ε, α, the misclassified windows, the strong classifier's error.
      assert.equal(round.stump.feature, ref.feature, `seed ${seed} round ${r}: feature`);
      assert.equal(round.stump.polarity, ref.pol, `seed ${seed} round ${r}: polarity`);
      const wrongUnderShown = Array.from(set.labels, (_, j) => j).filter((j) => (values[j * m + round.stump.feature] >= round.stump.threshold ? round.stump.polarity : -round.stump.polarity) !== set.labels[j]);
      assert.deepEqual(wrongUnderShown, ref.misclassified, `seed ${seed} round ${r}: θ = ${round.stump.threshold} splits like the reference's θ = ${ref.theta}`);
      assert.deepEqual(round.misclassified, ref.misclassified, `seed ${seed} round ${r}: misclassified`);
      assert.ok(Math.abs(round.strongError - refStrongError(values, m, set.labels, refRounds)) < 1e-12, `seed ${seed} round ${r}: strong error ${round.strongError}`);
      assert.ok(Math.abs(round.stump.error - ref.error) < 1e-9, `seed ${seed} round ${r}: ε ${round.stump.error} vs ${ref.error}`);
      assert.ok(Math.abs(round.alpha - ref.alpha) < 1e-6);
      for (let j = 0; j < 60; j++) assert.ok(Math.abs(round.weightsAfter[j] - ref.next[j]) < 1e-9, `weight ${j}`);
      assert.ok(round.stump.error < 0.5, 'a weak classifier is better than chance');
      for (const j of round.misclassified) assert.ok(round.weightsAfter[j] > round.weightsBefore[j], 'misclassified weights grow');
      // After the update the chosen stump has weighted error exactly ½ (the classic AdaBoost identity).
      let errAfter = 0;
      for (const j of round.misclassified) errAfter += round.weightsAfter[j];
      assert.ok(Math.abs(errAfter - 0.5) < 1e-9, `error under the new weights ${errAfter}`);
      rounds.push(round);
      w = round.weightsAfter;
      refW = ref.next;
      roundsChecked++;
    }
    assert.ok(rounds.at(-1)!.strongError <= rounds[0].strongError, 'boosting does not get worse on the training set here');
  }
  assert.equal(roundsChecked, 36);
});

test('the generated set is learnable and the answer text quotes the computed rounds', async () => {
  const set = makeFaceSet(7, 120);
  assert.equal(set.labels.filter((l) => l > 0).length, 60);
  assert.ok(set.windows.every((v) => Number.isInteger(v) && v >= 0 && v <= 9));
  const features = enumerateFeatures(set.n, 1);
  const values = await featureMatrix(tf, set, features);
  const rounds: BoostRound[] = [];
  let w = uniformWeights(120);
  for (let r = 0; r < 10; r++) {
    rounds.push(boostRound(values, features.length, set.labels, w, rounds));
    w = rounds.at(-1)!.weightsAfter;
  }
  assert.ok(rounds.at(-1)!.strongError < 0.1, `strong error ${rounds.at(-1)!.strongError}`);
  const answer = adaboostAnswer(rounds, features);
  assert.match(answer, /α_m = ½ ln\(\(1 − ε_m\)\/ε_m\)/);
  assert.ok(answer.includes(`α = ${rounds[0].alpha.toFixed(3)}`));
});

test('no tensor leaks', async () => {
  const set = makeFaceSet(3, 20);
  const features = enumerateFeatures(set.n, 3);
  await featureMatrix(tf, set, features);
  const before = tf.memory().numTensors;
  for (let n = 0; n < 50; n++) {
    await featureMatrix(tf, set, features);
    await integralImage(tf, set.windows.subarray(0, 64), 8, 8);
  }
  assert.equal(tf.memory().numTensors, before);
});
