import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { consumerOffsetKey, cqKey, decodeCqKey, encodeCqValue, decodeCqValue, keyIndexKey, messageIdKey, prefixEnd, cqQueuePrefix } from '../src/keys';
import { readU64, writeU64 } from '../src/u64';

test('golden key bytes', () => {
  // 'c' | 02 'T1' | queueId 3 | queueOffset 258
  assert.equal(cqKey('T1', 3, 258).toString('hex'), '63025431000000030000000000000102');
  // logOffset 4096 | size 100 | tagHash | storeTime
  assert.equal(encodeCqValue(4096, 100, 0xabcdef01, 1_700_000_000_123).toString('hex'), '000000000000100000000064abcdef010000018bcfe5687b');
  // 'o' | 01 'G' | 02 'T1' | queueId 1
  assert.equal(consumerOffsetKey('G', 'T1', 1).toString('hex'), '6f014702543100000001');
  // 'k' | 02 'T1' | 0002 'k1' | storeTime 5 | logOffset 6
  assert.equal(keyIndexKey('T1', 'k1', 5, 6).toString('hex'), '6b02543100026b3100000000000000050000000000000006');
  // 'i' | 03 'ID1' | logOffset 9
  assert.equal(messageIdKey('ID1', 9).toString('hex'), '69034944310000000000000009');
});

test('consume-queue keys sort by queue offset and round-trip', () => {
  fc.assert(
    fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.nat({ max: Number.MAX_SAFE_INTEGER }), (a, b) => {
      const ka = cqKey('topic', 1, a);
      const kb = cqKey('topic', 1, b);
      assert.equal(Math.sign(Buffer.compare(ka, kb)), Math.sign(a - b));
      assert.deepEqual(decodeCqKey(ka), { topic: 'topic', queueId: 1, queueOffset: a });
    }),
  );
});

test('u64 round-trips every safe integer and rejects larger ones', () => {
  fc.assert(
    fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (n) => {
      const b = Buffer.alloc(8);
      writeU64(b, n, 0);
      assert.equal(readU64(b, 0), n);
    }),
  );
  assert.throws(() => readU64(Buffer.from('ffffffffffffffff', 'hex'), 0), RangeError);
});

test('cq values round-trip', () => {
  const v = decodeCqValue(5, encodeCqValue(123456789012, 77, 42, 1_700_000_000_000));
  assert.deepEqual(v, { queueOffset: 5, logOffset: 123456789012, size: 77, tagHash: 42, storeTimestampMs: 1_700_000_000_000 });
});

test('prefixEnd bounds exactly the keys with the prefix', () => {
  const p = cqQueuePrefix('T', 0xff);
  const end = prefixEnd(p);
  assert.ok(Buffer.compare(cqKey('T', 0xff, Number.MAX_SAFE_INTEGER), end) < 0);
  assert.ok(Buffer.compare(cqKey('T', 0x100, 0), end) >= 0);
});
