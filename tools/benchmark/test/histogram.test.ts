import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { latencyHistogramUs, percentileUs, recordUs } from '../src/histogram';
import { latencySummary } from '../src/report';

test('1..1000 µs: percentiles, max and mean are the exact values (below 2048 µs nothing is rounded)', () => {
  const h = latencyHistogramUs();
  for (let us = 1; us <= 1000; us++) recordUs(h, us);
  assert.equal(h.totalCount, 1000);
  assert.equal(percentileUs(h, 50), 500);
  assert.equal(percentileUs(h, 90), 900);
  assert.equal(percentileUs(h, 99), 990);
  assert.equal(percentileUs(h, 99.9), 999);
  assert.equal(percentileUs(h, 100), 1000);
  assert.deepEqual(latencySummary(h), { p50Ms: 0.5, p99Ms: 0.99, p999Ms: 0.999, maxMs: 1, avgMs: 0.501 }); // mean 500.5 µs rounds to 501
});

test('large values: the top of their 0.1 % bucket, the max exact, p100 capped at the max', () => {
  const h = latencyHistogramUs();
  for (const us of [50_000, 50_000, 50_000, 123_456_789]) recordUs(h, us);
  // 50 000 µs lies in [49 984, 50 015] (bucket width 32 µs between 32 768 and 65 536).
  assert.equal(percentileUs(h, 50), 50_015);
  assert.equal(percentileUs(h, 75), 50_015);
  assert.equal(percentileUs(h, 99), 123_456_789, 'the bucket top (123 469 823) is capped at the recorded max');
  assert.equal(h.maxValue, 123_456_789);
  assert.equal(latencySummary(h).maxMs, 123_456.789);
});

test('percentiles of a skewed run are within 0.1 % of the exact values, in fixed memory', () => {
  const h = latencyHistogramUs();
  const values: number[] = [];
  let x = 12345;
  for (let i = 0; i < 100_000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const us = Math.floor((x / 2 ** 31) ** 3 * 5_000_000); // many small, a long tail
    values.push(us);
    recordUs(h, us);
  }
  values.sort((a, b) => a - b);
  for (const p of [50, 90, 99, 99.9]) {
    const exact = values[Math.ceil((p / 100) * values.length) - 1] as number;
    const got = percentileUs(h, p);
    assert.ok(got >= exact && got <= exact * 1.001 + 1, `p${p}: ${got} vs exact ${exact}`);
  }
  assert.equal(percentileUs(h, 100), values[values.length - 1]);
  assert.equal(h.maxValue, values[values.length - 1]);
  assert.equal(h.totalCount, 100_000);
  assert.ok(h.estimatedFootprintInBytes < 200_000, `${h.estimatedFootprintInBytes} bytes`);
});

test('fractions are floored, negatives count as 0, an empty or reset histogram reports zeros', () => {
  const h = latencyHistogramUs();
  assert.deepEqual(latencySummary(h), { p50Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0, avgMs: 0 });
  recordUs(h, 7.9);
  recordUs(h, -3);
  assert.equal(percentileUs(h, 100), 7);
  assert.equal(percentileUs(h, 50), 0);
  h.reset();
  assert.equal(h.totalCount, 0);
  assert.equal(percentileUs(h, 99), 0);
});
