import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { crc32Combine } from '../src/crc32-combine';
import { BLANK_MAGIC, RECORD_MIN_BYTES, decodeRecord, encodeBlank, encodeRecord, peekRecord, sizeRecord, type AppendMessage } from '../src/record-codec';

const sample: AppendMessage = {
  topic: 'T1',
  queueId: 2,
  sysFlag: 5,
  bornTimestampMs: 1_700_000_000_000,
  reconsumeTimes: 1,
  messageId: 'ID1',
  tag: 'tg',
  keys: ['k1', 'k2'],
  properties: Buffer.from('a=b'),
  body: Buffer.from('hello'),
};

// Golden bytes, field by field as drawn above the codec:
// size | magic | crc | queueId | sysFlag | queueOffset=7 | physOffset=4096 | born | store | reconsume
// | 02 'T1' | 03 'ID1' | 0002 'tg' | 0005 'k1\x01k2' | 00000003 'a=b' | 00000005 'hello'
const GOLDEN =
  '0000005a' +
  '4f524231' +
  '9d0e4f67' +
  '00000002' +
  '00000005' +
  '0000000000000007' +
  '0000000000001000' +
  '0000018bcfe56800' +
  '0000018bcfe5687b' +
  '00000001' +
  '025431' +
  '03494431' +
  '00027467' +
  '00056b31016b32' +
  '00000003613d62' +
  '0000000568656c6c6f';

function encodeSample(): Buffer {
  const s = sizeRecord(sample);
  const buf = Buffer.alloc(s.totalSize);
  encodeRecord(buf, 0, sample, s, 7, 4096, 1_700_000_000_123);
  return buf;
}

test('record encoding matches the golden bytes', () => {
  assert.equal(encodeSample().toString('hex'), GOLDEN);
});

test('record round-trips through peek and decode', () => {
  const buf = Buffer.from(GOLDEN, 'hex');
  assert.deepEqual(peekRecord(buf, 0, buf.length, 1024), { kind: 'record', totalSize: 90, bodyCrc32: crc32(Buffer.from('hello')) >>> 0 });
  const r = decodeRecord(buf, 0);
  assert.equal(r.topic, 'T1');
  assert.equal(r.queueId, 2);
  assert.equal(r.sysFlag, 5);
  assert.equal(r.queueOffset, 7);
  assert.equal(r.physicalOffset, 4096);
  assert.equal(r.bornTimestampMs, 1_700_000_000_000);
  assert.equal(r.storeTimestampMs, 1_700_000_000_123);
  assert.equal(r.reconsumeTimes, 1);
  assert.equal(r.messageId, 'ID1');
  assert.equal(r.tag, 'tg');
  assert.deepEqual(r.keys, ['k1', 'k2']);
  assert.equal(r.properties.toString(), 'a=b');
  assert.equal(r.body.toString(), 'hello');
});

test('an empty message has the minimum size and round-trips', () => {
  const m: AppendMessage = { topic: 'x', queueId: 0, bornTimestampMs: 0, messageId: '', body: Buffer.alloc(0) };
  const s = sizeRecord(m);
  assert.equal(s.totalSize, RECORD_MIN_BYTES + 1);
  const buf = Buffer.alloc(s.totalSize);
  encodeRecord(buf, 0, m, s, 0, 0, 0);
  const r = decodeRecord(buf, 0);
  assert.equal(r.body.length, 0);
  assert.deepEqual(r.keys, []);
  assert.equal(r.tag, '');
});

test('every single-bit flip in a record is detected', () => {
  const good = encodeSample();
  for (let bit = 0; bit < good.length * 8; bit++) {
    const bad = Buffer.from(good);
    bad[bit >> 3] = (bad[bit >> 3] as number) ^ (1 << (bit & 7));
    const peek = peekRecord(bad, 0, bad.length, 1024);
    assert.notEqual(peek.kind, 'record', `flip of bit ${bit} went unnoticed`);
  }
});

test('a truncated record is incomplete, never a record', () => {
  const good = encodeSample();
  for (let len = 0; len < good.length; len++) {
    const peek = peekRecord(good, 0, len, 1024);
    assert.ok(peek.kind === 'incomplete' || peek.kind === 'corrupt', `length ${len} gave ${peek.kind}`);
  }
});

test('an implausible size is corrupt, not a huge read', () => {
  const buf = encodeSample();
  buf.writeUInt32BE(0x7fffffff, 0);
  assert.equal(peekRecord(buf, 0, buf.length, 1024).kind, 'corrupt');
});

test('end-of-segment marker', () => {
  const buf = Buffer.alloc(8);
  encodeBlank(buf, 0, 300);
  assert.equal(buf.readUInt32BE(4), BLANK_MAGIC);
  assert.deepEqual(peekRecord(buf, 0, 8, 1024), { kind: 'blank', totalSize: 300 });
});

test('crc32Combine gives the CRC of a concatenation from its parts, for any split and length', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 3000 }), (a, b) => {
      const [x, y] = [Buffer.from(a), Buffer.from(b)];
      assert.equal(crc32Combine(crc32(x), crc32(y), y.length), crc32(Buffer.concat([x, y])) >>> 0);
    }),
    { numRuns: 500 },
  );
});

test('a verified record carries its body CRC; a record whose lengths do not add up is judged by its CRC alone', () => {
  for (const body of [Buffer.alloc(0), Buffer.from('x'), Buffer.alloc(1500, 7)]) {
    const msg = { ...sample, body };
    const s = sizeRecord(msg);
    const buf = Buffer.alloc(s.totalSize);
    encodeRecord(buf, 0, msg, s, 1, 0, 1);
    const peek = peekRecord(buf, 0, buf.length, 4096);
    assert.deepEqual(peek, { kind: 'record', totalSize: s.totalSize, bodyCrc32: crc32(body) >>> 0 });
    assert.equal(decodeRecord(buf, 0, crc32(body) >>> 0).bodyCrc32, crc32(body) >>> 0);
    const torn = Buffer.from(buf);
    torn.writeUInt32BE(0xffff, torn.length - body.length - 4); // body length field: lengths no longer add up
    assert.equal(peekRecord(torn, 0, torn.length, 4096).kind, 'corrupt', 'and the CRC still catches it');
  }
});
