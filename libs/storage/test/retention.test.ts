import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { StorageErrorCode, isStorageError } from '../src';
import { dumpIndexes, msg, openSmall, segmentFiles, tmpDir } from './helpers';

const HOUR = 3_600_000;
const GIB = 1024 ** 3;

test('expired segments are deleted only at a deleteWhen hour, never the active one, and indexes are pruned', async () => {
  const dir = tmpDir();
  // Local 03:30 on some day: not the delete hour (04).
  const base = new Date(2026, 0, 10, 3, 30).getTime();
  let now = base;
  const store = await openSmall(dir, { nowMs: () => now, fileReservedTimeHours: 1, deleteWhenHours: [4] });
  const results = [];
  for (let n = 0; n < 400; n++) results.push(await store.append(msg(n, { body: Buffer.alloc(500, n) })));
  await store.whenDispatched();
  const before = segmentFiles(dir);
  assert.ok(before.length >= 4);
  // Age every segment by two hours.
  const old = new Date(base - 2 * HOUR);
  for (const f of before) fs.utimesSync(f, old, old);

  await store.runRetention();
  assert.deepEqual(segmentFiles(dir), before, 'not the delete hour: nothing deleted');

  now = new Date(2026, 0, 10, 4, 5).getTime();
  const deleted: number[] = [];
  store.events.on('segmentDeleted', (e) => deleted.push(e.startOffset));
  await store.runRetention();
  const after = segmentFiles(dir);
  assert.equal(after.length, 1, 'only the active segment is left');
  assert.equal(deleted.length, before.length - 1);
  const min = store.stats().minOffset;
  assert.ok(min > 0);

  // Reads below the minimum say so; they never return garbage.
  const gone = results[0]!;
  await assert.rejects(store.getMessage(gone.logOffset, gone.size), (e: unknown) => isStorageError(e, StorageErrorCode.OFFSET_TOO_SMALL));
  const q = await store.readQueue('TopicA', 0, 0, 10);
  assert.equal(q.status, 'OFFSET_TOO_SMALL');
  assert.ok(q.nextOffset > 0);
  const first = await store.readQueue('TopicA', 0, q.nextOffset, 1);
  assert.equal(first.status, 'FOUND');
  assert.ok(first.entries[0]!.logOffset >= min);
  // No index entry points below the minimum.
  await store.close();
  for (const e of await dumpIndexes(dir)) {
    const [k, v] = e.split('=') as [string, string];
    const key = Buffer.from(k, 'hex');
    if (key[0] === 0x63) assert.ok(Buffer.from(v, 'hex').readUIntBE(2, 6) >= min, 'cq entry below min');
    if (key[0] === 0x62) assert.ok(Buffer.from(v, 'hex').readUIntBE(255 * 24 + 2, 6) >= min, 'cq block wholly below min');
    if (key[0] === 0x6b || key[0] === 0x69) assert.ok(key.readUIntBE(key.length - 6, 6) >= min, 'index entry below min');
  }
  assert.equal((await (await openSmall(dir)).findByMessageId('msg-0')).length, 0);
});

test('disk pressure deletes the oldest segments before they expire; a nearly full disk refuses appends', async () => {
  const dir = tmpDir();
  let usedPercent = 50;
  const store = await openSmall(dir, {
    diskMaxUsedSpaceRatio: 75,
    diskFullRatio: 90,
    fileReservedTimeHours: 1000,
    diskUsage: async () => ({ totalBytes: 100 * GIB, freeBytes: (100 - usedPercent) * GIB }),
  });
  for (let n = 0; n < 300; n++) await store.append(msg(n, { body: Buffer.alloc(500) }));
  const segs = segmentFiles(dir).length;
  await store.runRetention();
  assert.equal(segmentFiles(dir).length, segs, 'below the ratio nothing goes');

  usedPercent = 95;
  const usage: boolean[] = [];
  store.events.on('diskUsage', (e) => usage.push(e.diskFull));
  await store.runRetention();
  assert.equal(segmentFiles(dir).length, 1, 'pressure deletes down to the active segment');
  assert.deepEqual(usage, [true]);
  await assert.rejects(store.append(msg(1)), (e: unknown) => isStorageError(e, StorageErrorCode.DISK_FULL));
  const end = store.stats().endOffset;

  usedPercent = 60;
  await store.runRetention();
  const r = await store.append(msg(2));
  assert.equal(r.logOffset, end, 'nothing was written while refused');
  await store.close();
});
