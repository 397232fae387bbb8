/**
 * The disk guard on the append path, and disk-pressure retention that keeps unconsumed messages
 * unless cleanFileForciblyEnable. Disk use is injected: the probe's reading stays stale between
 * measurements exactly as statfs would between checks, so only the guard's own accounting of
 * written and queued bytes can stop a burst.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type MessageStore, type StoreEventMap, StorageErrorCode, isStorageError } from '../src';
import { msg, openSmall, segmentFiles, tmpDir } from './helpers';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const BODY = 8 * 1024;

/** A volume whose used bytes the test sets; the store sees them only when it measures. */
function volume(totalBytes: number, usedBytes: number) {
  const v = { totalBytes, usedBytes, probes: 0 };
  const diskUsage = async () => {
    v.probes++;
    return { totalBytes: v.totalBytes, freeBytes: v.totalBytes - v.usedBytes };
  };
  return { v, diskUsage };
}

const NEVER = { diskCheckIntervalMs: 60_000, diskCheckAfterBytes: GIB };

function record<K extends keyof StoreEventMap>(store: MessageStore, event: K): StoreEventMap[K][] {
  const seen: StoreEventMap[K][] = [];
  store.events.on(event, (e) => seen.push(e));
  return seen;
}

test('a burst is refused before it would cross diskFullRatio, though statfs still shows room', async () => {
  const { diskUsage } = volume(10 * MIB, 8 * MIB); // 80 % used, limit 90 %: 1 MiB of room
  const store = await openSmall(tmpDir(), { diskUsage, diskFullRatio: 90, diskReserveBytes: 0, ...NEVER });
  const guardEvents = record(store, 'diskGuard');
  // 200 appends of 8 KiB in one turn (1.6 MiB): only what fits in 1 MiB may be accepted.
  const settled = await Promise.allSettled(Array.from({ length: 200 }, (_, n) => store.append(msg(n, { body: Buffer.alloc(BODY) }))));
  const ok = settled.filter((s) => s.status === 'fulfilled').map((s) => (s as PromiseFulfilledResult<{ size: number }>).value);
  const refused = settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason as Error);
  const acceptedBytes = ok.reduce((a, r) => a + r.size, 0);
  assert.ok(acceptedBytes <= 1 * MIB, `accepted ${acceptedBytes} bytes, room was ${MIB}`);
  assert.ok(acceptedBytes > MIB - 2 * (BODY + 512), `accepted only ${acceptedBytes} bytes`);
  assert.ok(refused.length > 0 && refused.every((e) => isStorageError(e, StorageErrorCode.DISK_FULL)));
  assert.match(refused[0]!.message, /^disk full: 9\d\.\d % used, .* free \(limit 90 %, reserve 0\.0 MiB\): writes are refused until space is freed$/);
  assert.deepEqual(
    guardEvents.map((e) => [e.state, e.limitPercent]),
    [['refusing', 90]],
  );
  assert.ok(guardEvents[0]!.usedPercent >= 89.9, `usedPercent ${guardEvents[0]!.usedPercent}`);
  const s = store.stats();
  assert.equal(s.diskFull, true);
  assert.equal(s.diskGuardState, 'refusing');
  assert.equal(s.diskRefusedAppends, refused.length);
  // Refusing means every append, even one that would fit.
  await assert.rejects(store.append(msg(1, { body: Buffer.alloc(1) })), (e: unknown) => isStorageError(e, StorageErrorCode.DISK_FULL));
  await store.close();
});

test('the reserve stays free whatever the ratio says', async () => {
  const { diskUsage } = volume(100 * MIB, 50 * MIB); // 50 % used; ratio allows 90 MiB, reserve 49.5 MiB allows 50.5 MiB
  const store = await openSmall(tmpDir(), { diskUsage, diskFullRatio: 90, diskReserveBytes: 49.5 * MIB, ...NEVER });
  let accepted = 0;
  let refused: unknown;
  for (let n = 0; n < 1000 && !refused; n++) {
    try {
      accepted += (await store.append(msg(n, { body: Buffer.alloc(BODY) }))).size;
    } catch (err) {
      refused = err;
    }
  }
  assert.ok(isStorageError(refused, StorageErrorCode.DISK_FULL), String(refused));
  // Written bytes count up to the end of each filled segment (the unused tail of a 64 KiB segment
  // after its last 8 KiB record), so the guard stops somewhat early here, never late.
  assert.ok(accepted <= 0.5 * MIB && accepted > 0.4 * MIB, `accepted ${accepted}`);
  assert.match((refused as Error).message, /reserve 49\.5 MiB/);
  await store.close();
});

test('writes resume by themselves once a measurement finds space again; measured at once after enough bytes', async () => {
  const { v, diskUsage } = volume(10 * MIB, 9.5 * MIB); // above the limit from the start
  const store = await openSmall(tmpDir(), { diskUsage, diskFullRatio: 90, diskReserveBytes: 0, diskCheckIntervalMs: 20, diskCheckAfterBytes: 64 * 1024 });
  const guardEvents = record(store, 'diskGuard');
  await assert.rejects(store.append(msg(0)), (e: unknown) => isStorageError(e, StorageErrorCode.DISK_FULL));
  assert.equal(store.stats().diskGuardState, 'refusing');
  v.usedBytes = 5 * MIB; // space freed elsewhere; nobody calls the store
  while (store.stats().diskGuardState !== 'accepting') await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(
    guardEvents.map((e) => e.state),
    ['accepting'],
    'opened refusing (measured at open), then one switch back',
  );
  await store.append(msg(1));
  // diskCheckAfterBytes: 64 KiB written since the last measurement triggers one at once.
  const before = v.probes;
  for (let n = 0; n < 20; n++) await store.append(msg(n, { body: Buffer.alloc(BODY) }));
  assert.ok(v.probes > before);
  await store.close();
});

/** Entries per queue as (queueId, queueOffset, logOffset). */
async function allEntries(store: MessageStore) {
  const out: { queueId: number; queueOffset: number; logOffset: number }[] = [];
  for (let q = 0; q < 4; q++) {
    const r = await store.readQueue('TopicA', q, 0, 10_000);
    for (const e of r.entries) out.push({ queueId: q, queueOffset: e.queueOffset, logOffset: e.logOffset });
  }
  return out;
}

async function fill(dir: string, extra: Parameters<typeof openSmall>[1]) {
  let usedPercent = 50;
  const store = await openSmall(dir, {
    diskMaxUsedSpaceRatio: 75,
    fileReservedTimeHours: 1000,
    diskUsage: async () => ({ totalBytes: 100 * GIB, freeBytes: (100 - usedPercent) * GIB }),
    ...extra,
  });
  for (let n = 0; n < 300; n++) await store.append(msg(n, { body: Buffer.alloc(500) }));
  await store.whenDispatched();
  return { store, setUsed: (p: number) => (usedPercent = p) };
}

test('disk pressure keeps a segment some group has not consumed (cleanFileForciblyEnable off), deletes it once consumed', async () => {
  const dir = tmpDir();
  const { store, setUsed } = await fill(dir, {});
  const entries = await allEntries(store);
  const segs = segmentFiles(dir).length;
  assert.ok(segs >= 3);
  for (let q = 0; q < 4; q++) await store.setConsumerOffset('done', 'TopicA', q, store.getMaxQueueOffset('TopicA', q));
  await store.setConsumerOffset('behind', 'TopicA', 0, 0); // claims all of queue 0; no offsets elsewhere: no claim there
  const blocked = record(store, 'pressureDeletionBlocked');
  const forced = record(store, 'forcedDeletion');
  setUsed(80);
  await store.runRetention();
  assert.equal(segmentFiles(dir).length, segs, 'nothing deleted');
  const inFirst = entries.filter((e) => e.queueId === 0 && e.logOffset < 64 * 1024).length;
  assert.deepEqual(blocked, [{ startOffset: 0, usedPercent: 80, limitPercent: 75, unconsumedByGroup: { behind: inFirst } }]);
  assert.equal((await store.readQueue('TopicA', 0, 0, 1)).status, 'FOUND');

  await store.setConsumerOffset('behind', 'TopicA', 0, store.getMaxQueueOffset('TopicA', 0));
  await store.runRetention();
  assert.equal(segmentFiles(dir).length, 1, 'consumed by every group: deleted down to the active segment');
  assert.equal(forced.length, 0);
  await store.close();
});

test('cleanFileForciblyEnable deletes under pressure and reports, per group, the unconsumed messages dropped', async () => {
  const dir = tmpDir();
  const { store, setUsed } = await fill(dir, { cleanFileForciblyEnable: true });
  const entries = await allEntries(store);
  for (let q = 0; q < 4; q++) await store.setConsumerOffset('g-all', 'TopicA', q, 0);
  await store.setConsumerOffset('g-q1', 'TopicA', 1, 10);
  await store.setConsumerOffset('g-done', 'TopicA', 2, store.getMaxQueueOffset('TopicA', 2));
  const forced = record(store, 'forcedDeletion');
  const deleted = record(store, 'segmentDeleted');
  setUsed(80);
  await store.runRetention();
  assert.equal(segmentFiles(dir).length, 1);
  const min = store.stats().minOffset;
  const gone = entries.filter((e) => e.logOffset < min);
  const expected = { 'g-all': gone.length, 'g-q1': gone.filter((e) => e.queueId === 1 && e.queueOffset >= 10).length };
  const got: Record<string, number> = {};
  for (const f of forced) for (const [g, n] of Object.entries(f.unconsumedByGroup)) got[g] = (got[g] ?? 0) + n;
  assert.deepEqual(got, expected);
  assert.equal(forced.length, deleted.length, 'one report per deleted segment');
  assert.ok(deleted.every((d) => d.reason === 'disk-pressure'));
  assert.deepEqual(
    forced.map((f) => [f.startOffset, f.endOffset - f.startOffset]),
    deleted.map((d) => [d.startOffset, 64 * 1024]),
  );
  await store.close();
});

test('updateLiveConfig: a lower diskFullRatio takes effect at the next check; bad or fixed keys change nothing', async () => {
  const { diskUsage } = volume(10 * MIB, 5 * MIB); // 50 % used
  const store = await openSmall(tmpDir(), { diskUsage, diskFullRatio: 90, diskMaxUsedSpaceRatio: 75, diskReserveBytes: 0, ...NEVER });
  try {
    await store.checkDisk();
    assert.equal(store.stats().diskGuardState, 'accepting');
    const live = store.updateLiveConfig({ diskMaxUsedSpaceRatio: 30, diskFullRatio: 40, fileReservedTimeHours: 1 });
    assert.deepEqual([live.diskMaxUsedSpaceRatio, live.diskFullRatio, live.fileReservedTimeHours], [30, 40, 1]);
    await store.checkDisk();
    assert.equal(store.stats().diskGuardState, 'refusing', '50 % used is past the new 40 %');
    await assert.rejects(async () => store.append(msg(1)), (e: Error) => isStorageError(e, StorageErrorCode.DISK_FULL));

    assert.throws(() => store.updateLiveConfig({ diskFullRatio: 5 }), (e: Error) => isStorageError(e, StorageErrorCode.INVALID_CONFIG));
    assert.throws(
      () => store.updateLiveConfig({ segmentSizeBytes: 1 } as never),
      (e: Error) => isStorageError(e, StorageErrorCode.INVALID_CONFIG) && /cannot change while the store runs/.test(e.message),
    );
    assert.equal(store.config.diskFullRatio, 40, 'a refused change leaves the values as they were');
    store.updateLiveConfig({ diskFullRatio: 90 });
    await store.checkDisk();
    assert.equal(store.stats().diskGuardState, 'accepting');
  } finally {
    await store.close();
  }
});
