/**
 * Property tests of the numbers the batch-norm demo shows for the selected unit — μ_B, σ²_B, x̂, y,
 * the σ² fed to the running average, running μ and σ² under both variance estimators, y with
 * running statistics, the train/inference gap — against reference/batchnormRef.ts, over a grid of
 * batch sizes × momenta × estimators × steps; and the shown mini-batch before the first step.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfc from '@tensorflow/tfjs-core';
import { VARIANCE_ESTIMATORS, createBatchNormExperiment } from '../../../src/core/demos/batchnorm';
import { refBnUnit, refInference, refRunning } from './reference/batchnormRef';
import { cpuTf } from './tfjsNode';

let tf: typeof tfc;
before(async () => {
  tf = await cpuTf();
});

const near = (a: number, b: number, tol = 2e-4) => Math.abs(a - b) <= tol * (1 + Math.abs(b));

test('running statistics and the four steps equal the reference for B × momentum × estimator × steps', () => {
  let configs = 0, values = 0;
  for (const batchSize of [2, 3, 4, 8, 32])
    for (const momentum of [0, 0.5, 0.9, 0.99])
      for (const estimator of VARIANCE_ESTIMATORS) {
        // A vanishing learning rate keeps the weights, so each step's batch statistics can be read
        // back after it and fed to the reference running average.
        const e = createBatchNormExperiment(tf, { seed: 5 + batchSize, depth: 3, width: 6, learningRate: 1e-12, momentum, batchSize, runningVariance: estimator, probeSize: 4, trainSize: 64 });
        try {
          for (const [layer, unit] of [[0, 1], [2, 4]] as const) {
            const batches: Array<{ mean: number; variance: number; size: number }> = [];
            e.reset();
            for (let step = 1; step <= 4; step++) {
              e.step(1);
              const s = e.snapshotSync(layer, unit);
              const u = s.unit;
              const label = `B=${batchSize} m=${momentum} ${estimator} layer ${layer} step ${step}`;
              assert.equal(s.varianceEstimator, estimator);
              assert.equal(u.x.length, batchSize);
              const ref = refBnUnit(Array.from(u.x), u.gamma, u.beta, e.eps);
              assert.ok(near(u.batchMean, ref.mean, 1e-4), `${label}: μ_B ${u.batchMean} vs ${ref.mean}`);
              assert.ok(near(u.batchVariance, ref.variance), `${label}: σ²_B ${u.batchVariance} vs ${ref.variance}`);
              ref.xhat.forEach((v, i) => assert.ok(near(u.xhat[i], v, 2e-3), `${label}: x̂[${i}] ${u.xhat[i]} vs ${v}`));
              ref.y.forEach((v, i) => assert.ok(near(u.y[i], v, 2e-3), `${label}: y[${i}]`));
              const fed = estimator === 'unbiased' ? (ref.variance * batchSize) / (batchSize - 1) : ref.variance;
              assert.ok(near(u.varianceForRunning, fed), `${label}: fed ${u.varianceForRunning} vs ${fed}`);
              batches.push({ mean: ref.mean, variance: ref.variance, size: batchSize });
              const running = refRunning(batches, momentum, estimator === 'unbiased');
              assert.ok(near(u.runningMean, running.mean, 1e-4), `${label}: running μ ${u.runningMean} vs ${running.mean}`);
              assert.ok(near(u.runningVariance, running.variance), `${label}: running σ² ${u.runningVariance} vs ${running.variance}`);
              refInference(Array.from(u.x), u.runningMean, u.runningVariance, u.gamma, u.beta, e.eps)
                .forEach((v, i) => assert.ok(near(u.yInference[i], v, 2e-3), `${label}: y (running) [${i}]`));
              let gap = 0;
              for (let i = 0; i < batchSize; i++) gap += Math.abs(s.mismatch.probBatchStats[i] - s.mismatch.probRunningStats[i]);
              assert.ok(near(s.mismatch.meanAbsProbabilityGap, gap / batchSize, 1e-3), `${label}: gap`);
              values += 6 + 3 * batchSize;
            }
          }
        } finally {
          e.dispose();
        }
        configs++;
      }
  assert.equal(configs, 40);
  console.log(`batch norm: ${configs} configurations × 2 units × 4 steps, ${values} values compared`);
});

test('at B = 2 the two estimators differ by exactly 2× in what enters the running σ²', () => {
  const fed: Record<string, number> = {};
  for (const estimator of VARIANCE_ESTIMATORS) {
    const e = createBatchNormExperiment(tf, { seed: 9, depth: 2, width: 4, learningRate: 1e-12, momentum: 0, batchSize: 2, runningVariance: estimator, probeSize: 4, trainSize: 32 });
    try {
      e.step(1);
      const u = e.snapshotSync(0, 0).unit;
      fed[estimator] = u.runningVariance; // momentum 0: running = fed
      assert.ok(near(u.runningVariance, u.varianceForRunning));
    } finally {
      e.dispose();
    }
  }
  assert.ok(near(fed.unbiased, 2 * fed.biased), `${fed.unbiased} vs 2 × ${fed.biased}`);
});

test('before the first step the shown mini-batch is a real one: the batch the first step trains on', () => {
  for (const batchSize of [2, 8, 32]) {
    const e = createBatchNormExperiment(tf, { seed: 3, depth: 3, width: 8, learningRate: 1e-12, momentum: 0.5, batchSize, runningVariance: 'biased' });
    try {
      for (const phase of ['new', 'reset', 'batch size'] as const) {
        if (phase === 'reset') { e.step(3); e.reset(); }
        if (phase === 'batch size') { e.step(2); e.setBatchSize(batchSize); }
        const before = e.snapshotSync(0, 0).unit;
        assert.ok(new Set(before.x).size > 1, `B=${batchSize} ${phase}: the shown batch is ${before.x.length} copies of one example`);
        const runningBefore = before.runningMean;
        e.step(1);
        const after = e.snapshotSync(0, 0).unit;
        assert.deepEqual(Array.from(after.x), Array.from(before.x), `B=${batchSize} ${phase}: the first step trained on the shown batch`);
        assert.ok(near(after.runningMean, 0.5 * runningBefore + 0.5 * before.batchMean, 1e-4), `B=${batchSize} ${phase}: running μ from the shown batch`);
      }
    } finally {
      e.dispose();
    }
  }
});
