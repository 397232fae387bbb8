import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { crc32 } from 'node:zlib';
import { type AppendResult, type ArrivedQueue, StorageErrorCode, isStorageError } from '../src';
import { SMALL_SEGMENT, msg, openSmall, segmentFiles, tmpDir } from './helpers';
import { replicate } from './repl-helpers';

test('dispatch limit: records past it stay invisible, raising it shows them and fires arrived', async () => {
  const store = await openSmall(tmpDir());
  const first = await store.append(msg(0, { queueId: 0 }));
  await store.whenDispatched();
  store.setDispatchLimit(first.logOffset + first.size);
  assert.equal(store.stats().dispatchLimit, first.logOffset + first.size);
  const arrived: ArrivedQueue[][] = [];
  store.events.on('arrived', (qs) => arrived.push(qs));
  const results: AppendResult[] = [];
  for (let n = 1; n <= 10; n++) results.push(await store.append(msg(n, { queueId: 0 })));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(store.getMaxQueueOffset('TopicA', 0), 1);
  assert.equal((await store.readQueue('TopicA', 0, 1, 10)).status, 'NO_NEW_MESSAGES');
  assert.deepEqual(await store.findByMessageId('msg-5'), []);
  assert.deepEqual(arrived, []);
  assert.equal(store.stats().dispatchBacklogRecords, 10);
  assert.equal(store.stats().dispatchedOffset, first.logOffset + first.size);
  const fifth = results[4] as AppendResult;
  let waited = false;
  const waiting = store.whenDispatched(fifth.logOffset + fifth.size).then(() => (waited = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(waited, false, 'whenDispatched waits while the limit holds the records back');

  store.setDispatchLimit(fifth.logOffset + fifth.size + 3); // inside the next record: it stays back
  await waiting;
  assert.equal(store.getMaxQueueOffset('TopicA', 0), 6);
  assert.deepEqual(arrived.at(-1), [{ topic: 'TopicA', queueId: 0, maxOffset: 6 }]);
  assert.equal((await store.readQueue('TopicA', 0, 1, 100)).entries.length, 5);
  assert.equal((await store.findByMessageId('msg-5')).length, 1);
  assert.deepEqual(await store.findByMessageId('msg-6'), []);

  store.setDispatchLimit(undefined);
  await store.whenDispatched();
  assert.equal(store.stats().dispatchLimit, undefined);
  assert.equal(store.getMaxQueueOffset('TopicA', 0), 11);
  assert.deepEqual(arrived.at(-1), [{ topic: 'TopicA', queueId: 0, maxOffset: 11 }]);
  assert.throws(
    () => store.setDispatchLimit(-1),
    (e) => isStorageError(e, StorageErrorCode.ILLEGAL_ARGUMENT),
  );
  await store.close();
});

test('dispatch limit: appends keep going, close does not hang, and recovery at open is not limited', async () => {
  const dir = tmpDir();
  const store = await openSmall(dir);
  store.setDispatchLimit(0);
  await Promise.all(Array.from({ length: 200 }, (_, n) => store.append(msg(n))));
  assert.equal(store.stats().dispatchedOffset, 0);
  assert.equal(store.stats().dispatchBacklogRecords, 200);
  const end = store.stats().endOffset;
  await store.abandonForCrashTest();
  const again = await openSmall(dir);
  assert.equal(again.stats().dispatchedOffset, end);
  assert.equal(again.getMaxQueueOffset('TopicA', 1), 50);
  again.setDispatchLimit(end);
  await again.append(msg(999));
  await again.close();
  const third = await openSmall(dir);
  assert.equal(third.getMaxQueueOffset('TopicA', 3), 51);
  await third.close();
});

test("'written' fires after local write batches and after replicated appends", async () => {
  const master = await openSmall(tmpDir(), { flushDiskType: 'SYNC_FLUSH' });
  const replica = await openSmall(tmpDir());
  const mWritten: number[] = [];
  const rWritten: number[] = [];
  master.events.on('written', (e) => mWritten.push(e.endOffset));
  replica.events.on('written', (e) => rWritten.push(e.endOffset));
  const r = await master.append(msg(1));
  assert.deepEqual(mWritten, [r.logOffset + r.size]);
  assert.equal(master.stats().flushedOffset, r.logOffset + r.size, 'SYNC_FLUSH: synced before written is emitted');
  await Promise.all(Array.from({ length: 50 }, (_, n) => master.append(msg(n))));
  assert.equal(mWritten.at(-1), master.stats().endOffset);
  const chunk = await master.readRaw(0, 1_000);
  const out = await replica.appendReplicated(0, chunk.bytes);
  assert.deepEqual(rWritten, [out.endOffset]);
  await master.close();
  await replica.close();
});

test('tailDigest: equal on master and replica at every boundary, changes when one byte differs', async () => {
  const master = await openSmall(tmpDir());
  const rDir = tmpDir();
  const replica = await openSmall(rDir);
  const results = await master.appendBatch(Array.from({ length: 1000 }, (_, n) => msg(n)));
  await replicate(master, replica, 0);
  const end = master.stats().endOffset;
  const ends = [results[0]!.logOffset + results[0]!.size, results[300]!.logOffset, SMALL_SEGMENT, 2 * SMALL_SEGMENT, end];
  for (const e of ends) {
    const m = await master.tailDigest(e);
    assert.deepEqual(await replica.tailDigest(e), m, `at ${e}`);
    assert.deepEqual(await replica.tailDigest(e, 100), await master.tailDigest(e, 100));
  }
  // Mid-segment: the last 4096 bytes (or from the segment start).
  const mid = results[300]!.logOffset;
  const d = await master.tailDigest(mid);
  assert.equal(d.fromOffset, Math.max(mid - 4096, mid - (mid % SMALL_SEGMENT)));
  // At a segment start: the previous segment's bytes up to its end-of-segment marker.
  const atSeg = await master.tailDigest(SMALL_SEGMENT, 1_000_000);
  assert.equal(atSeg.fromOffset, 0);
  const seg0 = fs.readFileSync(segmentFiles(rDir)[0]!);
  assert.ok(seg0.length < SMALL_SEGMENT);
  assert.equal(atSeg.crc32, crc32(seg0) >>> 0, 'the whole first segment file, marker included');
  assert.deepEqual(await master.tailDigest(0), { fromOffset: 0, crc32: 0 });
  await assert.rejects(master.tailDigest(end + 1), (e) => isStorageError(e, StorageErrorCode.ILLEGAL_ARGUMENT));

  // Flip one byte of the replica inside the digested range (through the file, the store stays open).
  const fd = fs.openSync(segmentFiles(rDir)[0]!, 'r+');
  const at = mid - 10;
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, at);
  fs.writeSync(fd, Buffer.from([b[0]! ^ 0x01]), 0, 1, at);
  fs.closeSync(fd);
  assert.notEqual((await replica.tailDigest(mid)).crc32, d.crc32);
  const later = results.find((r) => r.logOffset > SMALL_SEGMENT + 1000)!.logOffset;
  assert.deepEqual(await replica.tailDigest(later), await master.tailDigest(later), 'other segments still agree');
  await master.close();
  await replica.close();
});
