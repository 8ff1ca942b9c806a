/**
 * Property tests of the numbers the batch-norm demo shows for the selected unit — μ_B, σ²_B, x̂, y,
 * the σ² fed to the running average, running μ and σ² under both variance estimators, y with
 * running statistics, the train/inference gap — against reference/batchnormRef.ts, over a grid of
 * batch sizes × momenta × estimators × steps; and the shown mini-batch before the first step.
 * Then everything else the demo shows — whole-set loss and accuracy of both networks, the
 * mini-batch through the BN net with batch and with running statistics, every input to every
 * nonlinearity on the probe examples, their histograms (edges, counts, clipped counts) as recorded
 * over training, and the dead-ReLU counts — recomputed by plain loops from the parameters.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfc from '@tensorflow/tfjs-core';
import {
  HistogramHistory,
  VARIANCE_ESTIMATORS,
  createBatchNormExperiment,
  deadReluUnits,
  histogram,
  histogramEdges,
  histogramColumnSpans,
} from '../../../src/core/demos/batchnorm';
import {
  RefBnTrainer,
  refAccuracy,
  refBnForward,
  refBnUnit,
  refDeadUnits,
  refHistogram,
  refInference,
  refLoss,
  refPlainForward,
  refRows,
  refRunning,
  type RefNets,
} from './reference/batchnormRef';
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

/** Equal within a relative tolerance; NaN equals NaN and infinities equal themselves. */
const same = (a: number, b: number, tol: number) => (Number.isNaN(a) && Number.isNaN(b)) || a === b || near(a, b, tol);

test('whole-set loss and accuracy, the mini-batch both ways, every pre-activation, histograms and dead units equal the reference', () => {
  const BINS = 36, RANGE = 4;
  let snapshots = 0, values = 0, histograms = 0;
  for (const activation of ['relu', 'tanh'] as const)
    for (const learningRate of [0.1, 1])
      for (const batchSize of [2, 8, 32])
        for (const estimator of VARIANCE_ESTIMATORS) {
          const trainSize = 64, depth = 4, width = 6, probeSize = 16;
          const e = createBatchNormExperiment(tf, { seed: 21, depth, width, activation, learningRate, batchSize, momentum: 0.8, runningVariance: estimator, trainSize, probeSize });
          const hist = new HistogramHistory(BINS, RANGE);
          try {
            for (const steps of [0, 3, 12]) {
              e.step(steps - e.stepCount);
              const [layer, unit] = [1, (steps + batchSize) % width];
              const s = e.snapshotSync(layer, unit);
              const params = e.parameters();
              const nets: RefNets = { activation, eps: e.eps, plain: params.plain, bn: params.bn };
              const label = `${activation} lr=${learningRate} B=${batchSize} ${estimator} step ${steps}`;
              const all = Array.from({ length: trainSize }, (_, i) => i);
              const labels = Array.from(e.train.y);
              // Whole training set: plain net, BN net in inference mode (running statistics).
              const plainAll = refPlainForward(nets, refRows(e.train.x, all));
              const bnAll = refBnForward(nets, refRows(e.train.x, all), 'running');
              const ambiguous = (logits: number[]) => logits.filter((z) => Math.abs(z) < 1e-4).length / trainSize;
              assert.ok(same(s.plain.loss, refLoss(plainAll.logits, labels), 1e-3), `${label}: loss without BN ${s.plain.loss} vs ${refLoss(plainAll.logits, labels)}`);
              assert.ok(same(s.bn.loss, refLoss(bnAll.logits, labels), 1e-3), `${label}: loss with BN ${s.bn.loss} vs ${refLoss(bnAll.logits, labels)}`);
              assert.ok(Math.abs(s.plain.accuracy - refAccuracy(plainAll.logits, labels)) <= ambiguous(plainAll.logits) + 1e-6, `${label}: accuracy without BN`);
              assert.ok(Math.abs(s.bn.accuracy - refAccuracy(bnAll.logits, labels)) <= ambiguous(bnAll.logits) + 1e-6, `${label}: accuracy with BN`);
              // The shown mini-batch through the BN net with its own statistics and with the running ones.
              const batch = Array.from(params.batch);
              assert.equal(batch.length, batchSize);
              const batchLabels = batch.map((i) => labels[i]);
              const withBatch = refBnForward(nets, refRows(e.train.x, batch), 'batch');
              const withRunning = refBnForward(nets, refRows(e.train.x, batch), 'running');
              assert.ok(same(s.mismatch.lossBatchStats, refLoss(withBatch.logits, batchLabels), 1e-3), `${label}: loss with batch statistics`);
              assert.ok(same(s.mismatch.lossRunningStats, refLoss(withRunning.logits, batchLabels), 1e-3), `${label}: loss with running statistics`);
              const sig = (z: number) => 1 / (1 + Math.exp(-z));
              let gap = 0;
              batch.forEach((_, i) => {
                assert.ok(same(s.mismatch.probBatchStats[i], sig(withBatch.logits[i]), 1e-3), `${label}: P (batch stats) [${i}]`);
                assert.ok(same(s.mismatch.probRunningStats[i], sig(withRunning.logits[i]), 1e-3), `${label}: P (running) [${i}]`);
                gap += Math.abs(sig(withBatch.logits[i]) - sig(withRunning.logits[i]));
              });
              assert.ok(same(s.mismatch.meanAbsProbabilityGap, gap / batchSize, 1e-3), `${label}: mean |ΔP|`);
              // The unit's input on the mini-batch, and its statistics, from the reference's own forward pass.
              const column = withBatch.z[layer].map((row) => row[unit]);
              column.forEach((v, i) => assert.ok(same(s.unit.x[i], v, 1e-3), `${label}: x[${i}] ${s.unit.x[i]} vs ${v}`));
              const ref = refBnUnit(column, params.bn.gammas[layer][unit], params.bn.betas[layer][unit], e.eps);
              assert.ok(same(s.unit.batchMean, ref.mean, 1e-3) && same(s.unit.batchVariance, ref.variance, 1e-3), `${label}: μ_B, σ²_B`);
              assert.ok(s.unit.runningMean === params.bn.runningMeans[layer][unit] && s.unit.runningVariance === params.bn.runningVariances[layer][unit], `${label}: running statistics shown`);
              values += 7 + 3 * batchSize + 3;
              // Every input to every nonlinearity on the probe examples, their histograms and dead units.
              const probe = Array.from({ length: params.probeSize }, (_, i) => i);
              const plainProbe = refPlainForward(nets, refRows(e.train.x, probe));
              const bnProbe = refBnForward(nets, refRows(e.train.x, probe), 'running');
              for (const [which, refPre] of [['plain', plainProbe.pre], ['bn', bnProbe.pre]] as const) {
                s.preActivations[which].forEach((shown, l) => {
                  assert.equal(shown.length, probeSize * width);
                  refPre[l].flat().forEach((v, i) => assert.ok(same(shown[i], v, 1e-3), `${label}: ${which} layer ${l} pre-activation ${i}: ${shown[i]} vs ${v}`));
                  values += shown.length;
                  const ours = histogram(shown, BINS, RANGE);
                  const theirs = refHistogram(shown, BINS, RANGE);
                  assert.deepEqual(Array.from(ours.counts), theirs.counts, `${label}: ${which} layer ${l} histogram`);
                  assert.deepEqual([ours.below, ours.above, ours.nonFinite], [theirs.below, theirs.above, theirs.nonFinite], `${label}: ${which} layer ${l} clipped`);
                  if (activation === 'relu') assert.equal(deadReluUnits(shown, width), refDeadUnits(shown, width), `${label}: ${which} layer ${l} dead units`);
                  histograms++;
                });
              }
              hist.record(s.step, s.preActivations);
              assert.deepEqual(hist.steps.slice(-1), [steps]);
              const newest = hist.columns[hist.columns.length - 1];
              newest.bn.forEach((h, l) => assert.deepEqual(Array.from(h.counts), refHistogram(s.preActivations.bn[l], BINS, RANGE).counts));
              snapshots++;
            }
            assert.deepEqual(hist.steps, [0, 3, 12]);
          } finally {
            e.dispose();
          }
        }
  assert.equal(snapshots, 2 * 2 * 3 * 2 * 3);
  console.log(`batch norm, whole demo: ${snapshots} snapshots, ${values} values and ${histograms} histograms compared`);
});

test('histogram edges and the clipped counts follow the definition, on edges and beyond them', () => {
  let cases = 0;
  for (const bins of [1, 2, 3, 8, 36])
    for (const range of [0.5, 1, 4]) {
      const ref = refHistogram([], bins, range);
      Array.from(histogramEdges(bins, range)).forEach((edge, k) => assert.ok(Math.abs(edge - ref.edges[k]) < 1e-12, `bins ${bins} range ${range}: edge ${k}`));
      // Every edge, points just either side of it, far outside, and non-finite values.
      const probe = [...ref.edges.flatMap((x) => [x, x - 1e-9, x + 1e-9]), -100 * range, 100 * range, Number.NaN, Infinity, -Infinity];
      const ours = histogram(probe, bins, range);
      const theirs = refHistogram(probe, bins, range);
      assert.deepEqual(Array.from(ours.counts), theirs.counts, `bins ${bins} range ${range}`);
      assert.deepEqual([ours.below, ours.above, ours.nonFinite], [theirs.below, theirs.above, theirs.nonFinite]);
      assert.deepEqual([ours.below, ours.above, ours.nonFinite], [2, 2, 3]);
      cases++;
    }
  assert.equal(cases, 15);
});

test('histogram columns sit at their recorded steps: the one-column-per-frame squeeze cannot come back', () => {
  // Frames of 1 … 30 steps (what the training loop adapts to), recorded at the step they reached.
  for (const perFrame of [1, 5, 30]) {
    const h = new HistogramHistory(4, 1, 20);
    const layers = { plain: [new Float32Array([0.1, -0.2])], bn: [new Float32Array([0.3, 2])] };
    let step = 0;
    for (let f = 0; f < 200; f++) {
      h.record(step, layers);
      step += perFrame;
    }
    const last = step - perFrame;
    assert.ok(h.steps.length <= 20 && h.steps.length >= 10, `${perFrame}: ${h.steps.length} columns`);
    assert.equal(h.steps[0], 0);
    assert.equal(h.steps[h.steps.length - 1], last, 'the newest measurement is always shown');
    for (let i = 1; i < h.steps.length; i++) assert.ok(h.steps[i] > h.steps[i - 1]);
    assert.equal(h.columns.length, h.steps.length);
    const W = 200;
    const spans = histogramColumnSpans(h.steps, Math.max(100, last), W);
    spans.forEach((sp, i) => {
      const at = (h.steps[i] / Math.max(100, last)) * W;
      // Each column ends at its own step (or is the 2-px first column at step 0) and begins where
      // the previous one ended, unless that would make it narrower than 2 px.
      if (i === 0) assert.deepEqual(sp, { x0: 0, x1: 2 });
      else {
        assert.ok(Math.abs(sp.x1 - at) < 1e-9, `${perFrame}: column ${i} ends at its step`);
        const previous = (h.steps[i - 1] / Math.max(100, last)) * W;
        assert.ok(Math.abs(sp.x0 - Math.min(previous, at - 2)) < 1e-9, `${perFrame}: column ${i} starts at the previous step`);
      }
      assert.ok(sp.x0 >= 0 && sp.x1 <= W && sp.x1 - sp.x0 >= 2 - 1e-9, `${perFrame}: column ${i} visible`);
    });
    // The newest column ends at the right edge of the axis when the run is longer than 100 steps.
    if (last >= 100) assert.ok(Math.abs(spans[spans.length - 1].x1 - W) < 1e-9);
  }
  // An earlier step (a reset) starts over.
  const h = new HistogramHistory(4, 1);
  h.record(10, { plain: [[1]], bn: [[1]] });
  h.record(0, { plain: [[1]], bn: [[1]] });
  assert.deepEqual(h.steps, [0]);
});

test('training (SGD through BN, the plain net, the running averages) follows the plain-loop trainer over activation × η × B × estimator × 5 steps', () => {
  let runs = 0, compared = 0, worst = 0;
  for (const activation of ['relu', 'tanh'] as const)
    for (const learningRate of [0.1, 1])
      for (const batchSize of [2, 4, 16])
        for (const estimator of VARIANCE_ESTIMATORS) {
          const e = createBatchNormExperiment(tf, { seed: 8, depth: 3, width: 5, activation, learningRate, batchSize, momentum: 0.7, runningVariance: estimator, trainSize: 48, probeSize: 4 });
          try {
            const start = e.parameters();
            const ref = new RefBnTrainer({ activation, eps: e.eps, plain: start.plain, bn: start.bn }, learningRate, 0.7, estimator === 'unbiased');
            for (let step = 1; step <= 5; step++) {
              e.step(1);
              const now = e.parameters();
              const batch = Array.from(now.batch); // the batch this step trained on
              ref.step(refRows(e.train.x, batch), batch.map((i) => e.train.y[i]));
              const label = `${activation} lr=${learningRate} B=${batchSize} ${estimator} step ${step}`;
              const groups: Array<[string, readonly ArrayLike<number>[], readonly ArrayLike<number>[]]> = [
                ['plain W', now.plain.weights, ref.nets.plain.weights], ['plain b', now.plain.biases, ref.nets.plain.biases], ['plain head', now.plain.head, ref.nets.plain.head],
                ['BN W', now.bn.weights, ref.nets.bn.weights], ['γ', now.bn.gammas, ref.nets.bn.gammas], ['β', now.bn.betas, ref.nets.bn.betas],
                ['running μ', now.bn.runningMeans, ref.nets.bn.runningMeans], ['running σ²', now.bn.runningVariances, ref.nets.bn.runningVariances], ['BN head', now.bn.head, ref.nets.bn.head],
              ];
              for (const [name, ours, theirs] of groups) {
                ours.forEach((values, l) => Array.from(values).forEach((v, q) => {
                  const want = theirs[l][q];
                  worst = Math.max(worst, Math.abs(v - want) / (1 + Math.abs(want)));
                  assert.ok(near(v, want, 1e-3), `${label}: ${name}[${l}][${q}] ${v} vs reference ${want}`);
                  compared++;
                }));
              }
            }
            runs++;
          } finally {
            e.dispose();
          }
        }
  assert.equal(runs, 24);
  console.log(`batch norm training: ${runs} runs × 5 steps, ${compared} parameters and running statistics compared; worst relative difference ${worst.toExponential(1)}`);
});
