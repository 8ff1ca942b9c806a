import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionPoint } from '../../../src/core/partitionPoint';
import { lastAtOrBefore } from '../../../src/core/lines';
import { mulberry32 } from '../../../src/core/demos/rng';

test('partitionPoint: the first index where the predicate turns false', () => {
  assert.equal(
    partitionPoint(0, () => true),
    0,
  );
  assert.equal(
    partitionPoint(5, () => true),
    5,
  );
  assert.equal(
    partitionPoint(5, () => false),
    0,
  );
  assert.equal(
    partitionPoint(5, (i) => i < 3),
    3,
  );
});

test('partitionPoint agrees with a linear scan on sorted arrays with duplicates', () => {
  const rng = mulberry32(5);
  for (let round = 0; round < 300; round++) {
    const sorted = Array.from({ length: Math.floor(rng() * 40) }, () => Math.floor(rng() * 20)).sort((a, b) => a - b);
    const value = Math.floor(rng() * 24) - 2;
    const linear = sorted.filter((x) => x <= value).length;
    assert.equal(
      partitionPoint(sorted.length, (i) => sorted[i] <= value),
      linear,
      `${JSON.stringify(sorted)} <= ${value}`,
    );
    if (sorted.length > 0) assert.equal(lastAtOrBefore(sorted, value), Math.max(0, linear - 1));
  }
});

test('partitionPoint asks about at most log2(n)+1 indices, all in range', () => {
  const asked: number[] = [];
  partitionPoint(1000, (i) => {
    asked.push(i);
    return i < 637;
  });
  assert.ok(asked.length <= 11, `${asked.length} probes`);
  assert.ok(asked.every((i) => i >= 0 && i < 1000));
});
