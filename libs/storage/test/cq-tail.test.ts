/**
 * cq-tail.ts: the newest consume-queue entries in memory. Reads served from it must equal what
 * LevelDB holds, and it must never serve entries of a queue that was rolled back or recreated.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CQ_TAIL_ENTRIES, ConsumeQueueTail, type TailEntry } from '../src/cq-tail';
import { Kv } from '../src/kv';
import { cqKey, decodeCqValue } from '../src/keys';
import * as path from 'node:path';
import { msg, openSmall, tmpDir } from './helpers';

const entry = (queueOffset: number, over: Partial<TailEntry> = {}): TailEntry => ({
  topic: 'T',
  queueId: 0,
  queueOffset,
  logOffset: 1000 + queueOffset * 10,
  size: 10,
  tagHash: queueOffset % 2,
  storeTimestampMs: 5_000 + queueOffset,
  ...over,
});

test('the tail keeps the newest entries of a queue, contiguous, and serves only what it holds', () => {
  const tail = new ConsumeQueueTail();
  tail.add(Array.from({ length: CQ_TAIL_ENTRIES + 10 }, (_, i) => entry(i)));
  const end = CQ_TAIL_ENTRIES + 10;
  assert.equal(tail.read('T', 0, 9, end, 8, 8, undefined), undefined, 'overwritten by newer entries: LevelDB serves it');
  const got = tail.read('T', 0, 10, end, 3, 3, undefined);
  assert.deepEqual(got, {
    entries: [10, 11, 12].map((q) => ({ queueOffset: q, logOffset: 1000 + q * 10, size: 10, tagHash: q % 2, storeTimestampMs: 5_000 + q })),
    nextOffset: 13,
  });
  assert.deepEqual(tail.read('T', 0, end - 2, end, 32, 32, undefined)?.nextOffset, end, 'a read near the end stops at the end');
  assert.equal(tail.read('T', 0, end, end, 8, 8, undefined), undefined, 'nothing at the end itself');
  assert.equal(tail.read('T', 0, 20, end + 1, 8, 8, undefined), undefined, 'the queue moved on without the tail: not served');
  assert.equal(tail.read('T', 0, 20, end - 1, 8, 8, undefined), undefined, 'the queue was rolled back: not served');
  assert.equal(tail.read('T', 1, 20, end, 8, 8, undefined), undefined, 'another queue');
});

test('a tag filter scans at most maxScan entries and says where the scan stopped', () => {
  const tail = new ConsumeQueueTail();
  tail.add(Array.from({ length: 100 }, (_, i) => entry(i)));
  const odd = tail.read('T', 0, 0, 100, 5, 50, new Set([1]));
  assert.deepEqual(
    odd?.entries.map((e) => e.queueOffset),
    [1, 3, 5, 7, 9],
  );
  assert.equal(odd?.nextOffset, 10);
  const none = tail.read('T', 0, 0, 100, 5, 50, new Set([7]));
  assert.deepEqual([none?.entries.length, none?.nextOffset], [0, 50], 'nothing matched within maxScan: the offset moves on');
});

test('an entry that does not follow the newest one starts the ring over (rollback, recreated topic)', () => {
  const tail = new ConsumeQueueTail();
  tail.add(Array.from({ length: 50 }, (_, i) => entry(i)));
  tail.add([entry(30, { logOffset: 99_999 })]); // truncated back to 30, then a new record there
  assert.equal(tail.read('T', 0, 10, 31, 8, 8, undefined), undefined, 'entries before the rollback are not served');
  assert.deepEqual(
    tail.read('T', 0, 30, 31, 8, 8, undefined)?.entries.map((e) => e.logOffset),
    [99_999],
  );
  tail.forget('T');
  assert.equal(tail.read('T', 0, 30, 31, 8, 8, undefined), undefined, 'a deleted topic has no tail');
});

test('store reads at the tail (memory) and behind it (LevelDB) return the same entries as the index', async () => {
  const dir = tmpDir();
  const store = await openSmall(dir);
  const count = CQ_TAIL_ENTRIES * 2 + 37;
  const results = await store.appendBatch(Array.from({ length: count }, (_, n) => msg(n, { queueId: 0 })));
  await store.whenDispatched();
  for (let from = 0; from < count; from += 29) {
    for (const tags of [undefined, ['odd']]) {
      const read = await store.readQueue('TopicA', 0, from, 32, tags ? { tags } : {});
      const expected = results
        .map((r, n) => ({ ...r, n }))
        .filter((r) => r.queueOffset >= from && (!tags || r.n % 2 === 1))
        .slice(0, 32);
      assert.deepEqual(
        read.entries.map((e) => [e.queueOffset, e.logOffset, e.size]),
        expected.map((r) => [r.queueOffset, r.logOffset, r.size]),
        `from ${from} ${tags ? 'odd' : 'all'}`,
      );
    }
  }
  // Deleted and recreated: the new records, never the old topic's.
  await store.deleteTopic('TopicA');
  const again = await store.appendBatch(Array.from({ length: 5 }, (_, n) => msg(1000 + n, { queueId: 0 })));
  await store.whenDispatched();
  const read = await store.readQueue('TopicA', 0, 0, 32);
  assert.deepEqual(
    read.entries.map((e) => e.logOffset),
    again.map((r) => r.logOffset),
  );
  await store.close();
  // And LevelDB holds exactly what the tail served.
  const kv = await Kv.open(path.join(dir, 'index'));
  try {
    const v = await kv.get(cqKey('TopicA', 0, 4));
    assert.equal(v && decodeCqValue(4, v).logOffset, again[4]?.logOffset);
  } finally {
    await kv.close();
  }
});
