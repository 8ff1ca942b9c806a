import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfc from '@tensorflow/tfjs-core';
import {
  ResettableAdam,
  createDropoutExperiment,
  dropoutForward,
  dropoutScaling,
  makeMoons,
  type DropoutConvention,
} from '../../../src/core/demos/dropout';
import { createRng } from '../../../src/core/demos/rng';
import { cpuTf } from './tfjsNode';

let tf: typeof tfc;
before(async () => {
  tf = await cpuTf();
});

/** Monte-Carlo mean of the train-mode output over `masks` fresh masks, and the eval-mode output, by unit. */
function expectation(convention: DropoutConvention, p: number, masks: number): { mc: number[]; evalOut: number[] } {
  const rng = createRng(42);
  const xValues = [[0.5, 1.0, 2.0, 0.0, 3.0, 0.25]];
  const x = tf.tensor2d(xValues);
  const sum = new Float64Array(6);
  for (let k = 0; k < masks; k++) {
    const { y, mask } = dropoutForward(tf, x, p, 'train', convention, rng);
    y.dataSync().forEach((v, i) => (sum[i] += v));
    tf.dispose([y, mask!]);
  }
  const { y } = dropoutForward(tf, x, p, 'eval', convention, rng);
  const evalOut = Array.from(y.dataSync());
  tf.dispose([x, y]);
  return { mc: Array.from(sum, (s) => s / masks), evalOut };
}

test('scaling factors of the three conventions', () => {
  assert.deepEqual(dropoutScaling(0.2, 'inverted'), { train: 1.25, eval: 1 });
  assert.deepEqual(dropoutScaling(0.2, 'lecture'), { train: 1, eval: 0.8 });
  assert.deepEqual(dropoutScaling(0.2, 'wrong'), { train: 1, eval: 0.2 });
  assert.throws(() => dropoutScaling(1, 'inverted'), RangeError);
  assert.throws(() => dropoutScaling(-0.1, 'lecture'), RangeError);
  assert.throws(() => dropoutScaling(Number.NaN, 'lecture'), RangeError);
});

for (const convention of ['inverted', 'lecture'] as const) {
  test(`${convention} scaling preserves the expected activation (Monte Carlo, 4,000 masks)`, () => {
    for (const p of [0.2, 0.5, 0.8]) {
      const { mc, evalOut } = expectation(convention, p, 4000);
      const total = (a: number[]) => a.reduce((s, v) => s + v, 0);
      assert.ok(Math.abs(total(mc) - total(evalOut)) / total(evalOut) < 0.03, `p=${p}: ${total(mc)} vs ${total(evalOut)}`);
      // Per unit, with a tolerance of 4 standard errors of the Monte-Carlo mean.
      const s = dropoutScaling(p, convention).train;
      mc.forEach((m, i) => {
        const x = [0.5, 1.0, 2.0, 0.0, 3.0, 0.25][i];
        const se = (s * x * Math.sqrt(p * (1 - p))) / Math.sqrt(4000);
        assert.ok(Math.abs(m - evalOut[i]) <= 4 * se + 1e-6, `p=${p} unit ${i}: ${m} vs ${evalOut[i]}`);
      });
    }
  });
}

test('the wrong convention (test-time factor p) breaks the expectation, except at p = 0.5', () => {
  for (const p of [0.2, 0.8]) {
    const { mc, evalOut } = expectation('wrong', p, 2000);
    const ratio = evalOut[4] / mc[4];
    assert.ok(Math.abs(ratio - p / (1 - p)) < 0.1 * (p / (1 - p)), `p=${p}: eval/train ratio ${ratio}`);
    assert.ok(Math.abs(ratio - 1) > 0.5, `p=${p}: the mismatch should be large, ratio ${ratio}`);
  }
  const { mc, evalOut } = expectation('wrong', 0.5, 4000);
  assert.ok(Math.abs(mc[4] - evalOut[4]) / evalOut[4] < 0.05, 'at p = 0.5, p equals 1 − p: the bug hides');
});

test('moons: balanced, seeded, with the requested label noise', () => {
  const a = makeMoons(createRng(3), 400, 0.2, 0.1);
  const b = makeMoons(createRng(3), 400, 0.2, 0.1);
  assert.deepEqual(a, b);
  const ones = a.y.reduce((s, v) => s + v, 0);
  assert.ok(ones > 160 && ones < 240, `class balance ${ones}/400`);
  const clean = makeMoons(createRng(3), 400, 0.2, 0);
  const flipped = clean.y.filter((v, i) => v !== i % 2).length;
  assert.equal(flipped, 0);
});

test('a fresh mask every step, with about 1 − p of the units kept', () => {
  const e = createDropoutExperiment(tf, { seed: 1, p: 0.5, hidden: 32, trainSize: 40, gridResolution: 8 });
  try {
    e.step(1);
    const first = e.snapshotSync().masks;
    e.step(1);
    const second = e.snapshotSync().masks;
    for (const layer of [0, 1]) {
      const differing = first[layer].filter((v, i) => v !== second[layer][i]).length;
      assert.ok(differing > 0.3 * first[layer].length, `layer ${layer}: only ${differing} mask entries changed`);
      const kept = second[layer].reduce((s, v) => s + v, 0) / second[layer].length;
      assert.ok(Math.abs(kept - 0.5) < 0.05, `kept fraction ${kept}`);
    }
  } finally {
    e.dispose();
  }
});

test('same seed, same run; both networks start from the same weights', () => {
  const a = createDropoutExperiment(tf, { seed: 5, p: 0.3, hidden: 16, gridResolution: 8 });
  const b = createDropoutExperiment(tf, { seed: 5, p: 0.3, hidden: 16, gridResolution: 8 });
  try {
    const start = a.snapshotSync();
    assert.equal(start.baseline.train, start.dropout.train);
    assert.deepEqual(start.baselineGrid, start.dropoutGrid);
    a.step(20);
    b.step(20);
    assert.deepEqual(a.losses(), b.losses());
    assert.notEqual(a.losses().baseline.train, start.baseline.train);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test('p = 0 over-fits the noisy moons; dropout generalises better (seeded, 250 steps)', () => {
  const e = createDropoutExperiment(tf, { seed: 7, p: 0.5, hidden: 32, learningRate: 0.01, gridResolution: 8 });
  try {
    const start = e.losses();
    e.step(250);
    const { baseline, dropout } = e.losses();
    assert.ok(baseline.train < 0.1 && baseline.train < start.baseline.train / 5, `baseline train loss ${baseline.train}`);
    assert.ok(baseline.val > baseline.train + 1, `baseline val ${baseline.val} vs train ${baseline.train}`);
    assert.ok(dropout.val < baseline.val - 0.5, `dropout val ${dropout.val} vs baseline val ${baseline.val}`);
    assert.ok(dropout.train > baseline.train, 'dropout fits the training noise less');
  } finally {
    e.dispose();
  }
});

test('ResettableAdam follows tf.train.adam step by step, and resets to a fresh optimiser', () => {
  const start = [[0.5, -1.5, 2], [1, 0.25, -0.75]];
  const target = tf.tensor2d([[1, 2, 3], [-1, -2, -3]]);
  const ours = tf.variable(tf.tensor2d(start));
  const theirs = tf.variable(tf.tensor2d(start));
  const loss = (w: tfc.Variable) => () => tf.sum(tf.square(tf.sub(tf.mul(w, w), target))) as tfc.Scalar;
  const adam = new ResettableAdam(tf, [ours], 0.05);
  const reference = tf.train.adam(0.05);
  for (let i = 0; i < 8; i++) {
    adam.minimize(loss(ours));
    reference.minimize(loss(theirs), false, [theirs]);
    const a = ours.dataSync();
    const b = theirs.dataSync();
    a.forEach((v, j) => assert.ok(Math.abs(v - b[j]) < 1e-5, `step ${i + 1}, weight ${j}: ${v} vs ${b[j]}`));
  }
  // After a reset, the next step equals the first step of a fresh tf.train.adam from the same point.
  const count = tf.memory().numTensors;
  adam.reset();
  assert.equal(tf.memory().numTensors, count, 'reset allocates nothing');
  const fresh = tf.train.adam(0.05);
  theirs.assign(ours);
  adam.minimize(loss(ours));
  fresh.minimize(loss(theirs), false, [theirs]);
  const a = ours.dataSync();
  theirs.dataSync().forEach((v, j) => assert.ok(Math.abs(v - a[j]) < 1e-5, `after reset, weight ${j}`));
  adam.dispose();
  reference.dispose();
  fresh.dispose();
  tf.dispose([ours, theirs, target]);
});

test('reset reproduces a fresh run exactly', () => {
  const e = createDropoutExperiment(tf, { seed: 4, p: 0.3, hidden: 16, gridResolution: 8 });
  try {
    e.step(15);
    const first = e.losses();
    e.step(5);
    e.reset();
    e.step(15);
    assert.deepEqual(e.losses(), first);
  } finally {
    e.dispose();
  }
});

test('lecture ↔ wrong keeps the trained net (test time only); to/from inverted restarts', () => {
  const e = createDropoutExperiment(tf, { seed: 2, p: 0.2, hidden: 16, gridResolution: 8, convention: 'lecture' });
  try {
    e.step(30);
    const lecture = e.snapshotSync();
    assert.equal(e.setConvention('wrong'), false);
    assert.equal(e.stepCount, 30);
    const wrong = e.snapshotSync();
    assert.equal(wrong.baseline.val, lecture.baseline.val);
    assert.notEqual(wrong.dropout.val, lecture.dropout.val);
    // Layer-1 check: eval activation is p/(1−p) = 1/4 of the training expectation under the bug.
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    assert.ok(Math.abs(mean(lecture.check.evalValue) / mean(lecture.check.trainMean) - 1) < 0.1);
    assert.ok(Math.abs(mean(wrong.check.evalValue) / mean(wrong.check.trainMean) - 0.25) < 0.05);
    assert.equal(e.setConvention('inverted'), true);
    assert.equal(e.stepCount, 0);
    assert.throws(() => e.setConvention('bogus' as DropoutConvention), RangeError);
    assert.throws(() => e.setP(0.95), RangeError);
  } finally {
    e.dispose();
  }
});

test('no tensor leaks across 1,000 steps and readouts; dispose releases everything', async () => {
  const before0 = tf.memory().numTensors;
  const e = createDropoutExperiment(tf, { seed: 9, p: 0.4, hidden: 16, gridResolution: 10 });
  e.step(2);
  e.snapshotSync();
  const warm = tf.memory().numTensors;
  for (let i = 0; i < 10; i++) {
    e.step(100);
    await e.snapshot(i % 2 ? 'train' : 'eval');
  }
  assert.equal(tf.memory().numTensors, warm);
  e.reset();
  e.setP(0.1);
  // Resets allocate nothing and free nothing: the count never dips (the host's leak guard relies on it).
  assert.equal(tf.memory().numTensors, warm);
  e.step(2);
  e.snapshotSync('train');
  assert.equal(tf.memory().numTensors, warm);
  e.dispose();
  assert.equal(tf.memory().numTensors, before0);
  assert.throws(() => e.step(1), /after dispose/);
});
