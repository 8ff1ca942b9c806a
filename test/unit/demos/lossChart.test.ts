/**
 * The training demos' loss chart: every drawn point is a value measured at the step it is drawn
 * at, and the y-axis either fits the data or counts what it clips. Checked against a reference
 * written here with plain arithmetic, over a grid of steps per frame × frames × history sizes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StepHistory, chartLayout, niceCeil } from '../../../src/core/demos/lossChart';

const BOX = { width: 420, height: 170, pad: { l: 38, r: 8, t: 8, b: 20 } };
const PLOT_W = 420 - 38 - 8;
const PLOT_H = 170 - 8 - 20;

/** A made-up loss measured at a step: deterministic, so a point's value identifies its step. */
const lossAt = (step: number, series: number) => 0.2 + series + Math.exp(-step / 300) + 0.001 * Math.sin(step);

test('recorded points sit at real steps with the values measured there, over 5 × 6 × 4 training runs', () => {
  let runs = 0, points = 0;
  for (const perFrame of [1, 2, 5, 13, 40])
    for (const frames of [1, 2, 10, 100, 1000, 3000])
      for (const max of [2, 3, 50, 400]) {
        const history = new StepHistory(2, max);
        let step = 0;
        history.record(0, [lossAt(0, 0), lossAt(0, 1)]);
        for (let f = 0; f < frames; f++) {
          step += perFrame;
          history.record(step, [lossAt(step, 0), lossAt(step, 1)]);
        }
        const label = `${perFrame} steps/frame, ${frames} frames, max ${max}`;
        const { steps, values } = history;
        assert.ok(steps.length <= max, `${label}: ${steps.length} points`);
        assert.equal(steps[0], 0, `${label}: the first point stays`);
        assert.equal(steps[steps.length - 1], step, `${label}: the newest point is the current step`);
        for (let i = 0; i < steps.length; i++) {
          assert.equal(steps[i] % perFrame, 0, `${label}: step ${steps[i]} was never recorded`);
          if (i > 0) assert.ok(steps[i] > steps[i - 1], `${label}: ascending`);
          if (i > 0 && i < steps.length - 1) assert.ok(steps[i] - steps[i - 1] >= Math.min(history.stepsPerPoint / 2, perFrame), `${label}: spacing`);
          assert.equal(values[0][i], lossAt(steps[i], 0), `${label}: value of point ${i}`);
          assert.equal(values[1][i], lossAt(steps[i], 1));
        }
        // Chart x from the recorded steps: the newest point at the right edge when xMax = step.
        const layout = chartLayout(values, steps, Math.max(100, step), BOX);
        const right = Math.max(100, step);
        layout.points.forEach((series) => series.forEach((pt, i) => {
          assert.ok(pt !== null);
          assert.ok(Math.abs(pt.x - (38 + (steps[i] / right) * PLOT_W)) < 1e-9, `${label}: x of point ${i}`);
        }));
        runs++;
        points += steps.length;
      }
  assert.equal(runs, 120);
  console.log(`loss history: ${runs} runs, ${points} points checked`);
});

test('the issue\'s case: 5 steps per frame up to step 1000 ends at the right edge, not at 20 %', () => {
  const history = new StepHistory(1);
  for (let step = 0; step <= 1000; step += 5) history.record(step, [lossAt(step, 0)]);
  const layout = chartLayout(history.values, history.steps, 1000, BOX);
  const last = layout.points[0][layout.points[0].length - 1]!;
  assert.ok(Math.abs(last.x - (38 + PLOT_W)) < 1e-9, `last point at ${last.x}`);
  const half = layout.points[0][history.steps.indexOf(500)]!;
  assert.ok(Math.abs(half.x - (38 + PLOT_W / 2)) < 1e-9);
});

test('y fits the data (the dropout validation loss up to 5.5 is not clamped at 2)', () => {
  const series = [[0.7, 0.5, 0.3], [0.7, 2.4, 5.5]];
  const fit = chartLayout(series, [0, 10, 20], 20, BOX, { yCap: 10 });
  assert.equal(fit.top, 6);
  assert.equal(fit.clipped, 0);
  const p = fit.points[1][2]!;
  assert.ok(Math.abs(p.y - (8 + PLOT_H - (5.5 / 6) * PLOT_H)) < 1e-9);
  // A fixed axis clips, and says how much.
  const fixed = chartLayout(series, [0, 10, 20], 20, BOX, { yMax: 2 });
  assert.equal(fixed.top, 2);
  assert.equal(fixed.clipped, 2);
  assert.equal(fixed.largestClipped, 5.5);
  assert.equal(fixed.points[1][2]!.y, 8);
  assert.equal(fixed.points[1][2]!.clipped, true);
  // A cap below the data clips too.
  const capped = chartLayout([[1, 40]], [0, 1], 1, BOX, { yCap: 10 });
  assert.deepEqual([capped.top, capped.clipped, capped.largestClipped], [10, 1, 40]);
  // Non-finite values break the line instead of being drawn.
  assert.equal(chartLayout([[1, NaN, Infinity]], [0, 1, 2], 2, BOX).points[0][1], null);
  assert.equal(chartLayout([[1, NaN, Infinity]], [0, 1, 2], 2, BOX).points[0][2], null);
});

test('niceCeil is the smallest nice number at or above v', () => {
  const nice = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8];
  for (let e = -3; e <= 3; e++)
    for (let v = 0.11; v < 10; v += 0.37) {
      const x = v * 10 ** e;
      const candidates = [e - 1, e, e + 1].flatMap((d) => nice.map((m) => m * 10 ** d));
      const expected = Math.min(...candidates.filter((c) => c >= x * (1 - 1e-12)));
      assert.ok(Math.abs(niceCeil(x) - expected) <= 1e-12 * expected, `${x}: ${niceCeil(x)} vs ${expected}`);
    }
});

test('history: same step replaces, an earlier step starts over, push keeps the old contract', () => {
  const h = new StepHistory(1);
  h.record(0, [1]);
  h.record(10, [2]);
  h.record(10, [3]);
  assert.deepEqual([h.steps, h.values[0]], [[0, 10], [1, 3]]);
  h.record(4, [5]);
  assert.deepEqual([h.steps, h.values[0]], [[4], [5]]);
  const p = new StepHistory(1);
  p.push([1], 0);
  p.push([2], 7);
  p.push([3], 7);
  assert.deepEqual(p.steps, [0, 7, 14]);
  assert.throws(() => h.record(1, [1, 2]), RangeError);
});
