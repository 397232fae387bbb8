import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DRAIN_WINDOW_MS, LagHistory } from '../src';

function history(opts: { keepSamples?: number; maxGroups?: number } = {}) {
  let now = 1_000_000;
  const h = new LagHistory({ sampleIntervalMs: 10_000, keepSamples: opts.keepSamples ?? 100, maxGroups: opts.maxGroups ?? 10, nowMs: () => now });
  const at = (ms: number, lags: Record<string, number>) => {
    now = 1_000_000 + ms;
    h.record(Object.entries(lags).map(([group, totalLag]) => ({ group, totalLag })));
  };
  return { h, at };
}

test('a draining group gets its rate and ETA; a growing one no ETA; a caught-up one 0', () => {
  const { h, at } = history();
  at(0, { drain: 1_000, grow: 10, done: 5 });
  at(10_000, { drain: 900, grow: 60, done: 0 });
  at(20_000, { drain: 800, grow: 110, done: 0 });
  const drain = h.trend('drain');
  assert.deepEqual(drain.lags, [1_000, 900, 800]);
  assert.equal(drain.sinceMs, 1_000_000);
  assert.equal(drain.drainPerSecond, 10);
  assert.equal(drain.etaMs, 80_000, '800 messages at 10/s');
  const grow = h.trend('grow');
  assert.equal(grow.drainPerSecond, -5);
  assert.equal(grow.etaMs, undefined);
  assert.equal(h.trend('done').etaMs, 0);
  assert.deepEqual(h.trend('unknown'), { lags: [], sinceMs: 0 });
});

test('the rate is measured over the last window only; samples closer than half the period are merged', () => {
  const { h, at } = history();
  at(0, { g: 10_000 }); // old: outside the window, ignored by the rate
  at(DRAIN_WINDOW_MS, { g: 1_000 });
  at(DRAIN_WINDOW_MS + 2_000, { g: 990 }); // merged into the previous sample
  at(DRAIN_WINDOW_MS + 100_000, { g: 500 });
  const t = h.trend('g');
  assert.deepEqual(t.lags, [10_000, 990, 500]);
  assert.equal(t.drainPerSecond, 4.9, '(990 - 500) over 100 s');
  assert.equal(t.etaMs, Math.round((500 / 4.9) * 1000));
});

test('bounded: keepSamples per group, maxGroups groups (the least recently sampled forgotten)', () => {
  const { h, at } = history({ keepSamples: 3, maxGroups: 2 });
  for (let i = 0; i < 5; i++) at(i * 10_000, { a: i });
  assert.deepEqual(h.trend('a').lags, [2, 3, 4]);
  at(60_000, { b: 1 });
  at(70_000, { c: 1 });
  assert.equal(h.groupCount, 2);
  assert.deepEqual(h.trend('a').lags, [], 'a was sampled least recently');
  assert.deepEqual(h.trend('c').lags, [1]);
});
