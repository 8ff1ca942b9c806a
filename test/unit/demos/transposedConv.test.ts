import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import {
  makeInput,
  makeKernel,
  overlapCounts,
  overlapCounts1d,
  resizeConv,
  stackedOutputSizes,
  stackedOverlap,
  summarizeOverlap,
  transposedConv,
  transposedConvAsDirectConv,
  transposedConvOutputSize,
  transposedConvStep,
  upsamplingAnswer,
  validateTransposedConvParams,
  type TransposedConvParams,
} from '../../../src/core/demos/transposedConv';
import { refOverlap, refTransposedConv } from './reference/transposedConvRef';
import { cpuTf } from './tfjsNode';

before(async () => {
  await cpuTf();
});

/** Independent reference: the plain-loop scatter-add in reference/transposedConvRef.ts. */
const scatterAdd = refTransposedConv;

function* paramGrid(): Generator<TransposedConvParams> {
  for (const i of [1, 2, 3, 5])
    for (const k of [1, 2, 3, 4, 5])
      for (const s of [1, 2, 3])
        for (let p = 0; p < k; p++)
          for (let a = 0; a < s; a++) {
            const params = { i, k, s, p, a };
            if (validateTransposedConvParams(params) === undefined) yield params;
          }
}

function assertClose(actual: ArrayLike<number>, expected: number[][], message: string): void {
  const flat = expected.flat();
  assert.equal(actual.length, flat.length, `${message}: length`);
  for (let j = 0; j < flat.length; j++) {
    assert.ok(Math.abs(actual[j] - flat[j]) < 1e-4, `${message}: at ${j} got ${actual[j]}, expected ${flat[j]}`);
  }
}

test('output size formula matches the scatter-add canvas over a grid of (i, k, s, p, a)', () => {
  let checked = 0;
  for (const params of paramGrid()) {
    const ref = scatterAdd(makeInput('ones', params.i), makeKernel('ones', params.k, params.s), params);
    assert.equal(transposedConvOutputSize(params), ref.length, JSON.stringify(params));
    checked++;
  }
  assert.ok(checked > 150, `grid covered ${checked} cases`);
  assert.equal(transposedConvOutputSize({ i: 8, k: 4, s: 2, p: 1, a: 0 }), 16);
  assert.equal(transposedConvOutputSize({ i: 8, k: 16, s: 8, p: 4, a: 0 }), 64);
});

test('conv2dTranspose core equals the scatter-add reference over many (i, k, s, p, a)', () => {
  let seed = 1;
  for (const params of paramGrid()) {
    const input = makeInput('random', params.i, seed);
    const kernel = makeKernel('random', params.k, params.s, seed++);
    const expected = scatterAdd(input, kernel, params);
    const y = tf.tidy(() => transposedConv(tf, tf.tensor2d(input, [params.i, params.i]), tf.tensor2d(kernel, [params.k, params.k]), params));
    assert.deepEqual(y.shape, [expected.length, expected.length]);
    assertClose(y.dataSync(), expected, `conv2dTranspose ${JSON.stringify(params)}`);
    y.dispose();
  }
});

test('the zero-stretched direct convolution gives the same numbers as conv2dTranspose', () => {
  for (const params of paramGrid()) {
    const input = makeInput('random', params.i, 3);
    const kernel = makeKernel('random', params.k, params.s, 5);
    const expected = scatterAdd(input, kernel, params);
    const d = tf.tidy(() => transposedConvAsDirectConv(tf, tf.tensor2d(input, [params.i, params.i]), tf.tensor2d(kernel, [params.k, params.k]), params));
    assertClose(d.dataSync(), expected, `direct ${JSON.stringify(params)}`);
    d.dispose();
  }
});

test('the step function reads back consistent views for a 64×64 input', async () => {
  const params = { i: 64, k: 4, s: 2, p: 1, a: 0 };
  const input = makeInput('random', 64, 9);
  const kernel = makeKernel('bilinear', 4, 2);
  const result = await transposedConvStep(tf, input, kernel, params);
  assert.equal(result.o, 128);
  assert.equal(result.output.length, 128 * 128);
  assert.ok(result.maxViewDifference < 1e-4, `views differ by ${result.maxViewDifference}`);
  assertClose(result.output, scatterAdd(input, kernel, params), 'step output');
  assert.equal(result.stretchedSize, 128 + 3);
});

test('overlap counts: k3/s2 gives 1/2/4 (checkerboard), k4/s2 is flat inside', () => {
  const k3 = summarizeOverlap({ i: 6, k: 3, s: 2, p: 0, a: 0 });
  assert.deepEqual(k3.interiorValues, [1, 2, 4]);
  assert.equal(k3.checkerboard, true);
  const k4 = summarizeOverlap({ i: 6, k: 4, s: 2, p: 1, a: 0 });
  assert.deepEqual(k4.interiorValues, [4]);
  assert.equal(k4.checkerboard, false);
  assert.equal(summarizeOverlap({ i: 8, k: 16, s: 8, p: 4, a: 0 }).checkerboard, false);
  assert.equal(summarizeOverlap({ i: 8, k: 5, s: 3, p: 0, a: 0 }).checkerboard, true);
});

test('overlap heatmap tensor equals a brute-force count and the 1-D outer product', () => {
  for (const params of paramGrid()) {
    const count = refOverlap(params);
    assert.equal(count.length, transposedConvOutputSize(params));
    const heat = overlapCounts(tf, params);
    assertClose(heat.dataSync(), count, `overlap ${JSON.stringify(params)}`);
    heat.dispose();
    const c1 = overlapCounts1d(params);
    assert.deepEqual(count.map((row, y) => row.map((_, x) => c1[y] * c1[x])), count);
  }
});

test('resize-then-convolve has even overlap inside, stacking compounds the checkerboard', () => {
  const ones = tf.tidy(() => resizeConv(tf, tf.ones([6, 6]), tf.ones([3, 3]), { i: 6, k: 3, s: 2 }));
  assert.deepEqual(ones.shape, [12, 12]);
  const values = ones.arraySync();
  const inner = new Set(values.slice(1, -1).flatMap((row) => row.slice(1, -1)));
  assert.deepEqual([...inner], [9]);
  ones.dispose();

  assert.deepEqual(stackedOutputSizes({ i: 4, k: 4, s: 2, p: 1, a: 0 }, 3), [8, 16, 32]);
  const spread = (layers: number): number => {
    const t = stackedOverlap(tf, { i: 4, k: 3, s: 2, p: 0, a: 0 }, layers)!;
    const v = t.dataSync();
    const n = t.shape[0];
    // Compare the central half only, away from the borders.
    const centre: number[] = [];
    for (let y = Math.floor(n / 4); y < Math.ceil((3 * n) / 4); y++) for (let x = Math.floor(n / 4); x < Math.ceil((3 * n) / 4); x++) centre.push(v[y * n + x]);
    t.dispose();
    return Math.max(...centre) / Math.min(...centre);
  };
  assert.ok(spread(2) > spread(1), `two layers ${spread(2)} vs one ${spread(1)}`);
  assert.equal(stackedOverlap(tf, { i: 64, k: 4, s: 2, p: 1, a: 0 }, 4), undefined, 'sizes past the limit are refused');
});

test('invalid parameters are refused with a reason, never computed', () => {
  assert.match(validateTransposedConvParams({ i: 4, k: 3, s: 2, p: 0, a: 2 })!, /output padding/);
  assert.match(validateTransposedConvParams({ i: 4, k: 3, s: 2, p: 3, a: 0 })!, /padding p/);
  assert.match(validateTransposedConvParams({ i: 1.5, k: 3, s: 2, p: 0, a: 0 })!, /integer/);
  assert.match(validateTransposedConvParams({ i: 1, k: 2, s: 1, p: 1, a: 0 })!, /not positive/);
  assert.throws(() => transposedConv(tf, tf.ones([4, 4]), tf.ones([3, 3]), { i: 4, k: 3, s: 2, p: 0, a: 5 }), RangeError);
});

test('the 2x/8x answer is built from computed sizes', () => {
  const answer = upsamplingAnswer(8);
  assert.match(answer, /k=4, s=2, p=1 gives o = 2i \(i=8 → 16\)/);
  assert.match(answer, /k=16, s=8, p=4 gives o = 8i \(i=8 → 64\)/);
  assert.match(upsamplingAnswer(5), /i=5 → 40/);
});

test('no tensor leaks across 1,000 updates of the step function', async () => {
  const params = { i: 8, k: 3, s: 2, p: 1, a: 1 };
  const input = makeInput('gradient', 8);
  const kernel = makeKernel('bilinear', 3, 2);
  await transposedConvStep(tf, input, kernel, params);
  const before = tf.memory().numTensors;
  for (let n = 0; n < 1000; n++) await transposedConvStep(tf, input, kernel, { ...params, p: n % 3 });
  assert.equal(tf.memory().numTensors, before);
});
