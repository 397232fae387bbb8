import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type OrbitError, fastServerDefinition, rocketmqV2, type v2 } from '@orbitmq/protocol';
import { DedupWindow } from '../src/send/dedup-window';
import { DEFAULT_RETRY_BACKOFF_MS, retryBackoff } from '../src/meta/group-manager';
import { LongPollHub } from '../src/consume/long-poll';
import { decodeProperties, encodeProperties } from '@orbitmq/protocol';
import { bodyCrc32, toV2Message } from '../src/message';
import { decodeIncoming } from '../src/send/incoming';
import { DEFAULT_DELAY_LEVELS, parseDelayLevels } from '../src/schedule/delay-policy';
import { parseTagExpression } from '../src/message';
import { QueueSelector } from '../src/meta';
import { decodeReceiptHandle, encodeReceiptHandle } from '../src/consume/receipt-handle';

const LIMITS = { maxMessageSize: 1024, maxPropertiesBytes: 1024, delay: { levelsMs: parseDelayLevels(DEFAULT_DELAY_LEVELS), maxDelayMs: 86_400_000 } };

test('receipt handles round-trip and garbage is INVALID_RECEIPT_HANDLE', () => {
  const h = { brokerName: 'broker-a', queueId: 7, queueOffset: 2 ** 40 + 3, nonce: 0xdeadbeef, logOffset: 2 ** 45, size: 1234 };
  const text = encodeReceiptHandle(h);
  assert.match(text, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeReceiptHandle(text), h);
  const tampered = Buffer.from(text, 'base64url');
  tampered[6] = (tampered[6] as number) ^ 1;
  for (const bad of ['', 'not a handle!', tampered.toString('base64url'), text.slice(0, -4), 'x'.repeat(500)]) {
    assert.throws(
      () => decodeReceiptHandle(bad),
      (e: OrbitError) => e.code === 'INVALID_RECEIPT_HANDLE',
      bad.slice(0, 20),
    );
  }
});

test('stored properties round-trip system fields and user properties', () => {
  const buf = encodeProperties({ messageGroup: 'g1', deliveryTimestampMs: '123', bornHost: 'host' }, { a: '1', ключ: 'значение', empty: '' });
  assert.deepEqual(decodeProperties(buf), {
    system: { messageGroup: 'g1', deliveryTimestampMs: '123', bornHost: 'host' },
    user: { a: '1', ключ: 'значение', empty: '' },
  });
  assert.deepEqual(decodeProperties(Buffer.alloc(0)), { system: {}, user: {} });
});

test('a sent message maps to a store append and back to a v2 message with a CRC32 body digest', () => {
  const body = Buffer.from('hello');
  const incoming = decodeIncoming(
    {
      topic: { name: 'T', resourceNamespace: '' },
      userProperties: { k: 'v' },
      body,
      systemProperties: {
        tag: 'TagA',
        keys: ['k1'],
        messageId: 'ID1',
        messageType: 'FIFO',
        messageGroup: 'order-1',
        bornHost: 'h',
        bornTimestamp: { seconds: '1700000000', nanos: 5e6 },
        bodyEncoding: 'IDENTITY',
      } as never,
    } as never,
    LIMITS,
    Date.now(),
  );
  assert.equal(incoming.type, 'FIFO');
  assert.equal(incoming.append.bornTimestampMs, 1_700_000_000_005);
  const record = {
    queueId: 2,
    sysFlag: incoming.append.sysFlag ?? 0,
    queueOffset: 9,
    physicalOffset: 0,
    bornTimestampMs: 1_700_000_000_005,
    storeTimestampMs: 1_700_000_000_010,
    reconsumeTimes: 0,
    topic: 'T',
    messageId: 'ID1',
    tag: 'TagA',
    keys: ['k1'],
    properties: incoming.append.properties as Buffer,
    body,
  };
  const m = toV2Message({ record, queueId: 2, receiptHandle: 'H', deliveryAttempt: 3, invisibleMs: 1500 }, '127.0.0.1:8081');
  assert.equal(bodyCrc32(body), '907060870', 'CRC32 (IEEE) in decimal, as the official clients compute it');
  assert.deepEqual(m.systemProperties?.bodyDigest, { type: 'CRC32', checksum: '907060870' });
  assert.equal(m.systemProperties?.messageGroup, 'order-1');
  assert.equal(m.systemProperties?.messageType, 'FIFO');
  assert.equal(m.systemProperties?.deliveryAttempt, 3);
  assert.equal(m.systemProperties?.queueOffset, 9);
  // What a client decodes from the delivery frame the broker writes with its hand-written codec.
  const service = rocketmqV2().MessagingService.service as unknown as Record<
    string,
    { responseSerialize(v: unknown): Buffer; responseDeserialize(b: Buffer): { message: v2.Message__Output } }
  >;
  const frame = (fastServerDefinition(service as never) as unknown as typeof service).ReceiveMessage!.responseSerialize({ message: m });
  const onWire = service.ReceiveMessage!.responseDeserialize(frame).message;
  assert.equal(onWire.systemProperties?.queueOffset, '9');
  assert.equal(onWire.systemProperties?.receiptHandle, 'H');
  assert.equal(onWire.systemProperties?.storeTimestamp?.seconds, '1700000000');
  assert.equal(onWire.systemProperties?.tag, 'TagA');
  assert.equal(onWire.systemProperties?.liteTopic, undefined, 'fields left undefined are not on the wire');
  assert.deepEqual(m.userProperties, { k: 'v' });
  assert.deepEqual(m.topic, { name: 'T' });
});

test('send validation codes', () => {
  const base = { topic: { name: 'T' }, userProperties: {}, body: Buffer.from('x'), systemProperties: { keys: [], messageId: 'ID', messageType: 'NORMAL' } };
  const cases: [object, string][] = [
    [{ body: Buffer.alloc(2000) }, 'MESSAGE_BODY_TOO_LARGE'],
    [{ topic: { name: 'bad topic' } }, 'ILLEGAL_TOPIC'],
    [{ systemProperties: { ...base.systemProperties, messageId: '' } }, 'ILLEGAL_MESSAGE_ID'],
    [{ systemProperties: { ...base.systemProperties, tag: '  ' } }, 'ILLEGAL_MESSAGE_TAG'],
    [{ systemProperties: { ...base.systemProperties, keys: [''] } }, 'ILLEGAL_MESSAGE_KEY'],
    [{ systemProperties: { ...base.systemProperties, messageType: 'FIFO' } }, 'ILLEGAL_MESSAGE_GROUP'],
    [{ userProperties: { UNIQ_KEY: 'x' } }, 'ILLEGAL_MESSAGE_PROPERTY_KEY'],
    [{ userProperties: { big: 'x'.repeat(2000) } }, 'MESSAGE_PROPERTIES_TOO_LARGE'],
    [{ topic: { name: 'RMQ_SYS_TRANS_HALF_TOPIC' } }, 'ILLEGAL_TOPIC'],
    [{ systemProperties: { ...base.systemProperties, messageType: 'DELAY' } }, 'ILLEGAL_DELIVERY_TIME'],
    [
      {
        systemProperties: {
          ...base.systemProperties,
          messageType: 'DELAY',
          deliveryTimestamp: { seconds: String(Math.floor(Date.now() / 1000) + 3 * 86_400), nanos: 0 },
        },
      },
      'ILLEGAL_DELIVERY_TIME',
    ],
    [{ userProperties: { DELAY: 'two' } }, 'ILLEGAL_DELIVERY_TIME'],
    [{ userProperties: { TIMER_DELAY_SEC: String(2 * 86_400) } }, 'ILLEGAL_DELIVERY_TIME'],
    [
      { userProperties: { DELAY: '3' }, systemProperties: { ...base.systemProperties, messageType: 'FIFO', messageGroup: 'g' } },
      'MESSAGE_PROPERTY_CONFLICT_WITH_TYPE',
    ],
  ];
  for (const [over, code] of cases) {
    assert.throws(
      () => decodeIncoming({ ...base, ...over } as never, LIMITS, Date.now()),
      (e: OrbitError) => e.code === code,
      code,
    );
  }
});

test('tag expressions', () => {
  assert.equal(parseTagExpression('*').all, true);
  assert.equal(parseTagExpression('').all, true);
  assert.deepEqual([...parseTagExpression(' a || b||c ').tags], ['a', 'b', 'c']);
  assert.throws(
    () => parseTagExpression('||'),
    (e: OrbitError) => e.code === 'ILLEGAL_FILTER_EXPRESSION',
  );
});

test('queue selection: round-robin, and one queue per message group', () => {
  const s = new QueueSelector();
  assert.deepEqual(
    [0, 1, 2, 3, 4].map(() => s.select('T', 4)),
    [0, 1, 2, 3, 0],
  );
  const q = s.select('T', 8, 'order-42');
  for (let i = 0; i < 10; i++) assert.equal(s.select('T', 8, 'order-42'), q);
});

test('the dedup window answers retries, forgets failures, and is bounded by count and age', async () => {
  let now = 0;
  const w = new DedupWindow({ windowMs: 1000, maxEntries: 2 }, () => now);
  const result = (n: number) => ({ logOffset: n * 100, size: n, queueOffset: n, storeTimestampMs: n * 10 });
  const first = Promise.resolve([result(1)]);
  w.setBatch([{ topic: 'T', messageId: 'a' }], first);
  assert.deepEqual(await w.get('T', 'a'), result(1), 'while being written: the batch answers');
  await first;
  assert.deepEqual(await w.get('T', 'a'), result(1), 'once written: the remembered result answers');
  assert.equal(w.get('U', 'a'), undefined, 'the same id on another topic is another message');
  const failed = Promise.reject(new Error('x'));
  w.setBatch(
    [
      { topic: 'T', messageId: 'f' },
      { topic: 'T', messageId: 'g' },
    ],
    failed,
  );
  await failed.catch(() => undefined);
  await new Promise((r) => setImmediate(r));
  assert.equal(w.get('T', 'f'), undefined, 'a failed send is retried for real');
  assert.equal(w.get('T', 'g'), undefined, 'every message of a failed batch is forgotten');
  const second = Promise.resolve([result(2), result(3)]);
  w.setBatch(
    [
      { topic: 'T', messageId: 'b' },
      { topic: 'T', messageId: 'c' },
    ],
    second,
  );
  await second;
  await new Promise((r) => setImmediate(r));
  assert.equal(w.size, 2);
  assert.equal(w.get('T', 'a'), undefined, 'oldest overwritten past maxEntries');
  assert.deepEqual(await w.get('T', 'c'), result(3), 'each message answers with its own result in the batch');
  now = 5000;
  assert.equal(w.get('T', 'c'), undefined, 'expired past the window');
});

test('long polling wakes on notify, on expiry, on timeout, and refuses past its limit', async () => {
  const hub = new LongPollHub(2);
  const a = hub.wait('T', 10_000, undefined, hub.arrivalsOf('T'));
  const b = hub.wait('T', 10_000, Date.now() + 20, hub.arrivalsOf('T'));
  await assert.rejects(hub.wait('T', 10_000, undefined, hub.arrivalsOf('T')), (e: OrbitError) => e.code === 'TOO_MANY_REQUESTS');
  assert.equal(await b, 'expiry');
  hub.notify('T');
  assert.equal(await a, 'arrived');
  assert.equal(await hub.wait('U', 10, undefined, hub.arrivalsOf('U')), 'timeout');
  assert.equal(hub.parked, 0);
});

test('a notification while the caller was looking (before it parked) is not slept through', async () => {
  const hub = new LongPollHub(2);
  const seen = hub.arrivalsOf('T');
  hub.notify('T'); // e.g. dispatch finished while the receive was reading the queues
  assert.equal(await hub.wait('T', 10_000, undefined, seen), 'arrived');
  assert.equal(hub.parked, 0);
  const other = hub.arrivalsOf('U');
  hub.notify('T');
  assert.equal(await hub.wait('U', 10, undefined, other), 'timeout', 'other topics are not woken');
});

test("the default retry ladder is RocketMQ's (10 s ... 2 h) and its last step repeats", () => {
  const g = { retryBackoffMs: DEFAULT_RETRY_BACKOFF_MS } as never;
  assert.deepEqual(
    [1, 2, 3, 13, 16, 30].map((a) => retryBackoff(g, a)),
    [10_000, 30_000, 60_000, 1_200_000, 7_200_000, 7_200_000],
  );
  assert.equal(retryBackoff({ retryBackoffMs: [5, 7] } as never, 9), 7);
  assert.equal(retryBackoff({} as never, 1), 10_000, 'groups stored before the ladder existed get the default');
});
