import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StorageErrorCode, isStorageError } from '../src';
import { Kv } from '../src/kv';
import { metaKey } from '../src/keys';
import { msg, openSmall, tmpDir } from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('storeId is made at the first open, kept across reopens, differs between stores, and is added to older stores', async () => {
  const dir = tmpDir();
  const a = await openSmall(dir);
  const id = a.identity();
  assert.match(id.storeId, UUID);
  assert.equal(id.segmentSizeBytes, 64 * 1024);
  await a.close();
  const again = await openSmall(dir);
  assert.equal(again.identity().storeId, id.storeId);
  await again.close();
  const other = await openSmall(tmpDir());
  assert.notEqual(other.identity().storeId, id.storeId);
  await other.close();
  // A store that predates ids: no key in meta.
  const kv = await Kv.open(path.join(dir, 'index'));
  await kv.del(metaKey('storeId'));
  await kv.close();
  const old = await openSmall(dir);
  assert.match(old.identity().storeId, UUID);
  const newId = old.identity().storeId;
  await old.close();
  const later = await openSmall(dir);
  assert.equal(later.identity().storeId, newId);
  await later.close();
});

test('local meta: round trip, kept across reopen, safe names only, never in the state snapshot', async () => {
  const dir = tmpDir();
  const store = await openSmall(dir);
  assert.equal(await store.getLocalMeta('masterStoreId'), undefined);
  await store.setLocalMeta('masterStoreId', Buffer.from('abc'));
  await store.setLocalMeta('confirm.offset', Buffer.from([1, 2, 3]));
  const isIllegal = (e: unknown) => isStorageError(e, StorageErrorCode.ILLEGAL_ARGUMENT);
  await assert.rejects(store.setLocalMeta('../x y', Buffer.from('1')), isIllegal);
  await assert.rejects(store.getLocalMeta(''), isIllegal);
  await assert.rejects(store.setLocalMeta('a'.repeat(65), Buffer.from('1')), isIllegal);
  assert.equal(await store.stateSnapshot(async () => undefined), 0);
  await store.close();
  const again = await openSmall(dir);
  assert.deepEqual(await again.getLocalMeta('masterStoreId'), Buffer.from('abc'));
  assert.deepEqual(await again.getLocalMeta('confirm.offset'), Buffer.from([1, 2, 3]));
  await again.close();
});

test('epoch file: beginMasterEpoch rules, exact text format, round trip across reopen, atomic replace', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'epoch');
  const store = await openSmall(dir);
  assert.deepEqual(store.epochs(), []);
  assert.equal(fs.existsSync(file), false, 'no file until the first entry');
  assert.deepEqual(await store.beginMasterEpoch(), { epoch: 1, startOffset: 0 });
  assert.deepEqual(await store.beginMasterEpoch(), { epoch: 1, startOffset: 0 }, 'a term that wrote nothing is reused');
  assert.equal(store.epochs().length, 1);
  for (let n = 0; n < 20; n++) await store.append(msg(n));
  const end = store.stats().endOffset;
  assert.deepEqual(await store.beginMasterEpoch(), { epoch: 2, startOffset: end });
  assert.equal(fs.readFileSync(file, 'utf8'), `1 0\n2 ${end}\n`);
  assert.equal(fs.existsSync(file + '.tmp'), false);
  await store.close();

  fs.writeFileSync(file + '.tmp', 'garbage from a crash mid-replace');
  const again = await openSmall(dir);
  assert.deepEqual(again.epochs(), [
    { epoch: 1, startOffset: 0 },
    { epoch: 2, startOffset: end },
  ]);
  assert.equal(fs.existsSync(file + '.tmp'), false, 'a leftover temp file is removed');
  assert.deepEqual(await again.beginMasterEpoch(), { epoch: 2, startOffset: end });
  await again.append(msg(99));
  const end2 = again.stats().endOffset;
  assert.deepEqual(await again.beginMasterEpoch(), { epoch: 3, startOffset: end2 });
  // The returned list is a copy.
  (again.epochs() as unknown as { epoch: number }[])[0]!.epoch = 42;
  assert.equal(again.epochs()[0]!.epoch, 1);
  await again.close();
});

test('appendEpoch checks epoch order and the start offset range', async () => {
  const store = await openSmall(tmpDir());
  for (let n = 0; n < 10; n++) await store.append(msg(n));
  const end = store.stats().endOffset;
  const isIllegal = (e: unknown) => isStorageError(e, StorageErrorCode.ILLEGAL_ARGUMENT);
  await store.appendEpoch(4, 100);
  await assert.rejects(store.appendEpoch(4, 200), isIllegal);
  await assert.rejects(store.appendEpoch(3, 200), isIllegal);
  await assert.rejects(store.appendEpoch(5, 99), isIllegal);
  await assert.rejects(store.appendEpoch(5, end + 1), isIllegal);
  await assert.rejects(store.appendEpoch(0.5, end), isIllegal);
  await store.appendEpoch(5, 100);
  await store.appendEpoch(9, end);
  assert.deepEqual(store.epochs(), [
    { epoch: 4, startOffset: 100 },
    { epoch: 5, startOffset: 100 },
    { epoch: 9, startOffset: end },
  ]);
  await store.close();
});

test('a torn or malformed epoch file refuses the open with the file and line named', async () => {
  const cases: [string, RegExp][] = [
    ['1 0\n2 100', /line 2: the last line does not end in a newline/],
    ['1 0\n2 x\n', /line 2: expected "<epoch> <startOffset>"/],
    ['1 0\n\n', /line 2: expected/],
    ['2 0\n1 100\n', /line 2: entry 1 100 does not follow 2 0/],
    ['1 100\n2 50\n', /line 2: entry 2 50 does not follow 1 100/],
    ['0 0\n', /line 1: expected/],
    ['1  0\n', /line 1: expected/],
  ];
  for (const [text, why] of cases) {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'epoch'), text);
    await assert.rejects(
      openSmall(dir),
      (e) => isStorageError(e, StorageErrorCode.CORRUPT_RECORD) && why.test((e as Error).message) && (e as Error).message.includes(path.join(dir, 'epoch')),
      JSON.stringify(text),
    );
    // The failed open released the directory: fixing the file lets it open.
    fs.writeFileSync(path.join(dir, 'epoch'), '1 0\n');
    const store = await openSmall(dir);
    assert.deepEqual(store.epochs(), [{ epoch: 1, startOffset: 0 }]);
    await store.close();
  }
});

test('epochs past a tail that recovery cut are dropped at open', async () => {
  const dir = tmpDir();
  const store = await openSmall(dir, { flushDiskType: 'SYNC_FLUSH' });
  for (let n = 0; n < 30; n++) await store.append(msg(n));
  const end = store.stats().endOffset;
  await store.appendEpoch(1, 0);
  await store.appendEpoch(2, end);
  await store.close();
  // Lose the last bytes of the log (a torn tail).
  const seg = path.join(dir, 'commitlog', '00000000000000000000');
  fs.truncateSync(seg, end - 10);
  const again = await openSmall(dir);
  assert.ok(again.stats().endOffset < end);
  assert.deepEqual(again.epochs(), [{ epoch: 1, startOffset: 0 }]);
  await again.close();
});
