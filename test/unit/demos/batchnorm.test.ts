import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfc from '@tensorflow/tfjs-core';
import {
  batchNormForward,
  batchNormInference,
  createBatchNormExperiment,
  histogram,
  updateRunningStat,
} from '../../../src/core/demos/batchnorm';
import { createRng, gaussianArray } from '../../../src/core/demos/rng';
import { cpuTf } from './tfjsNode';

let tf: typeof tfc;
before(async () => {
  tf = await cpuTf();
});

const B = 7;
const C = 5;
const EPS = 1e-3;

function fixture() {
  const rng = createRng(17);
  const x = Array.from({ length: B }, (_, i) => Array.from({ length: C }, (_, c) => (rng() - 0.3) * (c + 1) * 3 + i * 0.1));
  const gamma = Array.from({ length: C }, () => 0.5 + rng());
  const beta = Array.from({ length: C }, () => rng() - 0.5);
  return { x, gamma, beta };
}

/** The lecture's four steps with loops, independent of tfjs. */
function referenceBatchNorm(x: number[][], gamma: number[], beta: number[], eps: number) {
  const n = x.length;
  const mean = gamma.map((_, c) => x.reduce((s, row) => s + row[c], 0) / n);
  const variance = gamma.map((_, c) => x.reduce((s, row) => s + (row[c] - mean[c]) ** 2, 0) / n);
  const xhat = x.map((row) => row.map((v, c) => (v - mean[c]) / Math.sqrt(variance[c] + eps)));
  const y = xhat.map((row) => row.map((v, c) => gamma[c] * v + beta[c]));
  return { mean, variance, xhat, y };
}

function close(actual: ArrayLike<number>, expected: number[], tol: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

test('batchNormForward matches the four steps computed with loops', () => {
  const { x, gamma, beta } = fixture();
  const ref = referenceBatchNorm(x, gamma, beta, EPS);
  const xt = tf.tensor2d(x);
  const g = tf.tensor1d(gamma);
  const b = tf.tensor1d(beta);
  const r = batchNormForward(tf, xt, g, b, EPS);
  close(r.mean.dataSync(), ref.mean, 1e-5, 'μ_B');
  close(r.variance.dataSync(), ref.variance, 1e-5, 'σ²_B');
  close(r.xhat.dataSync(), ref.xhat.flat(), 1e-5, 'x̂');
  close(r.y.dataSync(), ref.y.flat(), 1e-5, 'y');
  // x̂ has zero mean and (almost) unit variance per unit.
  const xhatMean = tf.mean(r.xhat, 0).dataSync();
  close(xhatMean, new Array<number>(C).fill(0), 1e-5, 'mean of x̂');
  tf.dispose([xt, g, b, r.mean, r.variance, r.xhat, r.y]);
});

test('batchNormForward agrees with tf.batchNorm (which takes offset before scale)', () => {
  const { x, gamma, beta } = fixture();
  const xt = tf.tensor2d(x);
  const g = tf.tensor1d(gamma);
  const b = tf.tensor1d(beta);
  const ours = batchNormForward(tf, xt, g, b, EPS);
  const theirs = tf.batchNorm(xt, ours.mean, ours.variance, b, g, EPS);
  close(ours.y.dataSync(), Array.from(theirs.dataSync()), 1e-5, 'y vs tf.batchNorm');
  const inference = batchNormInference(tf, xt, g, b, ours.mean, ours.variance, EPS);
  close(inference.dataSync(), Array.from(theirs.dataSync()), 1e-5, 'inference with batch stats');
  tf.dispose([xt, g, b, ours.mean, ours.variance, ours.xhat, ours.y, theirs, inference]);
});

test('running statistics: running ← m·running + (1 − m)·batch', () => {
  const running = [0, 1, -2, 4];
  const batch = [1, 3, 2, 0.5];
  for (const m of [0, 0.5, 0.9, 0.99]) {
    const r = tf.tensor1d(running);
    const b = tf.tensor1d(batch);
    const out = updateRunningStat(tf, r, b, m);
    close(out.dataSync(), running.map((v, i) => m * v + (1 - m) * batch[i]), 1e-6, `momentum ${m}`);
    tf.dispose([r, b, out]);
  }
  const r = tf.tensor1d([0]);
  assert.throws(() => updateRunningStat(tf, r, r, 1), RangeError);
  r.dispose();
});

test('histogram: equal bins, outliers clamped to the end bins, NaN skipped', () => {
  const { counts, nonFinite } = histogram([-5, -1, -0.99, 0, 0.5, 0.99, 1, 7, Number.NaN, Number.POSITIVE_INFINITY], 4, 1);
  // Bins over [−1, 1]: [−1, −0.5), [−0.5, 0), [0, 0.5), [0.5, 1]; 1 and 7 clamp into the last.
  assert.deepEqual(Array.from(counts), [3, 0, 1, 4]);
  assert.equal(nonFinite, 2);
});

test('the experiment updates its running statistics from the batch it trained on', () => {
  const momentum = 0.8;
  // A vanishing learning rate keeps the weights, so the snapshot's batch statistics are the step's.
  const e = createBatchNormExperiment(tf, { seed: 3, depth: 3, width: 8, learningRate: 1e-12, momentum, batchSize: 16 });
  try {
    e.step(1);
    for (const [layer, unit] of [[0, 0], [2, 5]] as const) {
      const u = e.snapshotSync(layer, unit).unit;
      assert.ok(Math.abs(u.runningMean - (1 - momentum) * u.batchMean) < 1e-5, `running mean ${u.runningMean}`);
      // Unbiased by default (BN paper, PyTorch): B/(B−1) · σ²_B enters the running average.
      assert.ok(Math.abs(u.runningVariance - (momentum * 1 + (1 - momentum) * (16 / 15) * u.batchVariance)) < 1e-5, `running var ${u.runningVariance}`);
      // The unit view is self-consistent with the reference formula.
      const ref = referenceBatchNorm(Array.from(u.x, (v) => [v]), [u.gamma], [u.beta], e.eps);
      close([u.batchMean], ref.mean, 1e-5, 'μ_B');
      close([u.batchVariance], ref.variance, 1e-4, 'σ²_B');
      close(u.xhat, ref.xhat.flat(), 1e-4, 'x̂');
      close(u.y, ref.y.flat(), 1e-4, 'y');
      const inf = Array.from(u.x, (v) => u.gamma * ((v - u.runningMean) / Math.sqrt(u.runningVariance + e.eps)) + u.beta);
      close(u.yInference, inf, 1e-4, 'y with running statistics');
    }
  } finally {
    e.dispose();
  }
});

test('dragging γ and β changes the unit output y = γx̂ + β and the network output', () => {
  const e = createBatchNormExperiment(tf, { seed: 4, depth: 4, width: 8, batchSize: 16 });
  try {
    e.step(5);
    const before0 = e.snapshotSync(1, 3);
    e.setGammaBeta(1, 3, 2.5, -0.75);
    const after = e.snapshotSync(1, 3);
    assert.equal(after.unit.gamma, 2.5);
    assert.equal(after.unit.beta, -0.75);
    close(after.unit.y, Array.from(after.unit.xhat, (v) => 2.5 * v - 0.75), 1e-5, 'y');
    assert.notDeepEqual(after.mismatch.probBatchStats, before0.mismatch.probBatchStats);
    // Other units keep their parameters.
    assert.equal(e.snapshotSync(1, 2).unit.gamma, before0.unit.gamma === 2.5 ? 2.5 : e.snapshotSync(1, 2).unit.gamma);
    assert.throws(() => e.setGammaBeta(9, 0, 1, 0), RangeError);
    assert.throws(() => e.setGammaBeta(0, 0, Number.NaN, 0), RangeError);
  } finally {
    e.dispose();
  }
});

test('at learning rate 1 the BN net learns the spirals while the plain net stays at chance (seeded)', () => {
  const e = createBatchNormExperiment(tf, { seed: 11, learningRate: 1, activation: 'relu' });
  try {
    const start = e.snapshotSync();
    e.step(300);
    const s = e.snapshotSync();
    const plainStuck = Number.isNaN(s.plain.loss) || s.plain.loss > 0.6;
    assert.ok(plainStuck, `plain loss ${s.plain.loss} (start ${start.plain.loss})`);
    assert.ok(s.bn.loss < 0.35 && s.bn.loss < start.bn.loss - 0.3, `BN loss ${s.bn.loss} (start ${start.bn.loss})`);
    assert.ok(s.bn.accuracy > 0.85, `BN accuracy ${s.bn.accuracy}`);
  } finally {
    e.dispose();
  }
});

test('train-mode and inference-mode outputs differ early in training', () => {
  const e = createBatchNormExperiment(tf, { seed: 11, momentum: 0.99, batchSize: 16 });
  try {
    e.step(3);
    const s = e.snapshotSync();
    assert.ok(s.mismatch.meanAbsProbabilityGap > 0.01, `gap ${s.mismatch.meanAbsProbabilityGap}`);
    assert.notEqual(s.mismatch.lossBatchStats, s.mismatch.lossRunningStats);
  } finally {
    e.dispose();
  }
});

test('no tensor leaks across 1,000 steps and readouts; dispose releases everything', async () => {
  const before0 = tf.memory().numTensors;
  const e = createBatchNormExperiment(tf, { seed: 6, depth: 3, width: 8, batchSize: 8, trainSize: 64, probeSize: 8 });
  e.step(2);
  e.snapshotSync();
  const warm = tf.memory().numTensors;
  for (let i = 0; i < 10; i++) {
    e.step(100);
    await e.snapshot(i % 3, i % 8);
  }
  assert.equal(tf.memory().numTensors, warm);
  e.setBatchSize(16);
  e.setMomentum(0.5);
  e.setGammaBeta(0, 0, 1.5, 0.1);
  e.setLearningRate(0.1);
  e.step(3);
  e.snapshotSync(1, 1);
  assert.equal(tf.memory().numTensors, warm);
  e.dispose();
  assert.equal(tf.memory().numTensors, before0);
  assert.throws(() => e.snapshotSync(), /after dispose/);
  assert.throws(() => createBatchNormExperiment(tf, { batchSize: 1 }), RangeError);
});

test('initial weights are random but seeded', () => {
  const a = gaussianArray(createRng(1), 10, 1);
  const b = gaussianArray(createRng(1), 10, 1);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, gaussianArray(createRng(2), 10, 1));
});
