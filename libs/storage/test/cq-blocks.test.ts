/**
 * cq-blocks.ts: 256 consume-queue entries per LevelDB value, beside the entries themselves.
 * A block must exist exactly for each complete run, hold the same bytes as its entries, survive
 * restarts in the middle of a run, and go away with its entries (truncation, retention, deleted
 * topic). Reads served from blocks must equal reads served from entries alone.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type AppendResult, type MessageStore } from '../src';
import { CQ_BLOCK_BYTES, CQ_BLOCK_ENTRIES, cqBlockKey } from '../src/cq-blocks';
import { Kv } from '../src/kv';
import { NS, cqKey, cqQueuePrefix, prefixEnd } from '../src/keys';
import { msg, openSmall, segmentFiles, tmpDir } from './helpers';
import { replicate } from './repl-helpers';

const B = CQ_BLOCK_ENTRIES;

/** First queue offsets of the blocks a closed store holds for one queue, each checked against its entries. */
async function blocksOf(dir: string, topic: string, queueId: number): Promise<number[]> {
  const kv = await Kv.open(path.join(dir, 'index'));
  try {
    const prefix = cqQueuePrefix(topic, queueId, NS.consumeQueueBlock);
    const firsts: number[] = [];
    for (const [k, v] of await kv.entries({ gte: prefix, lt: prefixEnd(prefix) })) {
      const first = Number(k.readBigUInt64BE(k.length - 8));
      assert.equal(first % B, 0, 'a block starts at a multiple of 256');
      assert.equal(v.length, CQ_BLOCK_BYTES);
      // Retention may have pruned the entries of a block below the oldest kept one, never its last.
      const entries = await kv.getMany(Array.from({ length: B }, (_, i) => cqKey(topic, queueId, first + i)));
      assert.ok(entries[B - 1], `block ${first} has its last entry`);
      entries.forEach((e, i) => e && assert.deepEqual(v.subarray(i * 24, i * 24 + 24), e, `block ${first} holds entry ${first + i}'s bytes`));
      firsts.push(first);
    }
    return firsts;
  } finally {
    await kv.close();
  }
}

/** Appends `count` messages to queue 0 of TopicA, numbered from `from`. */
async function fill(store: MessageStore, from: number, count: number, body = 20): Promise<AppendResult[]> {
  const out: AppendResult[] = [];
  for (let n = from; n < from + count; n += 100) {
    const batch = Array.from({ length: Math.min(100, from + count - n) }, (_, i) => msg(n + i, { queueId: 0, body: Buffer.alloc(body, n + i) }));
    out.push(...(await store.appendBatch(batch)));
  }
  await store.whenDispatched();
  return out;
}

test('a block is written for each complete run of 256 entries, and block reads equal entry reads', async () => {
  const dir = tmpDir();
  const store = await openSmall(dir, {}, {});
  const count = 3 * B + 41;
  const results = await fill(store, 0, count);
  const expect = (from: number, max: number, odd: boolean) =>
    results
      .map((r, n) => ({ ...r, n }))
      .filter((r) => r.queueOffset >= from && (!odd || r.n % 2 === 1))
      .slice(0, max)
      .map((r) => [r.queueOffset, r.logOffset, r.size]);
  // Across block edges, within blocks, into the unsealed last run, with and without a tag filter.
  const starts = [0, 1, B - 3, B - 1, B, B + 17, 2 * B - 1, 3 * B - 5, 3 * B, 3 * B + 40];
  for (const from of starts) {
    for (const max of [1, 32, B, 2 * B + 3]) {
      const all = await store.readQueue('TopicA', 0, from, max);
      assert.deepEqual(
        all.entries.map((e) => [e.queueOffset, e.logOffset, e.size]),
        expect(from, max, false),
        `from ${from} max ${max}`,
      );
      assert.equal(all.nextOffset, from + all.entries.length);
      const odd = await store.readQueue('TopicA', 0, from, max, { tags: ['odd'], maxScanEntries: 300 });
      assert.deepEqual(
        odd.entries.map((e) => [e.queueOffset, e.logOffset, e.size]),
        expect(from, max, true).filter(([q]) => (q as number) < from + 300),
        `odd from ${from} max ${max}`,
      );
    }
  }
  const odd = await store.readQueue('TopicA', 0, 0, 10, { tags: ['odd'], maxScanEntries: 300 });
  assert.equal(odd.nextOffset, 20, 'a filtered read says where it stopped examining');
  const none = await store.readQueue('TopicA', 0, 0, 10, { tags: ['nothing'], maxScanEntries: 300 });
  assert.deepEqual([none.entries.length, none.nextOffset], [0, 300], 'nothing matched within maxScan: the offset moves on');
  await store.close();
  assert.deepEqual(await blocksOf(dir, 'TopicA', 0), [0, B, 2 * B]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a restart in the middle of a run still writes that block when it completes; a missing block falls back to entries', async () => {
  const dir = tmpDir();
  let store = await openSmall(dir);
  const first = await fill(store, 0, B + 44);
  await store.close();
  assert.deepEqual(await blocksOf(dir, 'TopicA', 0), [0]);
  store = await openSmall(dir);
  const second = await fill(store, B + 44, B + 10);
  await store.close();
  assert.deepEqual(await blocksOf(dir, 'TopicA', 0), [0, B], 'the run 256..511 was loaded back after the restart');
  // Without its block a read iterates the entries and returns the same.
  const kv = await Kv.open(path.join(dir, 'index'));
  await kv.del(cqBlockKey('TopicA', 0, B));
  await kv.close();
  store = await openSmall(dir);
  const all = [...first, ...second];
  const read = await store.readQueue('TopicA', 0, B - 2, B + 8);
  assert.deepEqual(
    read.entries.map((e) => e.logOffset),
    all.slice(B - 2, 2 * B + 6).map((r) => r.logOffset),
  );
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('blocks go with their entries: truncation, retention and a deleted topic', async () => {
  const master = await openSmall(tmpDir());
  const results = await fill(master, 0, 3 * B, 400);
  const rDir = tmpDir();
  const replica = await openSmall(rDir);
  await replicate(master, replica, 0);
  await replica.whenDispatched();
  // Cut at queue offset 2B + 10: the third block reaches past the cut, the first two stay.
  await replica.truncateTo((results[2 * B + 10] as AppendResult).logOffset);
  const read = await replica.readQueue('TopicA', 0, 2 * B, B);
  assert.deepEqual(
    read.entries.map((e) => e.logOffset),
    results.slice(2 * B, 2 * B + 10).map((r) => r.logOffset),
  );
  // Re-replicated after the cut, the block is written again from the new records.
  await replicate(master, replica, (results[2 * B + 10] as AppendResult).logOffset);
  await replica.whenDispatched();
  await replica.truncateTo((results[B + 3] as AppendResult).logOffset);
  await replica.close();
  assert.deepEqual(await blocksOf(rDir, 'TopicA', 0), [0]);

  // Retention: every segment but the active one expires; blocks wholly below the oldest entry go.
  let now = new Date(2026, 0, 10, 4, 5).getTime();
  const dir = tmpDir();
  const store = await openSmall(dir, { nowMs: () => now, fileReservedTimeHours: 1, deleteWhenHours: [4] });
  const kept = await fill(store, 0, 3 * B + 5, 400);
  const old = new Date(now - 2 * 3_600_000);
  for (const f of segmentFiles(dir)) fs.utimesSync(f, old, old);
  await store.runRetention();
  const min = store.stats().minOffset;
  const firstKept = kept.findIndex((r) => r.logOffset >= min);
  assert.ok(firstKept > 2 * B, `the oldest kept entry (${firstKept}) is in the last complete block`);
  now += 1;
  await store.close();
  assert.deepEqual(await blocksOf(dir, 'TopicA', 0), [2 * B], 'the block holding the oldest kept entry stays');
  const reopened = await openSmall(dir);
  const fromMin = await reopened.readQueue('TopicA', 0, firstKept, 10);
  assert.deepEqual(
    fromMin.entries.map((e) => e.logOffset),
    kept.slice(firstKept, firstKept + 10).map((r) => r.logOffset),
  );
  await reopened.deleteTopic('TopicA');
  await reopened.close();
  assert.deepEqual(await blocksOf(dir, 'TopicA', 0), [], 'a deleted topic has no blocks');
  await master.close();
});
