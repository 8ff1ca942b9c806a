/**
 * Property tests of the numbers the dropout demo shows — the scaling table, train/validation
 * losses of both networks in eval mode, the decision-boundary grids, the masks and their keep
 * rate, the expectation check — against the plain-loop reference in reference/dropoutRef.ts,
 * over p × convention × steps; and the training itself (forward with the shown masks, backward,
 * Adam) against a plain-loop trainer that starts from the demo's initial weights and never
 * looks at the demo's later parameters.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfc from '@tensorflow/tfjs-core';
import { DROPOUT_CONVENTIONS, createDropoutExperiment, dropoutScaling } from '../../../src/core/demos/dropout';
import { RefDropoutTrainer, refBce, refGrid, refHidden1, refLogit, refScaling } from './reference/dropoutRef';
import { cpuTf } from './tfjsNode';

let tf: typeof tfc;
before(async () => {
  tf = await cpuTf();
});

const near = (a: number, b: number, tol = 1e-4) => Math.abs(a - b) <= tol * (1 + Math.abs(b));
const P_GRID = [0, 0.1, 0.25, 0.5, 0.75, 0.9];

test('scaling factors equal the definitions for every p on the slider and every convention', () => {
  let cases = 0;
  for (let k = 0; k <= 18; k++) {
    const p = k * 0.05;
    for (const c of DROPOUT_CONVENTIONS) {
      const ours = dropoutScaling(p, c);
      const ref = refScaling(p, c);
      assert.ok(near(ours.train, ref.train, 1e-12) && near(ours.eval, ref.eval, 1e-12), `p=${p} ${c}`);
      cases++;
    }
  }
  assert.equal(cases, 57);
});

test('losses, grids, masks and the expectation check equal the reference over p × convention × steps', () => {
  let snapshots = 0, values = 0;
  const res = 10, hidden = 12;
  for (const p of P_GRID)
    for (const convention of DROPOUT_CONVENTIONS)
      for (const steps of [0, 4]) {
        const e = createDropoutExperiment(tf, { seed: 3, hidden, p, convention, learningRate: 0.01, gridResolution: res, trainSize: 40, valSize: 60, checkMasks: 400, checkPoints: 6 });
        try {
          e.step(steps);
          const s = e.snapshotSync('eval');
          const { baseline, dropout } = e.parameters();
          const label = `p=${p} ${convention} after ${steps} steps`;
          const evalScale = refScaling(p, convention).eval;
          const logits = (params: Float32Array[], x: Float32Array, n: number, scale: number) =>
            Array.from({ length: n }, (_, i) => refLogit(params, x[2 * i], x[2 * i + 1], scale));
          const losses = {
            baseTrain: refBce(logits(baseline, e.train.x, e.train.n, 1), e.train.y),
            baseVal: refBce(logits(baseline, e.val.x, e.val.n, 1), e.val.y),
            dropTrain: refBce(logits(dropout, e.train.x, e.train.n, evalScale), e.train.y),
            dropVal: refBce(logits(dropout, e.val.x, e.val.n, evalScale), e.val.y),
          };
          assert.ok(near(s.baseline.train, losses.baseTrain), `${label}: p=0 train ${s.baseline.train} vs ${losses.baseTrain}`);
          assert.ok(near(s.baseline.val, losses.baseVal), `${label}: p=0 val`);
          assert.ok(near(s.dropout.train, losses.dropTrain), `${label}: dropout train ${s.dropout.train} vs ${losses.dropTrain}`);
          assert.ok(near(s.dropout.val, losses.dropVal), `${label}: dropout val`);
          refGrid(res, e.extent).forEach(([x0, x1], i) => {
            const pb = 1 / (1 + Math.exp(-refLogit(baseline, x0, x1, 1)));
            const pd = 1 / (1 + Math.exp(-refLogit(dropout, x0, x1, evalScale)));
            assert.ok(Math.abs(s.baselineGrid[i] - pb) < 1e-4, `${label}: grid p=0 at ${i}`);
            assert.ok(Math.abs(s.dropoutGrid[i] - pd) < 1e-4, `${label}: grid dropout at ${i}`);
          });
          // Masks: 0/1, all ones at p = 0, none before the first step; keep rate near 1 − p.
          for (const m of s.masks) {
            assert.equal(m.length, 40 * hidden);
            const kept = m.reduce((a, v) => a + v, 0);
            if (steps === 0) assert.equal(kept, 0, `${label}: no mask before a step`);
            else if (p === 0) assert.equal(kept, m.length);
            else assert.ok(Math.abs(kept / m.length - (1 - p)) < 4 * Math.sqrt((p * (1 - p)) / m.length) + 1e-9, `${label}: keep rate ${kept / m.length}`);
          }
          // Expectation check: test-time value from the reference, the mask average within 5 σ of it.
          const train = refScaling(p, convention).train;
          const hs = Array.from({ length: 6 }, (_, i) => refHidden1(dropout, e.val.x[2 * i], e.val.x[2 * i + 1]));
          for (let j = 0; j < hidden; j++) {
            const meanH = hs.reduce((a, h) => a + h[j], 0) / hs.length;
            assert.ok(near(s.check.evalValue[j], meanH * evalScale, 1e-4), `${label}: eval value of unit ${j}`);
            const expected = meanH * (1 - p) * train;
            const sd = Math.sqrt(hs.reduce((a, h) => a + (h[j] * train) ** 2, 0) / hs.length * p * (1 - p) / 400);
            assert.ok(Math.abs(s.check.trainMean[j] - expected) <= 5 * sd + 1e-5, `${label}: mask average of unit ${j}: ${s.check.trainMean[j]} vs ${expected} ± ${sd}`);
          }
          snapshots++;
          values += 4 + 2 * res * res + 2 * hidden;
        } finally {
          e.dispose();
        }
      }
  assert.equal(snapshots, P_GRID.length * 3 * 2);
  console.log(`dropout: ${snapshots} snapshots, ${values} values compared`);
});

test('training steps (masked forward, backward, Adam) follow the plain-loop trainer over p × convention × 6 steps', () => {
  let runs = 0, compared = 0, worstParam = 0, worstLoss = 0;
  const hidden = 8, trainSize = 24, lr = 0.01;
  for (const p of [0, 0.25, 0.5, 0.9])
    for (const convention of DROPOUT_CONVENTIONS) {
      const e = createDropoutExperiment(tf, { seed: 13, hidden, p, convention, learningRate: lr, gridResolution: 4, trainSize, valSize: 30, checkMasks: 1, checkPoints: 1 });
      try {
        const start = e.parameters();
        const refBase = new RefDropoutTrainer(start.baseline, e.train.x, e.train.y, lr);
        const refDrop = new RefDropoutTrainer(start.dropout, e.train.x, e.train.y, lr);
        const { train: trainScale, eval: evalScale } = refScaling(p, convention);
        for (let step = 1; step <= 6; step++) {
          e.step(1);
          const s = e.snapshotSync('eval');
          refBase.step(null, 1);
          refDrop.step(s.masks, trainScale); // the masks the demo shows are the ones this step used
          const now = e.parameters();
          const label = `p=${p} ${convention} step ${step}`;
          for (const [ours, ref, net] of [[now.baseline, refBase, 'p=0'], [now.dropout, refDrop, 'dropout']] as const) {
            ours.forEach((values, a) => values.forEach((v, q) => {
              const d = Math.abs(v - ref.params[a][q]);
              worstParam = Math.max(worstParam, d);
              assert.ok(d < 2e-5, `${label}: ${net} parameter ${a}[${q}] ${v} vs reference ${ref.params[a][q]}`);
              compared++;
            }));
          }
          // The losses the demo shows, recomputed from the reference's own parameters.
          const loss = (params: Float64Array[], set: typeof e.train, scale: number) => refBce(
            Array.from({ length: set.n }, (_, i) => refLogit(params.map((x) => Float32Array.from(x)), set.x[2 * i], set.x[2 * i + 1], scale)), set.y);
          for (const [shown, expected] of [
            [s.baseline.train, loss(refBase.params, e.train, 1)], [s.baseline.val, loss(refBase.params, e.val, 1)],
            [s.dropout.train, loss(refDrop.params, e.train, evalScale)], [s.dropout.val, loss(refDrop.params, e.val, evalScale)],
          ] as const) {
            worstLoss = Math.max(worstLoss, Math.abs(shown - expected));
            assert.ok(near(shown, expected, 1e-4), `${label}: loss ${shown} vs reference ${expected}`);
            compared++;
          }
        }
        runs++;
      } finally {
        e.dispose();
      }
    }
  assert.equal(runs, 12);
  console.log(`dropout training: ${runs} runs × 6 steps, ${compared} parameters and losses compared; worst |Δθ| ${worstParam.toExponential(1)}, worst |Δloss| ${worstLoss.toExponential(1)}`);
});
