import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OrbitError, fastClientDefinition, fastServerDefinition, rocketmqV2, wireCodecs, type v2 } from '../src';

type Codec = {
  requestSerialize(v: unknown): Buffer;
  requestDeserialize(b: Buffer): unknown;
  responseSerialize(v: unknown): Buffer;
  responseDeserialize(b: Buffer): unknown;
};
const generic = rocketmqV2().MessagingService.service as unknown as Record<string, Codec>;
const server = fastServerDefinition(generic as never) as unknown as Record<string, Codec>;
const client = fastClientDefinition(generic as never) as unknown as Record<string, Codec>;

/** What the official client sends: every send-side field set, keys, properties, a digest. */
const sdkSend: v2.Message = {
  topic: { resourceNamespace: 'ns', name: 'OrderTopic' },
  userProperties: { orderId: '42', ключ: 'значение ✓' },
  systemProperties: {
    tag: 'TagA',
    keys: ['k1', 'k2'],
    messageId: '01FA163E7F4B0C2A0005A6B2D1B4E00000',
    bodyDigest: { type: 'CRC32', checksum: 'ABCDEF01' },
    bodyEncoding: 'IDENTITY',
    messageType: 'FIFO',
    bornTimestamp: { seconds: 1_763_700_000, nanos: 123_000_000 },
    bornHost: 'host-1',
    messageGroup: 'g-7',
    traceContext: '00-abc-def-01',
    deliveryTimestamp: { seconds: '1763700060', nanos: 0 },
    orphanedTransactionRecoveryDuration: { seconds: 6, nanos: 0 },
  },
  body: Buffer.from('hello orbit'),
};

/** What the broker delivers: receipt, queue position, attempt, a large offset, a 70 KiB body. */
const delivery: v2.Message = {
  topic: { name: 'T' },
  userProperties: {},
  systemProperties: {
    keys: [],
    messageId: 'ID-2',
    bodyDigest: { type: 'MD5', checksum: '0123456789ABCDEF0123456789ABCDEF' },
    bodyEncoding: 'IDENTITY',
    messageType: 'NORMAL',
    bornTimestamp: { seconds: 1, nanos: 2 },
    bornHost: '',
    storeTimestamp: { seconds: 3, nanos: 4 },
    storeHost: '127.0.0.1:8081',
    receiptHandle: 'rh:broker-a:0:12:abc',
    queueId: 3,
    queueOffset: '9007199254740993',
    invisibleDuration: { seconds: 30, nanos: 0 },
    deliveryAttempt: 2,
    deadLetterQueue: { topic: 'T', messageId: 'ID-1' },
    liteTopic: 'lite',
    priority: 5,
  },
  body: Buffer.alloc(70 * 1024, 7),
};

/** Edge values: negative int32/int64, an enum number with no name, empty everything. */
const odd: v2.Message = {
  topic: { name: '' },
  systemProperties: {
    messageId: '',
    queueId: -1,
    queueOffset: '-5',
    bornTimestamp: { seconds: -62_135_596_800, nanos: 0 },
    messageType: 99 as never,
    deliveryAttempt: 0,
  },
  body: Buffer.alloc(0),
};

const cases: [string, v2.Message[]][] = [
  ['an official-client send', [sdkSend]],
  ['a delivery with a large body', [delivery]],
  ['edge values', [odd]],
  ['an empty message', [{}]],
  [
    'a batch of 64',
    Array.from({ length: 64 }, (_, i) => ({ ...sdkSend, systemProperties: { ...sdkSend.systemProperties, messageId: `m-${i}` }, body: Buffer.alloc(1024, i) })),
  ],
];

for (const [name, messages] of cases) {
  test(`SendMessage codec, ${name}: protobufjs's exact bytes, proto-loader's exact shape`, () => {
    const expected = generic.SendMessage!.requestSerialize({ messages });
    const ours = client.SendMessage!.requestSerialize({ messages });
    assert.equal(ours.toString('hex'), expected.toString('hex'));
    assert.deepStrictEqual(server.SendMessage!.requestDeserialize(expected), generic.SendMessage!.requestDeserialize(expected));
  });
}

test('golden bytes of a small message (fixture, so both codecs cannot drift together)', () => {
  const m: v2.Message = {
    topic: { name: 'T' },
    userProperties: { a: 'b' },
    systemProperties: {
      messageId: 'X',
      tag: 'tg',
      keys: ['k'],
      messageType: 'NORMAL',
      bodyEncoding: 'IDENTITY',
      bornTimestamp: { seconds: 5, nanos: 1 },
      bornHost: 'h',
      queueOffset: '7',
      deliveryAttempt: 2,
    },
    body: Buffer.from('hi'),
  };
  const golden = '0a2f0a0312015412060a01611201621a1c0a02746712016b1a0158280130013a0408051001420168700780010222026869';
  assert.equal(wireCodecs.encodeSendRequest({ messages: [m] }).toString('hex'), golden);
  const decoded = wireCodecs.decodeSendRequest(Buffer.from(golden, 'hex')).messages[0]!;
  assert.equal(decoded.systemProperties?.queueOffset, '7');
  assert.equal(decoded.systemProperties?.bornTimestamp?.seconds, '5');
  assert.equal(decoded.systemProperties?.tag, 'tg');
});

test('receive and pull frames: message frames fast, status/timestamp/offset frames generic, both ways', () => {
  for (const method of ['ReceiveMessage', 'PullMessage']) {
    const frames: unknown[] = [{ message: delivery }, { message: odd }, { status: { code: 'OK', message: 'OK' } }];
    frames.push(method === 'PullMessage' ? { nextOffset: '123' } : { deliveryTimestamp: { seconds: 9, nanos: 1 } });
    for (const f of frames) {
      const expected = generic[method]!.responseSerialize(f);
      assert.equal(server[method]!.responseSerialize(f).toString('hex'), expected.toString('hex'), `${method} ${JSON.stringify(Object.keys(f as object))}`);
      assert.deepStrictEqual(client[method]!.responseDeserialize(expected), generic[method]!.responseDeserialize(expected));
    }
  }
});

test('malformed bytes are refused with BAD_REQUEST, never misread', () => {
  const good = generic.SendMessage!.requestSerialize({ messages: [sdkSend, delivery] });
  for (const cut of [1, 2, 17, 100, good.length - 1]) {
    assert.throws(
      () => server.SendMessage!.requestDeserialize(good.subarray(0, cut)),
      (e: OrbitError) => e.code === 'BAD_REQUEST',
      `cut at ${cut}`,
    );
  }
  assert.throws(
    () => server.SendMessage!.requestDeserialize(Buffer.from('0aff', 'hex')),
    (e: OrbitError) => e.code === 'BAD_REQUEST',
  );
  assert.throws(
    () => server.SendMessage!.requestDeserialize(Buffer.from('0f', 'hex')),
    (e: OrbitError) => e.code === 'BAD_REQUEST',
    'wire type 7',
  );
  // Unknown fields (a newer client) are skipped, as protobufjs skips them.
  const withUnknown = Buffer.concat([Buffer.from('f80601', 'hex'), good]);
  assert.deepStrictEqual(server.SendMessage!.requestDeserialize(withUnknown), generic.SendMessage!.requestDeserialize(good));
});

test('SendMessage responses: all-OK ones by hand with the same bytes, any failure through protobufjs', () => {
  const ok = { code: 'OK', message: 'OK' };
  const responses: unknown[] = [
    {
      status: ok,
      entries: [
        { status: ok, messageId: 'a', transactionId: '', offset: '0' },
        { status: ok, messageId: 'b', transactionId: '00000000000000ff', offset: '9007199254740993' },
      ],
    },
    { status: ok, entries: Array.from({ length: 64 }, (_, i) => ({ status: ok, messageId: `m-${i}`, transactionId: '', offset: String(i * 1000) })) },
    { status: { code: 'TOPIC_NOT_FOUND', message: 'no topic' }, entries: [{ status: { code: 'TOPIC_NOT_FOUND', message: 'no topic' }, messageId: 'c' }] },
    {
      status: ok,
      entries: [
        { status: ok, messageId: 'd', offset: '1' },
        { status: { code: 'BAD_REQUEST', message: 'x' }, messageId: 'e' },
      ],
    },
  ];
  for (const r of responses) {
    const expected = generic.SendMessage!.responseSerialize(r);
    assert.equal(server.SendMessage!.responseSerialize(r).toString('hex'), expected.toString('hex'));
  }
});
