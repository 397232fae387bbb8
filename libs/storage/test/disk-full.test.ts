/**
 * A real full disk: the commit log lives on a 2 MiB tmpfs, so writes fail with ENOSPC from the
 * kernel. The failed appends must be refused with DISK_FULL, nothing acknowledged may be lost, the
 * log must not keep partial bytes, and appends must resume once space is freed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StorageErrorCode, isStorageError, type AppendResult } from '../src';
import { openSmall, tmpDir } from './helpers';

function tryMountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('ENOSPC while appending: refused with DISK_FULL, nothing acknowledged lost, resumes after space is freed', async (t) => {
  const root = tmpDir();
  const mnt = path.join(root, 'small-disk');
  fs.mkdirSync(mnt);
  if (!tryMountTmpfs(mnt, '2m')) {
    t.skip('mounting a tmpfs needs root; this check runs where the tests run as root (CI does)');
    return;
  }
  try {
    const filler = path.join(mnt, 'filler');
    fs.writeFileSync(filler, Buffer.alloc(600 * 1024));
    // The store's own disk check is told the disk is fine, so the kernel's ENOSPC is what stops it.
    const store = await openSmall(root, { commitLogDir: path.join(mnt, 'commitlog'), diskUsage: async () => ({ totalBytes: 2 ** 40, freeBytes: 2 ** 39 }) });
    const acked: { n: number; r: AppendResult }[] = [];
    let refused: unknown;
    for (let n = 0; n < 10_000 && !refused; n++) {
      try {
        acked.push({ n, r: await store.append({ topic: 'T', queueId: 0, bornTimestampMs: 1, messageId: `m${n}`, body: Buffer.alloc(4000, n & 0xff) }) });
      } catch (err) {
        refused = err;
      }
    }
    assert.ok(isStorageError(refused, StorageErrorCode.DISK_FULL), `expected DISK_FULL, got ${String(refused)}`);
    assert.ok(acked.length > 100);
    const last = acked[acked.length - 1]!.r;
    assert.equal(store.stats().endOffset, last.logOffset + last.size, 'no partial bytes past the last acknowledged record');
    for (const a of acked) assert.equal((await store.getMessage(a.r.logOffset, a.r.size)).messageId, `m${a.n}`);

    fs.rmSync(filler);
    const after = await store.append({ topic: 'T', queueId: 0, bornTimestampMs: 1, messageId: 'after', body: Buffer.alloc(4000) });
    assert.equal(after.queueOffset, acked.length, 'queue offsets continue without a hole');
    await store.close();

    const reopened = await openSmall(root, { commitLogDir: path.join(mnt, 'commitlog'), diskUsage: async () => ({ totalBytes: 2 ** 40, freeBytes: 2 ** 39 }) });
    const read = await reopened.readQueue('T', 0, 0, 100_000);
    assert.equal(read.entries.length, acked.length + 1);
    await reopened.close();
  } finally {
    execFileSync('umount', [mnt]);
  }
});
