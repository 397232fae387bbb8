/**
 * remoting/: the 4.x message mapping (properties string <-> record fields, classic properties
 * kept for 4.x consumers, compressed bodies) and CONSUMER_SEND_MSG_BACK over the in-memory store.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { createRequest, decodeProperties as decodeClassic, encodeProperties as encodeClassic, hostAddress } from '@orbitmq/remoting';
import { decodeIncoming } from '../src/send';
import { classicPropertiesOf, fromRemotingMessage, toMessageExt } from '../src/remoting';
import { processSendBack } from '../src/remoting/retry-processor';
import { TIMER_TOPIC, decodeProperties } from '../src/message';
import { createHarness } from './broker-harness';

const LIMITS = { maxMessageSize: 1024 * 1024, maxPropertiesBytes: 32 * 1024, delay: { levelsMs: [1000, 5000, 10000], maxDelayMs: 86_400_000 } };

function remote(properties: Record<string, string>, body = Buffer.from('b'), sysFlag = 0) {
  return { topic: 'T', body, flag: 42, sysFlag, bornTimestampMs: 1_700_000_000_123, properties: encodeClassic(properties), bornHost: '10.1.2.3:5555' };
}

test('a 4.x message maps TAGS, KEYS and UNIQ_KEY to record fields, keeps user properties, and stores 4.x system properties apart', () => {
  const m = fromRemotingMessage(remote({ TAGS: 'TagA', KEYS: 'k1 k2', UNIQ_KEY: 'ID1', PGROUP: 'pg', WAIT: 'true', color: 'red' }), LIMITS.maxMessageSize);
  const incoming = decodeIncoming(m, LIMITS, Date.now());
  assert.equal(incoming.append.tag, 'TagA');
  assert.deepEqual(incoming.append.keys, ['k1', 'k2']);
  assert.equal(incoming.messageId, 'ID1');
  assert.deepEqual(incoming.user, { color: 'red' }, 'user properties only; reserved names never reach them');
  const stored = decodeProperties(incoming.append.properties as Buffer);
  assert.equal(stored.system.classicFlag, '42');
  assert.deepEqual(Object.fromEntries(decodeClassic(stored.system.classicProperties ?? '')), { PGROUP: 'pg' }, 'WAIT is dropped, PGROUP kept for 4.x');
  assert.equal(incoming.type, 'NORMAL');
});

test('a producer without UNIQ_KEY (ali-ons) gets a generated id; TRAN_MSG makes a transaction; DELAY a delayed message', () => {
  const a = decodeIncoming(fromRemotingMessage(remote({}), LIMITS.maxMessageSize), LIMITS, Date.now());
  const b = decodeIncoming(fromRemotingMessage(remote({}), LIMITS.maxMessageSize), LIMITS, Date.now());
  assert.match(a.messageId, /^[0-9A-F]{32}$/);
  assert.notEqual(a.messageId, b.messageId);
  assert.equal(decodeIncoming(fromRemotingMessage(remote({ TRAN_MSG: 'true', PGROUP: 'pg' }), LIMITS.maxMessageSize), LIMITS, Date.now()).type, 'TRANSACTION');
  const now = Date.now();
  const delayed = decodeIncoming(fromRemotingMessage(remote({ DELAY: '2' }), LIMITS.maxMessageSize), LIMITS, now);
  assert.equal(delayed.type, 'DELAY');
  assert.equal(delayed.deliveryTimestampMs, now + 5000);
});

test('zlib bodies (sysFlag 0x1) are inflated before they are stored; other codecs and bombs are refused', () => {
  const body = Buffer.alloc(10_000, 'x');
  const m = fromRemotingMessage(remote({}, zlib.deflateSync(body), 0x1), LIMITS.maxMessageSize);
  assert.deepEqual(m.body, body);
  assert.throws(() => fromRemotingMessage(remote({}, zlib.deflateSync(body), 0x1 | (1 << 8)), LIMITS.maxMessageSize), /compression type 1/);
  assert.throws(() => fromRemotingMessage(remote({}, zlib.deflateSync(body), 0x1), 1000), /does not inflate within 1000 bytes/);
  assert.throws(() => fromRemotingMessage(remote({}, Buffer.from('not zlib'), 0x1), LIMITS.maxMessageSize), /does not inflate/);
});

test('a stored record goes back to a 4.x consumer with its properties, flag and born host as sent', async () => {
  const h = createHarness();
  const incoming = decodeIncoming(
    fromRemotingMessage(remote({ TAGS: 'TagA', KEYS: 'k1', UNIQ_KEY: 'ID9', __SHARDINGKEY: 's', color: 'red' }), LIMITS.maxMessageSize),
    LIMITS,
    Date.now(),
  );
  const [r] = await h.store.appendBatch([{ ...incoming.append, queueId: 0 }]);
  const record = await h.store.getMessage(r!.logOffset, r!.size);
  const props = Object.fromEntries(decodeClassic(classicPropertiesOf(record).properties));
  assert.deepEqual(props, { color: 'red', __SHARDINGKEY: 's', TAGS: 'TagA', KEYS: 'k1', UNIQ_KEY: 'ID9' });
  const ext = toMessageExt(record, hostAddress('127.0.0.1', 10911));
  assert.equal(ext.flag, 42);
  assert.deepEqual(ext.bornHost, hostAddress('10.1.2.3', 5555));
  assert.equal(ext.commitLogOffset, r!.logOffset);
});

test('CONSUMER_SEND_MSG_BACK: to %RETRY%<group> via the timer with RETRY_TOPIC and the attempt count; past the maximum to %DLQ%<group>', async () => {
  const h = createHarness();
  const [r] = await h.store.appendBatch([{ topic: 'Orders', queueId: 0, bornTimestampMs: 1, messageId: 'M1', body: Buffer.from('x') }]);
  const deps = { store: h.store, topics: h.topics, delayLevelsMs: [1000, 2000, 3000, 4000], nowMs: () => 1_000_000 };
  const back = await processSendBack(deps, createRequest(36, { offset: String(r!.logOffset), group: 'G', delayLevel: '0', maxReconsumeTimes: '2' }));
  assert.equal(back.code, 0, back.remark);
  const timerMax = h.store.getMaxQueueOffset(TIMER_TOPIC, 0);
  assert.equal(timerMax, 1);
  const read = await h.store.readQueue(TIMER_TOPIC, 0, 0, 1);
  const [held] = await h.store.getMessages(read.entries);
  const sys = decodeProperties(held!.properties).system;
  assert.equal(sys.realTopic, '%RETRY%G');
  assert.equal(sys.deliveryTimestampMs, String(1_000_000 + 3000), 'level 3 for a first retry');
  assert.equal(held!.reconsumeTimes, 1);
  assert.equal(decodeClassic(sys.classicProperties ?? '').get('RETRY_TOPIC'), 'Orders');
  assert.ok(h.topics.get('%RETRY%G'));

  const [again] = await h.store.appendBatch([
    { topic: '%RETRY%G', queueId: 0, bornTimestampMs: 1, messageId: 'M1', reconsumeTimes: 2, body: Buffer.from('x') },
  ]);
  const dead = await processSendBack(deps, createRequest(36, { offset: String(again!.logOffset), group: 'G', delayLevel: '0', maxReconsumeTimes: '2' }));
  assert.equal(dead.code, 0, dead.remark);
  assert.equal(h.store.getMaxQueueOffset('%DLQ%G', 0), 1, 'the third failure of a message allowed two retries is a dead letter');
  const missing = await processSendBack(deps, createRequest(36, { offset: '999999', group: 'G' }));
  assert.notEqual(missing.code, 0);
  assert.match(missing.remark ?? '', /MESSAGE_NOT_FOUND/);
});
