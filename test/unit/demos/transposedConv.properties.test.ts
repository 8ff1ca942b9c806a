/**
 * Property tests of every number the transposed-convolution demo shows, against the plain-loop
 * reference in reference/transposedConvRef.ts: output size, the three views (conv2dTranspose,
 * zero-stretched input, direct convolution), overlap counts, the checkerboard flag and its
 * sentence, FCN's bilinear kernel, resize-conv and stacked sizes.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import {
  TRANSPOSED_CONV_LIMITS,
  makeInput,
  makeKernel,
  overlapCounts1d,
  overlapSentence,
  resizeConv,
  stackedOutputSizes,
  summarizeOverlap,
  transposedConvOutputSize,
  transposedConvStep,
  validateTransposedConvParams,
  type TransposedConvParams,
} from '../../../src/core/demos/transposedConv';
import { refDirect, refOverlap, refOverlapSummary, refResizeConv, refStretched, refTransposedConv, refUpsampleFilt, type Grid } from './reference/transposedConvRef';
import { cpuTf } from './tfjsNode';

before(async () => {
  await cpuTf();
});

function* grid(is: readonly number[], kMax: number, sMax: number): Generator<TransposedConvParams> {
  for (const i of is)
    for (let k = 1; k <= kMax; k++)
      for (let s = 1; s <= sMax; s++)
        for (let p = 0; p < k; p++)
          for (let a = 0; a < s; a++) {
            const params = { i, k, s, p, a };
            if (validateTransposedConvParams(params) === undefined) yield params;
          }
}

function maxDiff(actual: ArrayLike<number>, expected: Grid): number {
  const flat = expected.flat();
  assert.equal(actual.length, flat.length, 'length');
  let worst = 0;
  for (let j = 0; j < flat.length; j++) worst = Math.max(worst, Math.abs(actual[j] - flat[j]));
  return worst;
}

test('flag, sentence and interior counts agree with the brute-force counts on every control setting with i ≤ 8', () => {
  let cases = 0, noInterior = 0, flagged = 0, shortInterior = 0;
  for (const params of grid([1, 2, 3, 4, 5, 6, 7, 8], TRANSPOSED_CONV_LIMITS.k[1], TRANSPOSED_CONV_LIMITS.s[1])) {
    const count = refOverlap(params);
    const ref = refOverlapSummary(params, count);
    const ours = summarizeOverlap(params);
    const label = JSON.stringify(params);
    assert.equal(ours.hasInterior, ref.hasInterior, `interior ${label}`);
    assert.equal(ref.hasInterior, params.k - 1 <= params.s * (params.i - 1), `interior exists iff k − 1 ≤ s(i − 1): ${label}`);
    assert.deepEqual(ours.interiorValues, ref.values, `values ${label}`);
    assert.equal(ours.interiorMin, ref.values[0], label);
    assert.equal(ours.interiorMax, ref.values[ref.values.length - 1], label);
    assert.equal(ours.checkerboard, ref.checkerboard, `flag ${label}`);
    const sentence = overlapSentence(params, ours);
    if (ref.checkerboard) assert.match(sentence, /— a checkerboard\.$/, label);
    else assert.match(sentence, /no checkerboard|not a checkerboard|too narrow/, label);
    // "k is a multiple of s" / "k is not a multiple of s" only where true.
    if (/ is a multiple of s/.test(sentence)) assert.equal(params.k % params.s, 0, `${label}: ${sentence}`);
    if (/not a multiple of s/.test(sentence)) assert.notEqual(params.k % params.s, 0, `${label}: ${sentence}`);
    for (const v of ref.values) assert.ok(sentence.includes(String(v)) || !ref.hasInterior, `${label}: ${sentence} misses ${v}`);
    // The 1-D counts the summary is built from are the brute-force ones.
    const c1 = overlapCounts1d(params);
    assert.deepEqual(count.map((row, y) => row.map((_, x) => c1[y] * c1[x])), count, label);
    cases++;
    if (!ref.hasInterior) noInterior++;
    if (ref.checkerboard) flagged++;
    if (ref.hasInterior && !ref.checkerboard && params.k % params.s !== 0) shortInterior++;
  }
  assert.ok(cases > 25000, `${cases} cases`);
  console.log(`transposed conv summary grid: ${cases} cases, ${noInterior} without interior, ${flagged} checkerboards, ${shortInterior} short interiors`);
  assert.ok(noInterior > 1000 && flagged > 1000 && shortInterior > 10, `${noInterior} without interior, ${flagged} flagged, ${shortInterior} short`);
});

test('the issue\'s example i=8, k=16, s=2, p=4 has no interior and is not called a checkerboard', () => {
  const params = { i: 8, k: 16, s: 2, p: 4, a: 0 };
  const summary = summarizeOverlap(params);
  assert.equal(summary.hasInterior, false);
  assert.equal(summary.checkerboard, false);
  const sentence = overlapSentence(params);
  assert.doesNotMatch(sentence, /not a multiple/);
  assert.match(sentence, /k − 1 = 15 > s\(i − 1\) = 14/);
  assert.match(overlapSentence({ i: 8, k: 3, s: 2, p: 1, a: 1 }), /k = 3 is not a multiple of s = 2: inside, cells receive 1 \/ 2 \/ 4/);
});

test('every view of transposedConvStep equals the reference on a grid of (i, k, s, p, a)', async () => {
  let cases = 0, worst = 0, seed = 1;
  for (const params of grid([1, 2, 3, 6], 8, 4)) {
    const label = JSON.stringify(params);
    const input = makeInput('random', params.i, seed);
    const kernel = makeKernel('random', params.k, params.s, seed++);
    const r = await transposedConvStep(tf, input, kernel, params);
    const expected = refTransposedConv(input, kernel, params);
    assert.equal(r.o, expected.length, `size ${label}`);
    assert.equal(r.o, transposedConvOutputSize(params));
    worst = Math.max(worst, maxDiff(r.output, expected), maxDiff(r.direct, refDirect(input, kernel, params)));
    assert.equal(maxDiff(r.stretched, refStretched(input, params)), 0, `stretched ${label}`);
    assert.equal(r.stretchedSize, refStretched(input, params).length);
    assert.equal(maxDiff(r.overlap, refOverlap(params)), 0, `overlap ${label}`);
    assert.ok(r.maxViewDifference < 1e-4, label);
    cases++;
  }
  assert.ok(worst < 1e-4, `worst difference ${worst}`);
  assert.ok(cases > 1200, `${cases} cases`);
});

test('"bilinear (FCN init)" equals FCN\'s upsample_filt(k) for every k and s', () => {
  for (let k = 1; k <= TRANSPOSED_CONV_LIMITS.k[1]; k++) {
    const expected = refUpsampleFilt(k);
    for (let s = 1; s <= TRANSPOSED_CONV_LIMITS.s[1]; s++) {
      const ours = makeKernel('bilinear', k, s);
      expected.forEach((v, j) => assert.ok(Math.abs(ours[j] - v) < 1e-6, `k=${k} s=${s} at ${j}: ${ours[j]} vs ${v}`));
    }
  }
  // The case: k=3 is the tent [0.5, 1, 0.5] in each direction, not a lone 1 in the corner.
  assert.deepEqual(Array.from(makeKernel('bilinear', 3, 1)), [0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25]);
});

test('resize-conv and stacked sizes equal the reference', () => {
  let cases = 0;
  for (let i = 1; i <= 6; i++)
    for (let k = 1; k <= 6; k++)
      for (let s = 1; s <= 4; s++) {
        const input = makeInput('random', i, i * 31 + k);
        const kernel = makeKernel('random', k, s, k * 7 + s);
        const y = tf.tidy(() => resizeConv(tf, tf.tensor2d(input, [i, i]), tf.tensor2d(kernel, [k, k]), { i, k, s }));
        assert.ok(maxDiff(y.dataSync(), refResizeConv(input, kernel, i, k, s)) < 1e-4, `resize-conv i=${i} k=${k} s=${s}`);
        y.dispose();
        const params = { i, k, s, p: Math.min(k - 1, 1), a: 0 };
        let size = i;
        const expected: number[] = [];
        for (let l = 0; l < 3 && size > 0; l++) expected.push((size = refTransposedConv(new Float32Array(size * size), new Float32Array(k * k), { ...params, i: size }).length));
        assert.deepEqual(stackedOutputSizes(params, 3).slice(0, expected.length), expected);
        cases++;
      }
  assert.equal(cases, 144);
});
