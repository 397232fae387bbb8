import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Meter } from '../src/meter';
import { sentMsOf, stampedBody } from '../src/pacer';

test('a stamped body carries its send time; other bodies carry none', () => {
  const body = stampedBody(1024, 1_763_700_000_123.456);
  assert.equal(body.length, 1024);
  assert.equal(sentMsOf(body), 1_763_700_000_123.456);
  assert.equal(body[1023], 0x61, 'the rest is filler');
  assert.equal(sentMsOf(Buffer.alloc(1024, 0x61)), undefined, 'no magic, no stamp');
  assert.equal(sentMsOf(stampedBody(8, 1)), undefined, 'too small to stamp');
  assert.equal(stampedBody(8, 1).length, 8);
});

test('the warm-up ends: histograms start over, counts go on, the measured part is remembered', () => {
  const m = new Meter();
  m.onSent(64, 5_000);
  m.onReceived(10);
  m.onLatency(2_000);
  m.startMeasuring();
  assert.equal(m.sendRtUs.totalCount, 0);
  assert.equal(m.e2eUs.totalCount, 0);
  assert.equal(m.sent, 64);
  assert.equal(m.sentBeforeMeasuring, 64);
  assert.equal(m.receivedBeforeMeasuring, 10);
  m.onSent(32, 1_000);
  m.onLatency(1_000);
  m.onFailure(3);
  assert.equal(m.sent, 96);
  assert.equal(m.sendRtUs.totalCount, 1);
  assert.equal(m.e2eUs.totalCount, 1);
  assert.equal(m.failures, 3);
  assert.match(m.line(), /failures 3 \| e2e p50 1 ms p99 2 ms$/, 'the window saw e2e latencies of 2 ms and 1 ms');
  assert.match(m.line(), /failures 0/, 'the per-second window starts over after each line');
});
