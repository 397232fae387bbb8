import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Histogram } from '../src/histogram';

test('percentiles are within 1 % of the exact values, in fixed memory', () => {
  const h = new Histogram();
  const values: number[] = [];
  let x = 12345;
  for (let i = 0; i < 100_000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const v = Math.floor((x / 2 ** 31) ** 3 * 5_000_000); // skewed: many small, a long tail
    values.push(v);
    h.record(v);
  }
  values.sort((a, b) => a - b);
  for (const p of [50, 90, 99, 99.9]) {
    const exact = values[Math.ceil((p / 100) * values.length) - 1] as number;
    const got = h.percentile(p);
    assert.ok(got >= exact && got <= exact * 1.01 + 1, `p${p}: ${got} vs exact ${exact}`);
  }
  assert.equal(h.percentile(100), values[values.length - 1]);
  assert.equal(h.max, values[values.length - 1]);
  assert.equal(h.count, 100_000);
});

test('small values are exact and an empty histogram reports zeros', () => {
  const h = new Histogram();
  assert.equal(h.percentile(99), 0);
  for (const v of [1, 2, 3, 100, 127]) h.record(v);
  assert.equal(h.percentile(20), 1);
  assert.equal(h.percentile(60), 3);
  assert.equal(h.percentile(100), 127);
  h.reset();
  assert.equal(h.count, 0);
});
