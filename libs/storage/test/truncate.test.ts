import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { type AppendResult, type MessageStore, StorageErrorCode, isStorageError } from '../src';
import { SMALL_SEGMENT, dumpIndexes, msg, openSmall, segmentFiles, tmpDir } from './helpers';
import { replicate, visibleState } from './repl-helpers';

const KEYS = ['key-5', 'key-700', 'key-1400', 'order-3', 'order-7'];
const IDS = ['msg-5', 'msg-700', 'msg-1400', 'msg-1799'];
const isIllegal = (e: unknown) => isStorageError(e, StorageErrorCode.ILLEGAL_ARGUMENT);

/** A master holding `count` messages (about 4 small segments for 1800) and its full replica. */
async function masterAndReplica(count: number): Promise<{ master: MessageStore; replica: MessageStore; rDir: string; results: AppendResult[] }> {
  const master = await openSmall(tmpDir());
  const rDir = tmpDir();
  const replica = await openSmall(rDir);
  const results = await master.appendBatch(Array.from({ length: count }, (_, n) => msg(n)));
  await replicate(master, replica, 0);
  await replica.whenDispatched();
  return { master, replica, rDir, results };
}

/** A store fed only [0, cut) of the master's log: what the replica must equal after truncateTo(cut). */
async function prefixStore(master: MessageStore, cut: number): Promise<{ store: MessageStore; dir: string }> {
  const dir = tmpDir();
  const store = await openSmall(dir);
  await replicate(master, store, 0, cut);
  await store.whenDispatched();
  return { store, dir };
}

/** Index entries of two closed stores must be identical. */
async function assertSameIndexes(aDir: string, bDir: string): Promise<void> {
  assert.deepEqual(await dumpIndexes(aDir), await dumpIndexes(bDir));
}

test('truncateTo in the middle of a segment equals a store fed only the prefix, and replication continues', async () => {
  const { master, replica, rDir, results } = await masterAndReplica(1800);
  const end = master.stats().endOffset;
  const cutRecord = results.find((r) => r.logOffset > 2 * SMALL_SEGMENT + 1000) as AppendResult;
  const cut = cutRecord.logOffset;
  assert.equal(Math.floor(cut / SMALL_SEGMENT), Math.floor((end - 1) / SMALL_SEGMENT) - 1, 'cut one segment before the last, so a segment is deleted too');
  await replica.appendEpoch(1, 0);
  await replica.appendEpoch(2, cut + 10);
  const events: unknown[] = [];
  replica.events.on('truncated', (e) => events.push(e));
  const out = await replica.truncateTo(cut);
  const dropped = results.filter((r) => r.logOffset >= cut).length;
  assert.deepEqual(out, { droppedBytes: end - cut, droppedIndexedRecords: dropped });
  assert.deepEqual(events, [{ fromEndOffset: end, toOffset: cut, droppedBytes: end - cut, droppedIndexedRecords: dropped }]);
  assert.equal(replica.stats().endOffset, cut);
  assert.equal(replica.stats().dispatchedOffset, cut);
  assert.ok(replica.stats().flushedOffset <= cut);
  assert.deepEqual(replica.epochs(), [{ epoch: 1, startOffset: 0 }], 'epochs that start past the cut are dropped');
  assert.equal(segmentFiles(rDir).length, Math.floor(cut / SMALL_SEGMENT) + 1);
  await assert.rejects(replica.getMessage(cutRecord.logOffset, cutRecord.size), (e) => isStorageError(e, StorageErrorCode.OFFSET_OVERFLOW));

  const { store: prefix, dir: pDir } = await prefixStore(master, cut);
  assert.deepEqual(await visibleState(replica, KEYS, IDS), await visibleState(prefix, KEYS, IDS));
  for (let q = 0; q < 4; q++) assert.equal(replica.getMaxQueueOffset('TopicA', q), prefix.getMaxQueueOffset('TopicA', q));

  // The replica continues from the cut; the next local append (after promotion) continues the queue offsets.
  await replicate(master, replica, cut);
  assert.equal(replica.stats().endOffset, end);
  assert.deepEqual(await visibleState(replica, KEYS, IDS), await visibleState(master, KEYS, IDS));
  await prefix.close();
  await replica.close();
  await master.close();
  const reopened = await openSmall(rDir);
  assert.equal(reopened.stats().endOffset, end);
  assert.equal(reopened.recovery.droppedBytes, 0);
  await reopened.close();
  void pDir;
});

test('truncateTo across segments, then a diverged master: the replica ends equal to it, also after reopen', async () => {
  const { master, replica, rDir, results } = await masterAndReplica(1800);
  const cut = (results.find((r) => r.logOffset > SMALL_SEGMENT / 2) as AppendResult).logOffset;
  // The new master held only [0, cut) and then wrote different messages.
  const { store: newMaster, dir: nDir } = await prefixStore(master, cut);
  await newMaster.appendBatch(Array.from({ length: 900 }, (_, n) => msg(5000 + n)));
  await newMaster.whenDispatched();
  const before = segmentFiles(rDir).length;
  await replica.truncateTo(cut);
  assert.ok(segmentFiles(rDir).length < before, 'later segments are deleted');
  await replicate(newMaster, replica, cut);
  await replica.whenDispatched();
  const keys = [...KEYS, 'key-5100', 'key-5899'];
  const ids = [...IDS, 'msg-5100', 'msg-5899'];
  assert.deepEqual(await visibleState(replica, keys, ids), await visibleState(newMaster, keys, ids));
  assert.deepEqual(await replica.findByKey('TopicA', 'key-1400'), [], 'old tail messages are gone');
  await replica.close();
  await newMaster.close();
  await master.close();
  await assertSameIndexes(rDir, nDir);
  const rFiles = segmentFiles(rDir);
  const nFiles = segmentFiles(nDir);
  assert.equal(rFiles.length, nFiles.length);
  for (let i = 0; i < rFiles.length; i++) assert.ok(fs.readFileSync(rFiles[i]!).equals(fs.readFileSync(nFiles[i]!)), `segment ${i} differs`);
  const reopened = await openSmall(rDir);
  const again = await openSmall(nDir);
  assert.deepEqual(await visibleState(reopened, keys, ids), await visibleState(again, keys, ids));
  await reopened.close();
  await again.close();
});

test('truncateTo leaves exactly the indexes a rebuild of the prefix has (raw LevelDB comparison)', async () => {
  const { master, replica, rDir, results } = await masterAndReplica(900);
  const cut = (results[611] as AppendResult).logOffset;
  const { store: prefix, dir: pDir } = await prefixStore(master, cut);
  await replica.truncateTo(cut);
  await replica.close();
  await prefix.close();
  await master.close();
  await assertSameIndexes(rDir, pDir);
});

test('truncateTo refuses offsets that are not record boundaries or outside the log, and local appends in flight', async () => {
  const { master, replica, results } = await masterAndReplica(300);
  const end = replica.stats().endOffset;
  const r = results[100] as AppendResult;
  await assert.rejects(replica.truncateTo(r.logOffset + 1), (e) => isIllegal(e) && /not a record boundary/.test((e as Error).message));
  await assert.rejects(replica.truncateTo(r.logOffset + r.size - 4), isIllegal);
  await assert.rejects(replica.truncateTo(end + 1), (e) => isIllegal(e) && /outside the log/.test((e as Error).message));
  await assert.rejects(replica.truncateTo(-1), isIllegal);
  assert.equal(replica.stats().endOffset, end, 'refused cuts change nothing');
  const pending = replica.append(msg(9999));
  await assert.rejects(replica.truncateTo(r.logOffset), (e) => isStorageError(e, StorageErrorCode.REPLICA_OFFSET_MISMATCH));
  await pending;
  // A cut at the end is a no-op that still reports.
  const now = replica.stats().endOffset;
  assert.deepEqual(await replica.truncateTo(now), { droppedBytes: 0, droppedIndexedRecords: 0 });
  await replica.close();
  await master.close();
});

test('truncateTo(minOffset) empties the log; replication may restart at another segment-aligned offset', async () => {
  const { master, replica, rDir } = await masterAndReplica(1800);
  await replica.appendEpoch(3, 0);
  const out = await replica.truncateTo(0);
  assert.equal(out.droppedBytes, master.stats().endOffset);
  assert.equal(segmentFiles(rDir).length, 0, 'no segment files left');
  assert.equal(replica.stats().endOffset, 0);
  assert.equal(replica.getMaxQueueOffset('TopicA', 1), 0);
  assert.equal((await replica.readQueue('TopicA', 1, 0, 10)).entries.length, 0);
  assert.deepEqual(replica.epochs(), [{ epoch: 3, startOffset: 0 }]);

  // The master's retained log now starts two segments in.
  const restart = 2 * SMALL_SEGMENT;
  await replicate(master, replica, restart);
  await replica.whenDispatched();
  assert.equal(replica.stats().minOffset, restart);
  assert.equal(replica.stats().endOffset, master.stats().endOffset);
  assert.equal(replica.stats().dispatchedOffset, master.stats().endOffset);
  const minQueueOffset = await replica.getMinQueueOffset('TopicA', 2);
  assert.ok(minQueueOffset > 0);
  const q = await replica.readQueue('TopicA', 2, minQueueOffset, 100_000);
  const mq = await master.readQueue('TopicA', 2, 0, 100_000);
  assert.deepEqual(
    q.entries,
    mq.entries.filter((e) => e.logOffset >= restart),
  );
  assert.equal(replica.getMaxQueueOffset('TopicA', 2), master.getMaxQueueOffset('TopicA', 2));
  // Empty again, restart below where the emptied log was, then reopen.
  await replica.truncateTo(restart);
  await replicate(master, replica, SMALL_SEGMENT);
  await replica.close();
  const reopened = await openSmall(rDir);
  assert.equal(reopened.stats().minOffset, SMALL_SEGMENT);
  assert.equal(reopened.stats().endOffset, master.stats().endOffset);
  assert.equal(reopened.getMaxQueueOffset('TopicA', 2), master.getMaxQueueOffset('TopicA', 2));
  await reopened.close();
  await master.close();
});

test('an emptied replica reopened before replication restarts anywhere segment-aligned', async () => {
  const { master, replica, rDir } = await masterAndReplica(1200);
  await replica.truncateTo(0);
  await replica.close();
  const reopened = await openSmall(rDir);
  assert.equal(reopened.stats().endOffset, 0);
  await replicate(master, reopened, SMALL_SEGMENT);
  await reopened.whenDispatched();
  assert.equal(reopened.stats().dispatchedOffset, master.stats().endOffset);
  await reopened.close();
  await master.close();
});

test('truncateTo while a dispatch limit holds records back: held records below the cut stay and show once the limit lifts', async () => {
  const { master, results } = await masterAndReplica(600);
  const rDir = tmpDir();
  const replica = await openSmall(rDir);
  const limit = (results[200] as AppendResult).logOffset;
  const cut = (results[400] as AppendResult).logOffset;
  replica.setDispatchLimit(limit);
  await replicate(master, replica, 0);
  assert.equal(replica.stats().dispatchedOffset, limit);
  await replica.truncateTo(cut);
  assert.equal(replica.stats().dispatchBacklogRecords, 200, 'records [limit, cut) still wait');
  assert.equal(replica.stats().dispatchedOffset, limit);
  replica.setDispatchLimit(undefined);
  await replica.whenDispatched();
  assert.equal(replica.stats().dispatchedOffset, cut);
  const { store: prefix, dir: pDir } = await prefixStore(master, cut);
  assert.deepEqual(await visibleState(replica, KEYS, IDS), await visibleState(prefix, KEYS, IDS));
  // Queue offsets continue where the prefix ends when the replica is promoted.
  assert.equal((await replica.append(msg(7000, { queueId: 1 }))).queueOffset, prefix.getMaxQueueOffset('TopicA', 1));
  await replica.close();
  await prefix.close();
  await master.close();
  void pDir;
});
