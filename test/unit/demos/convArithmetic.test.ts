import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfc from '@tensorflow/tfjs-core';
import {
  CONV_PRESETS,
  convOutputSize,
  droppedByStride,
  layerSizes,
  receptiveFields,
  receptiveInterval,
  runConvStack,
  samePadding,
  validateStack,
  type ConvLayer,
} from '../../../src/core/demos/convArithmetic';
import { createRng } from '../../../src/core/demos/rng';
import { cpuTf } from './tfjsNode';

let tf: typeof tfc;
before(async () => {
  tf = await cpuTf();
});

/**
 * Independent reference, plain loops: slide the (dilated) window over the zero-padded input with
 * stride s while it fits; each position is one output. No formula for the size: it is counted.
 */
function refLayer(x: number[][], layer: ConvLayer, kernel: Float32Array | undefined): number[][] {
  const n = x.length;
  const at = (r: number, c: number): number | undefined => {
    const rr = r - layer.p, cc = c - layer.p;
    return rr >= 0 && cc >= 0 && rr < n && cc < n ? x[rr][cc] : layer.kind === 'conv' ? 0 : undefined;
  };
  const padded = n + 2 * layer.p;
  const out: number[][] = [];
  for (let top = 0; top + layer.d * (layer.k - 1) < padded; top += layer.s) {
    const row: number[] = [];
    for (let left = 0; left + layer.d * (layer.k - 1) < padded; left += layer.s) {
      let acc = layer.kind === 'max' ? -Infinity : 0;
      for (let u = 0; u < layer.k; u++) {
        for (let v = 0; v < layer.k; v++) {
          const value = at(top + u * layer.d, left + v * layer.d) ?? 0;
          if (layer.kind === 'conv') acc += value * kernel![u * layer.k + v];
          else if (layer.kind === 'max') acc = Math.max(acc, value);
          else acc += value / (layer.k * layer.k);
        }
      }
      row.push(acc);
    }
    out.push(row);
  }
  return out;
}

/** Reference receptive field: which input pixels change the chosen output when perturbed alone. */
function refField(i: number, layers: readonly ConvLayer[], target: { row: number; col: number }): boolean[][] {
  const ones = (k: number) => new Float32Array(k * k).fill(1);
  const linear = layers.map((l): ConvLayer => (l.kind === 'conv' ? l : { ...l, kind: 'avg' }));
  const field: boolean[][] = [];
  for (let r = 0; r < i; r++) {
    field.push([]);
    for (let c = 0; c < i; c++) {
      let x: number[][] = Array.from({ length: i }, (_, rr) => Array.from({ length: i }, (_, cc) => (rr === r && cc === c ? 1 : 0)));
      for (const layer of linear) x = refLayer(x, layer, ones(layer.k));
      field[r].push(x[target.row][target.col] > 0);
    }
  }
  return field;
}

function* grid(): Generator<{ i: number; layer: ConvLayer }> {
  for (const kind of ['conv', 'max', 'avg'] as const)
    for (const i of [1, 2, 5, 8, 11])
      for (const k of [1, 2, 3, 4, 5])
        for (const s of [1, 2, 3])
          for (const p of kind === 'conv' ? [0, 1, 2] : [0])
            for (const d of kind === 'conv' ? [1, 2, 3] : [1]) {
              const layer = { kind, k, s, p, d };
              if (validateStack(i, [layer]) === undefined) yield { i, layer };
            }
}

test('o = ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1 counts the window positions, and tf.conv2d/maxPool/avgPool agree with plain loops', async () => {
  const rng = createRng(3);
  let cases = 0;
  const kinds = new Set<string>();
  for (const { i, layer } of grid()) {
    const input = Float32Array.from({ length: i * i }, () => Math.round(rng() * 90) / 10);
    const kernel = Float32Array.from({ length: layer.k * layer.k }, () => Math.round((rng() * 2 - 1) * 100) / 100);
    const x = Array.from({ length: i }, (_, r) => Array.from(input.slice(r * i, r * i + i)));
    const expected = refLayer(x, layer, kernel);
    const o = convOutputSize(i, layer);
    assert.equal(o, expected.length, `size ${JSON.stringify({ i, ...layer })}`);
    const result = await runConvStack(tf, input, i, [layer], [layer.kind === 'conv' ? kernel : undefined], { row: 0, col: 0 });
    assert.deepEqual(result.tfSizes, [i, o], `tf size ${JSON.stringify({ i, ...layer })}`);
    const flat = expected.flat();
    for (let j = 0; j < flat.length; j++) assert.ok(Math.abs(result.outputs[0][j] - flat[j]) < 1e-4, `${JSON.stringify({ i, ...layer })} at ${j}: ${result.outputs[0][j]} vs ${flat[j]}`);
    cases++;
    kinds.add(`${layer.kind}:${layer.s > 1 && layer.d > 1 ? 'strided-dilated' : 'plain'}`);
  }
  assert.ok(cases > 400, `${cases} configurations`);
  assert.deepEqual([...kinds].sort(), ['avg:plain', 'conv:plain', 'conv:strided-dilated', 'max:plain']);
});

test('the receptive field of every output pixel of two- and three-layer stacks equals the perturbation reference', async () => {
  const stacks: Array<{ i: number; layers: ConvLayer[] }> = [
    { i: 9, layers: [{ kind: 'conv', k: 3, s: 1, p: 0, d: 1 }, { kind: 'conv', k: 3, s: 1, p: 0, d: 1 }] },
    { i: 10, layers: [{ kind: 'conv', k: 3, s: 2, p: 1, d: 1 }, { kind: 'max', k: 2, s: 2, p: 0, d: 1 }] },
    { i: 15, layers: [{ kind: 'conv', k: 3, s: 1, p: 0, d: 1 }, { kind: 'conv', k: 3, s: 1, p: 0, d: 2 }, { kind: 'conv', k: 3, s: 1, p: 0, d: 4 }] },
    { i: 12, layers: [{ kind: 'conv', k: 2, s: 2, p: 0, d: 2 }, { kind: 'avg', k: 2, s: 1, p: 0, d: 1 }] },
    { i: 11, layers: [{ kind: 'conv', k: 4, s: 3, p: 2, d: 1 }, { kind: 'conv', k: 2, s: 1, p: 1, d: 2 }] },
  ];
  let pixels = 0;
  for (const { i, layers } of stacks) {
    const sizes = layerSizes(i, layers);
    const o = sizes[sizes.length - 1];
    const input = new Float32Array(i * i).fill(1);
    const kernels = layers.map((l) => (l.kind === 'conv' ? new Float32Array(l.k * l.k).fill(1) : undefined));
    for (let row = 0; row < o; row++) {
      for (let col = 0; col < o; col++) {
        const result = await runConvStack(tf, input, i, layers, kernels, { row, col });
        const ref = refField(i, layers, { row, col });
        let count = 0;
        for (let r = 0; r < i; r++) for (let c = 0; c < i; c++) {
          assert.equal(result.paths[r * i + c] > 0, ref[r][c], `${JSON.stringify(layers)} out (${row},${col}) in (${r},${c})`);
          if (ref[r][c]) count++;
        }
        assert.equal(result.fieldPixels, count);
        // The interval formula bounds the field (clipped to the image).
        const [lo, hi] = receptiveInterval(layers, row);
        for (let r = 0; r < i; r++) if (ref[r].some(Boolean)) assert.ok(r >= lo && r <= hi, `row ${r} outside [${lo}, ${hi}]`);
        pixels++;
      }
    }
  }
  assert.ok(pixels > 50, `${pixels} output pixels checked`);
});

test("the lecture's numbers: 3×3 stacks see 5×5 and 7×7, dilations 1, 2, 4 give 3, 7, 15, LeNet 32 → 28 → 14", () => {
  const c3 = { kind: 'conv', k: 3, s: 1, p: 0, d: 1 } as const;
  assert.deepEqual(receptiveFields([c3, c3, c3]).map((r) => r.size), [3, 5, 7]);
  assert.deepEqual(receptiveFields([c3, { ...c3, d: 2 }, { ...c3, d: 4 }]).map((r) => r.size), [3, 7, 15]);
  assert.deepEqual(receptiveFields([{ ...c3, s: 2 }, c3]).map((r) => [r.size, r.jump]), [[3, 2], [7, 2]]);
  const lenet = CONV_PRESETS.find((p) => p.name.startsWith('LeNet'))!;
  assert.deepEqual(layerSizes(lenet.i, lenet.layers), [32, 28, 14]);
  // Along one axis, the interval length is the receptive field size.
  for (const preset of CONV_PRESETS) {
    const [lo, hi] = receptiveInterval(preset.layers, 0);
    assert.equal(hi - lo + 1, receptiveFields(preset.layers).at(-1)!.size, preset.name);
    assert.equal(validateStack(preset.i, preset.layers), undefined, preset.name);
  }
});

test('same and valid padding, the floor, and invalid configurations flagged with a reason', () => {
  for (const k of [1, 3, 5, 7]) for (const d of [1, 2, 3]) for (const i of [7, 10]) {
    const layer = { kind: 'conv', k, s: 1, p: samePadding({ k, d }), d } as const;
    if (validateStack(i, [layer]) === undefined) assert.equal(convOutputSize(i, layer), i, JSON.stringify({ i, k, d }));
  }
  assert.equal(droppedByStride(8, { kind: 'conv', k: 3, s: 2, p: 0, d: 1 }), 1);
  assert.equal(droppedByStride(9, { kind: 'conv', k: 3, s: 2, p: 0, d: 1 }), 0);
  assert.match(validateStack(4, [{ kind: 'conv', k: 5, s: 1, p: 0, d: 1 }])!.message, /larger than the padded input/);
  assert.match(validateStack(8, [{ kind: 'conv', k: 3, s: 1, p: 0, d: 4 }])!.message, /dilated kernel \(k_eff = d\(k−1\)\+1 = 9\)/);
  assert.match(validateStack(8, [{ kind: 'conv', k: 3, s: 1, p: 3, d: 1 }])!.message, /only zeros/);
  assert.match(validateStack(8, [{ kind: 'max', k: 2, s: 2, p: 1, d: 1 }])!.message, /pooling/);
  assert.equal(validateStack(8, [{ kind: 'conv', k: 3, s: 2, p: 1, d: 1 }, { kind: 'conv', k: 5, s: 1, p: 0, d: 1 }])!.layer, 1, 'the second layer gets a 4×4 input');
  assert.match(validateStack(8, [])!.message, /layers/);
});

test('no tensor leaks across many runs', async () => {
  const layers: ConvLayer[] = [{ kind: 'conv', k: 3, s: 2, p: 1, d: 2 }, { kind: 'max', k: 2, s: 1, p: 0, d: 1 }];
  const input = new Float32Array(100).fill(1);
  const kernels = [new Float32Array(9).fill(0.5), undefined];
  await runConvStack(tf, input, 10, layers, kernels, { row: 0, col: 0 });
  const before = tf.memory().numTensors;
  for (let n = 0; n < 200; n++) await runConvStack(tf, input, 10, layers, kernels, { row: n % 3, col: 0 });
  assert.equal(tf.memory().numTensors, before);
});

/**
 * Reference path counts: the input pixel (r, c) alone set to 1, pushed through the stack with every
 * layer a sum over its window (all-ones kernel, pooling included); the chosen output then counts
 * the paths from (r, c) to it.
 */
function refPaths(i: number, layers: readonly ConvLayer[], target: { row: number; col: number }): number[][] {
  const summing = layers.map((l): ConvLayer => ({ ...l, kind: 'conv' }));
  return Array.from({ length: i }, (_, r) => Array.from({ length: i }, (_, c) => {
    let x: number[][] = Array.from({ length: i }, (_, rr) => Array.from({ length: i }, (_, cc) => (rr === r && cc === c ? 1 : 0)));
    for (const layer of summing) x = refLayer(x, layer, new Float32Array(layer.k * layer.k).fill(1));
    return x[target.row][target.col];
  }));
}

test('path counts, field pixels, receptive field size and jump equal the references on random stacks', async () => {
  const rng = createRng(17);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rng() * a.length)];
  let stacks = 0, pixels = 0, sizesChecked = 0;
  while (stacks < 60) {
    const i = pick([6, 9, 12, 15]);
    const layers: ConvLayer[] = Array.from({ length: pick([1, 2, 3]) }, () => {
      const kind = pick(['conv', 'conv', 'max', 'avg'] as const);
      return kind === 'conv'
        ? { kind, k: pick([1, 2, 3, 4]), s: pick([1, 2]), p: pick([0, 1]), d: pick([1, 2]) }
        : { kind, k: pick([2, 3]), s: pick([1, 2]), p: 0, d: 1 };
    });
    if (validateStack(i, layers) !== undefined) continue;
    stacks++;
    const sizes = layerSizes(i, layers);
    const o = sizes[sizes.length - 1];
    const input = Float32Array.from({ length: i * i }, () => Math.round(rng() * 9));
    const kernels = layers.map((l) => (l.kind === 'conv' ? Float32Array.from({ length: l.k * l.k }, () => rng() - 0.5) : undefined));
    const { size, jump } = receptiveFields(layers)[layers.length - 1];
    const starts: Array<number | undefined> = [];
    for (let row = 0; row < o; row++) {
      const col = Math.floor(rng() * o);
      const result = await runConvStack(tf, input, i, layers, kernels, { row, col });
      const ref = refPaths(i, layers, { row, col });
      let count = 0;
      for (let r = 0; r < i; r++) for (let c = 0; c < i; c++) {
        assert.equal(result.paths[r * i + c], ref[r][c], `${JSON.stringify({ i, layers })} out (${row},${col}) in (${r},${c})`);
        if (ref[r][c] > 0) count++;
      }
      assert.equal(result.fieldPixels, count);
      // Rows of the field: where it is not clipped by the image, it spans exactly r rows, and
      // neighbouring outputs' fields start `jump` rows apart.
      const rows = ref.map((line, r) => (line.some((v) => v > 0) ? r : -1)).filter((r) => r >= 0);
      const [lo, hi] = receptiveInterval(layers, row);
      if (lo >= 0 && hi <= i - 1) {
        assert.equal(hi - lo + 1, size, `${JSON.stringify({ i, layers })}: interval of row ${row}`);
        if (rows.length) {
          assert.equal(rows[rows.length - 1] - rows[0] + 1, size, `${JSON.stringify({ i, layers })}: field of row ${row} spans ${rows[0]}…${rows[rows.length - 1]}, r = ${size}`);
          starts[row] = rows[0];
          sizesChecked++;
        }
      }
      pixels++;
    }
    for (let row = 1; row < o; row++) {
      const [a, b] = [starts[row - 1], starts[row]];
      if (a !== undefined && b !== undefined) assert.equal(b - a, jump, `${JSON.stringify({ i, layers })}: jump between rows ${row - 1} and ${row}`);
    }
  }
  assert.ok(sizesChecked > 30, `${sizesChecked} unclipped fields`);
  console.log(`conv arithmetic: ${stacks} stacks, ${pixels} output pixels' path maps, ${sizesChecked} unclipped receptive fields compared`);
});
