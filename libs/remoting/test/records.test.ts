// Message records, batches, message ids and properties.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import {
  MESSAGE_MAGIC_V1,
  MessageSysFlag,
  RemotingProtocolError,
  bodyCrc32,
  createOffsetMsgId,
  offsetMsgIdFormatter,
  decodeBatch,
  decodeMessageExts,
  decodeOffsetMsgId,
  decodeProperties,
  encodeBatch,
  encodeMessageExts,
  encodeProperties,
  hostAddress,
  measureMessageExt,
  writeMessageExt,
  type MessageExtFields,
} from '../src';

function protocolError(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof RemotingProtocolError && e.code === code);
}

function fields(over: Partial<MessageExtFields> = {}): MessageExtFields {
  return {
    topic: 'TopicTest',
    queueId: 3,
    flag: 0,
    queueOffset: 17,
    commitLogOffset: 0x1234,
    sysFlag: 0,
    bornTimestampMs: 1_700_000_000_000,
    bornHost: hostAddress('10.0.0.5', 52000),
    storeTimestampMs: 1_700_000_000_123,
    storeHost: hostAddress('127.0.0.1', 10911),
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    body: Buffer.from('hello'),
    properties: encodeProperties({ TAGS: 'TagA', UNIQ_KEY: 'U1' }),
    ...over,
  };
}

test('message record golden: laid out by hand from the table', () => {
  const props = 'TAGS\u0001TagA\u0002';
  const parts: Buffer[] = [];
  const i32 = (v: number) => parts.push(Buffer.from([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]));
  const i64 = (v: number) => (i32(Math.floor(v / 2 ** 32)), i32(v % 2 ** 32));
  const size = 91 + 5 + 9 + props.length;
  i32(size);
  i32(0xdaa320a7);
  i32(zlib.crc32(Buffer.from('hello')) & 0x7fffffff);
  i32(3); // queue id
  i32(7); // flag
  i64(17);
  i64(0x1234);
  i32(0); // sysFlag
  i64(1_700_000_000_000);
  parts.push(Buffer.from([10, 0, 0, 5]));
  i32(52000);
  i64(1_700_000_000_123);
  parts.push(Buffer.from([127, 0, 0, 1]));
  i32(10911);
  i32(2); // reconsume
  i64(0);
  i32(5);
  parts.push(Buffer.from('hello'), Buffer.from([9]), Buffer.from('TopicTest'), Buffer.from([0, props.length]), Buffer.from(props, 'latin1'));
  const expected = Buffer.concat(parts);
  assert.equal(expected.length, size);
  const encoded = encodeMessageExts([fields({ flag: 7, reconsumeTimes: 2, properties: props })]);
  assert.deepEqual(encoded, expected);
  const [m] = decodeMessageExts(expected, { checkCrc: true });
  assert.equal(m?.offsetMsgId, '7F00000100002A9F0000000000001234');
  assert.deepEqual(m?.storeHost, { host: '127.0.0.1', port: 10911 });
  assert.equal(m?.properties.get('TAGS'), 'TagA');
});

test('message records: V1, V2 long topic and IPv6 hosts round trip in one buffer', () => {
  const longTopic = '%RETRY%' + 'g'.repeat(200);
  const list = [
    fields(),
    fields({ topic: longTopic, queueOffset: 18, body: Buffer.alloc(0) }),
    fields({ bornHost: hostAddress('::1', 1), storeHost: hostAddress('fe80::1:2', 10911), commitLogOffset: 2 ** 40, sysFlag: MessageSysFlag.MULTI_TAGS }),
  ];
  const buf = encodeMessageExts(list);
  assert.equal(
    buf.length,
    list.map(measureMessageExt).reduce((a, b) => a + b),
  );
  const decoded = decodeMessageExts(buf);
  assert.equal(decoded.length, 3);
  assert.equal(decoded[0]?.magic, 'V1');
  assert.equal(decoded[1]?.magic, 'V2');
  assert.equal(decoded[1]?.topic, longTopic);
  assert.equal(decoded[1]?.body.length, 0);
  assert.equal(decoded[2]?.sysFlag, MessageSysFlag.MULTI_TAGS | MessageSysFlag.BORNHOST_V6 | MessageSysFlag.STOREHOST_V6);
  assert.deepEqual(decoded[2]?.bornHost, { host: '::1', port: 1 });
  assert.deepEqual(decoded[2]?.storeHost, { host: 'fe80::1:2', port: 10911 });
  assert.equal(decoded[2]?.commitLogOffset, 2 ** 40);
  assert.equal(decoded[2]?.offsetMsgId.length, 56);
  assert.equal(decodeOffsetMsgId(decoded[2]?.offsetMsgId ?? '').commitLogOffset, 2n ** 40n);
  assert.equal(decoded[0]?.bodyCrc, bodyCrc32(Buffer.from('hello')));
  const offsetBuf = Buffer.alloc(measureMessageExt(list[0] as MessageExtFields) + 3);
  assert.equal(writeMessageExt(offsetBuf, 3, list[0] as MessageExtFields), offsetBuf.length);
});

test('message records: compressed bodies inflate on request; malformed records are refused', () => {
  const compressed = fields({ body: zlib.deflateSync(Buffer.from('x'.repeat(5000))), sysFlag: MessageSysFlag.COMPRESSED });
  const buf = encodeMessageExts([compressed]);
  assert.equal(decodeMessageExts(buf)[0]?.sysFlag, MessageSysFlag.COMPRESSED);
  const [inflated] = decodeMessageExts(buf, { inflate: true });
  assert.equal(inflated?.body.toString(), 'x'.repeat(5000));
  assert.equal(inflated?.sysFlag, 0);
  const lz4 = encodeMessageExts([{ ...compressed, sysFlag: MessageSysFlag.COMPRESSED | MessageSysFlag.COMPRESSION_LZ4 }]);
  protocolError(() => decodeMessageExts(lz4, { inflate: true }), 'REMOTING_UNSUPPORTED_COMPRESSION');

  const good = encodeMessageExts([fields()]);
  protocolError(() => decodeMessageExts(good.subarray(0, good.length - 1)), 'REMOTING_BAD_MESSAGE');
  const badMagic = Buffer.from(good);
  badMagic.writeInt32BE(0x12345678, 4);
  protocolError(() => decodeMessageExts(badMagic), 'REMOTING_BAD_MESSAGE');
  const badBody = Buffer.from(good);
  badBody.writeInt32BE(1000, 84);
  protocolError(() => decodeMessageExts(badBody), 'REMOTING_BAD_MESSAGE');
  const badCrc = Buffer.from(good);
  badCrc.writeInt32BE(1, 8);
  protocolError(() => decodeMessageExts(badCrc, { checkCrc: true }), 'REMOTING_BAD_MESSAGE');
  const trailing = Buffer.concat([good, Buffer.alloc(3)]);
  protocolError(() => decodeMessageExts(trailing), 'REMOTING_BAD_MESSAGE');
  assert.equal(good.readInt32BE(4), MESSAGE_MAGIC_V1);
  protocolError(() => encodeMessageExts([fields({ properties: 'k\u0001' + 'v'.repeat(40000) })]), 'REMOTING_BAD_MESSAGE');
});

test('batch body: round trip and malformed batches', () => {
  const input = [
    { flag: 1, body: Buffer.from('a'), properties: encodeProperties({ KEYS: 'k1 k2' }) },
    { body: Buffer.alloc(0), properties: '' },
  ];
  const buf = encodeBatch(input);
  const expectedFirst = Buffer.concat([
    Buffer.from([0, 0, 0, 22 + 1 + 11]),
    Buffer.alloc(8),
    Buffer.from([0, 0, 0, 1, 0, 0, 0, 1]),
    Buffer.from('a'),
    Buffer.from([0, 11]),
    Buffer.from('KEYS\u0001k1 k2\u0002'),
  ]);
  assert.deepEqual(buf.subarray(0, expectedFirst.length), expectedFirst);
  const decoded = decodeBatch(buf);
  assert.equal(decoded.length, 2);
  assert.equal(decoded[0]?.flag, 1);
  assert.equal(decoded[0]?.properties.get('KEYS'), 'k1 k2');
  assert.equal(decoded[1]?.body.length, 0);

  protocolError(() => decodeBatch(buf, { maxMessages: 1, maxBodyBytes: 100 }), 'REMOTING_BAD_BATCH');
  protocolError(() => decodeBatch(encodeBatch([{ body: Buffer.alloc(101), properties: '' }]), { maxMessages: 9, maxBodyBytes: 100 }), 'REMOTING_BAD_BATCH');
  protocolError(() => decodeBatch(buf.subarray(0, buf.length - 1)), 'REMOTING_BAD_BATCH');
  const badTotal = Buffer.from(buf);
  badTotal.writeInt32BE(10, 0);
  protocolError(() => decodeBatch(badTotal), 'REMOTING_BAD_BATCH');
  const badBody = Buffer.from(buf);
  badBody.writeInt32BE(30, 16);
  protocolError(() => decodeBatch(badBody), 'REMOTING_BAD_BATCH');
  const badProps = Buffer.from(buf);
  badProps.writeInt16BE(3, 21);
  protocolError(() => decodeBatch(badProps), 'REMOTING_BAD_BATCH');
});

test('offsetMsgId: golden, IPv6 and malformed ids', () => {
  assert.equal(createOffsetMsgId('127.0.0.1', 10911, 0x1234), '7F00000100002A9F0000000000001234');
  assert.deepEqual(decodeOffsetMsgId('7F00000100002A9F0000000000001234'), { host: '127.0.0.1', port: 10911, commitLogOffset: 0x1234n });
  assert.equal(createOffsetMsgId('::ffff:10.1.2.3', 1, 1n), '0A01020300000001' + '0000000000000001');
  const v6 = createOffsetMsgId('2001:db8::7', 10911, 5n);
  assert.equal(v6, '20010DB8000000000000000000000007' + '00002A9F' + '0000000000000005');
  assert.deepEqual(decodeOffsetMsgId(v6.toLowerCase()), { host: '2001:db8::7', port: 10911, commitLogOffset: 5n });
  protocolError(() => decodeOffsetMsgId('7F00000100002A9F000000000000123'), 'REMOTING_BAD_MESSAGE_ID');
  protocolError(() => decodeOffsetMsgId('7F00000100002A9F000000000000123G'), 'REMOTING_BAD_MESSAGE_ID');
  protocolError(() => decodeOffsetMsgId('7F000001FFFFFFFF0000000000001234'), 'REMOTING_BAD_MESSAGE_ID');
  protocolError(() => createOffsetMsgId('broker-a', 10911, 1), 'REMOTING_BAD_ADDRESS');
});

test('message records: non-ASCII topics and properties take the UTF-8 path, ASCII ones the byte loop, with the same result', () => {
  const list = [
    fields({ topic: 'тема', properties: encodeProperties({ color: 'зелёный', UNIQ_KEY: 'U2' }) }),
    fields({ properties: 'x'.repeat(200) + '\u0001v\u0002' }),
  ];
  const decoded = decodeMessageExts(encodeMessageExts(list), { checkCrc: true });
  assert.equal(decoded[0]?.topic, 'тема');
  assert.equal(decoded[0]?.properties.get('color'), 'зелёный');
  assert.equal(decoded[1]?.properties.get('x'.repeat(200)), 'v', 'longer than the loop writes: Buffer.write');
});

test('offsetMsgIdFormatter gives what createOffsetMsgId gives, on IPv4 and IPv6, up to 2^53', () => {
  const offsets = [0, 1, 0x1234, 0xffff_ffff, 0x1_0000_0000, 0x1_2345_6789_abcd, Number.MAX_SAFE_INTEGER];
  for (const [host, port] of [
    ['127.0.0.1', 10911],
    ['2001:db8::7', 1],
  ] as const) {
    const format = offsetMsgIdFormatter(host, port);
    for (const o of offsets) assert.equal(format(o), createOffsetMsgId(host, port, BigInt(o)), `${host} ${o}`);
  }
  const format = offsetMsgIdFormatter('127.0.0.1', 1);
  for (const bad of [-1, 1.5, 2 ** 53]) protocolError(() => format(bad), 'REMOTING_BAD_MESSAGE_ID');
});

test('properties: RocketMQ parsing rules', () => {
  const props = decodeProperties('TAGS\u0001a\u0002\u0001nokey\u0002empty\u0001\u0002KEYS\u0001k1 k2\u0002TAGS\u0001b');
  assert.deepEqual(
    [...props],
    [
      ['TAGS', 'b'],
      ['KEYS', 'k1 k2'],
    ],
  );
  assert.equal(decodeProperties('').size, 0);
  assert.equal(encodeProperties(new Map([['A', '1']])), 'A\u00011\u0002');
  assert.equal(encodeProperties({ A: '1', B: undefined }), 'A\u00011\u0002');
  protocolError(() => encodeProperties({ A: 'x\u0002y' }), 'REMOTING_BAD_PROPERTIES');
});
