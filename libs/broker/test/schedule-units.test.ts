import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_DELAY_LEVELS, parseDelayLevels } from '../src/schedule/delay-policy';
import { decodeIncoming } from '../src/send/incoming';
import { decodeProperties } from '@orbitmq/protocol';
import { decodeTimerKey, timerKey } from '../src/schedule/timer-index';
import { checkKey, decodeCheckKey, decodeHalfEntry, encodeHalfEntry, parseTransactionId, transactionIdOf } from '../src/transaction/transaction-index';

const LEVELS = parseDelayLevels(DEFAULT_DELAY_LEVELS);
const LIMITS = { maxMessageSize: 1024, maxPropertiesBytes: 1024, delay: { levelsMs: LEVELS, maxDelayMs: 86_400_000 } };
const NOW = 1_800_000_000_000;

function message(over: { userProperties?: Record<string, string>; messageType?: string; deliveryMs?: number }) {
  return {
    topic: { name: 'T' },
    userProperties: over.userProperties ?? {},
    body: Buffer.from('x'),
    systemProperties: {
      keys: [],
      messageId: 'ID',
      messageType: over.messageType ?? 'NORMAL',
      ...(over.deliveryMs !== undefined
        ? { deliveryTimestamp: { seconds: String(Math.floor(over.deliveryMs / 1000)), nanos: (over.deliveryMs % 1000) * 1e6 } }
        : {}),
    },
  } as never;
}

test("messageDelayLevel parses RocketMQ's default 18 levels and refuses bad specs", () => {
  assert.equal(LEVELS.length, 18);
  assert.equal(LEVELS[0], 1_000);
  assert.equal(LEVELS[3], 30_000);
  assert.equal(LEVELS[4], 60_000);
  assert.equal(LEVELS[17], 7_200_000);
  assert.deepEqual(parseDelayLevels(' 500s  1d '), [500_000, 86_400_000]);
  for (const bad of ['', '1x', '0s', '5', 's', '1s,2s']) assert.throws(() => parseDelayLevels(bad), Error, bad);
});

test('delivery time: DELAY timestamp in ms, classic levels (clamped), timer properties, and past times', () => {
  const d = decodeIncoming(message({ messageType: 'DELAY', deliveryMs: NOW + 1_234 }), LIMITS, NOW);
  assert.equal(d.type, 'DELAY');
  assert.equal(d.deliveryTimestampMs, NOW + 1_234);
  assert.equal(decodeProperties(d.append.properties as Buffer).system.deliveryTimestampMs, String(NOW + 1_234));

  const level3 = decodeIncoming(message({ userProperties: { DELAY: '3', keep: 'me' } }), LIMITS, NOW);
  assert.equal(level3.type, 'DELAY');
  assert.equal(level3.declaredType, 'NORMAL');
  assert.equal(level3.deliveryTimestampMs, NOW + 10_000);
  assert.deepEqual(decodeProperties(level3.append.properties as Buffer).user, { keep: 'me' }, 'the level is not a user property');

  assert.equal(decodeIncoming(message({ userProperties: { DELAY: '99' } }), LIMITS, NOW).deliveryTimestampMs, NOW + 7_200_000, 'levels above 18 clamp to 2h');
  assert.equal(decodeIncoming(message({ userProperties: { DELAY: '0' } }), LIMITS, NOW).type, 'NORMAL');
  assert.equal(decodeIncoming(message({ userProperties: { TIMER_DELAY_SEC: '7' } }), LIMITS, NOW).deliveryTimestampMs, NOW + 7_000);
  assert.equal(decodeIncoming(message({ userProperties: { TIMER_DELAY_MS: '70' } }), LIMITS, NOW).deliveryTimestampMs, NOW + 70);
  assert.equal(decodeIncoming(message({ userProperties: { TIMER_DELIVER_MS: String(NOW + 5) } }), LIMITS, NOW).deliveryTimestampMs, NOW + 5);
  assert.equal(
    decodeIncoming(message({ messageType: 'DELAY', deliveryMs: NOW - 60_000 }), LIMITS, NOW).deliveryTimestampMs,
    NOW - 60_000,
    'a past time is accepted (delivered at once)',
  );
  assert.equal(decodeIncoming(message({ messageType: 'DELAY', deliveryMs: NOW + 86_400_000 }), LIMITS, NOW).type, 'DELAY', 'exactly the maximum is fine');
});

test('timer and check keys sort by due time, then log offset', () => {
  const keys = [timerKey(2_000, 5), timerKey(1_000, 9), timerKey(1_000, 2 ** 40), timerKey(2 ** 45, 0)];
  const sorted = [...keys].sort(Buffer.compare).map(decodeTimerKey);
  assert.deepEqual(sorted, [
    { dueMs: 1_000, logOffset: 9 },
    { dueMs: 1_000, logOffset: 2 ** 40 },
    { dueMs: 2_000, logOffset: 5 },
    { dueMs: 2 ** 45, logOffset: 0 },
  ]);
  assert.deepEqual(decodeCheckKey(checkKey(NOW, 77)), { dueMs: NOW, halfLogOffset: 77 });
});

test('half entries and transaction ids round-trip; foreign ids are refused', () => {
  const e = { size: 321, storeTimestampMs: NOW, topic: 'Orders', messageId: '01ABC', producerClientId: 'host@123@0@x' };
  assert.deepEqual(decodeHalfEntry(encodeHalfEntry(e)), e);
  assert.equal(transactionIdOf(2 ** 40 + 10), '000001000000000A');
  assert.equal(parseTransactionId(transactionIdOf(2 ** 40 + 10)), 2 ** 40 + 10);
  for (const bad of ['', 'xyz', '000001000000000a', '0'.repeat(17)]) assert.equal(parseTransactionId(bad), undefined, bad);
});
