import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { StorageErrorCode, isStorageError } from '../src';
import { msg, openSmall, segmentFiles, tmpDir } from './helpers';

test('a replica copies the master byte for byte via readRaw/appendReplicated and indexes the same', async () => {
  const mDir = tmpDir();
  const rDir = tmpDir();
  const master = await openSmall(mDir);
  const replica = await openSmall(rDir);
  for (let n = 0; n < 500; n++) await master.append(msg(n));
  let from = 0;
  const arrived: number[] = [];
  replica.events.on('arrived', (qs) => arrived.push(qs.length));
  while (from < master.stats().endOffset) {
    const chunk = await master.readRaw(from, 10_000);
    assert.ok(chunk.bytes.length > 0);
    const r = await replica.appendReplicated(from, chunk.bytes);
    assert.equal(r.endOffset, chunk.nextOffset);
    from = chunk.nextOffset;
  }
  await replica.whenDispatched();
  assert.ok(arrived.length > 0, 'replicated records wake readers');
  assert.equal(replica.stats().endOffset, master.stats().endOffset);
  const q = await replica.readQueue('TopicA', 3, 0, 1000);
  assert.equal(q.entries.length, 125);
  // The replica continues the queue offsets if it is promoted.
  assert.equal((await replica.append(msg(1000, { queueId: 3 }))).queueOffset, 125);
  await master.close();
  await replica.close();
  const mFiles = segmentFiles(mDir);
  const rFiles = segmentFiles(rDir);
  assert.equal(rFiles.length, mFiles.length);
  for (let i = 0; i < mFiles.length - 1; i++) assert.ok(fs.readFileSync(mFiles[i]!).equals(fs.readFileSync(rFiles[i]!)), `segment ${i} differs`);
});

test('replicated bytes that do not start at the local end or are not whole records are refused', async () => {
  const mDir = tmpDir();
  const rDir = tmpDir();
  const master = await openSmall(mDir);
  const replica = await openSmall(rDir);
  for (let n = 0; n < 20; n++) await master.append(msg(n));
  const chunk = await master.readRaw(0, 100_000);
  const isMismatch = (e: unknown) => isStorageError(e, StorageErrorCode.REPLICA_OFFSET_MISMATCH);
  await assert.rejects(replica.appendReplicated(64, chunk.bytes), isMismatch);
  await assert.rejects(replica.appendReplicated(0, chunk.bytes.subarray(0, chunk.bytes.length - 3)), isMismatch);
  const flipped = Buffer.from(chunk.bytes);
  flipped[40] = (flipped[40] as number) ^ 0x10;
  await assert.rejects(replica.appendReplicated(0, flipped), isMismatch);
  assert.equal(replica.stats().endOffset, 0, 'nothing written by refused chunks');
  await replica.appendReplicated(0, chunk.bytes);
  assert.equal(replica.stats().endOffset, chunk.nextOffset);
  await assert.rejects(replica.appendReplicated(0, chunk.bytes), isMismatch);
  await master.close();
  await replica.close();
});
