import * as fs from 'node:fs';
import * as path from 'node:path';
import { StorageError, StorageErrorCode } from './errors';
import { metaKey, u64Value } from './keys';
import type { Kv } from './kv';
import { fsyncDir } from './segment';
import { readU64 } from './u64';

/*
 * A store's root directory: who may open it, and the files beside the commit log.
 *
 *   <rootDir>/index/       LevelDB (its LOCK file is the cross-process lock)
 *   <rootDir>/checkpoint   newest offset known to be on disk
 *   <rootDir>/abort        present while the store is open: found at open, the last run crashed
 */
const ABORT_FILE = 'abort';
const CHECKPOINT_FILE = 'checkpoint';
const INDEX_DIR = 'index';
const META_SEGMENT_SIZE = 'segmentSizeBytes';

/**
 * Store directories open in this process. LevelDB's LOCK is an fcntl lock, and a second open of
 * the same LOCK file in one process closes its fd on failure, which silently drops the first
 * holder's lock (POSIX releases a process's fcntl locks on any close). So in-process double opens
 * are refused here, before LevelDB is touched.
 */
const openInProcess = new Set<string>();

/** Creates the directory if needed and claims it for this process; returns the key to release. */
export async function claimInProcess(rootDir: string): Promise<string> {
  await fs.promises.mkdir(rootDir, { recursive: true });
  const lockKey = await fs.promises.realpath(rootDir);
  if (openInProcess.has(lockKey)) {
    throw new StorageError(StorageErrorCode.STORE_LOCKED, `store ${rootDir} is already open in this process`);
  }
  openInProcess.add(lockKey);
  return lockKey;
}

export function releaseInProcess(lockKey: string): void {
  openInProcess.delete(lockKey);
}

export function indexDirOf(rootDir: string): string {
  return path.join(rootDir, INDEX_DIR);
}

export function checkpointFileOf(rootDir: string): string {
  return path.join(rootDir, CHECKPOINT_FILE);
}

/** True when the last run closed the store (no abort marker left behind). */
export function wasClosedCleanly(rootDir: string): boolean {
  return !fs.existsSync(path.join(rootDir, ABORT_FILE));
}

/** Leaves the abort marker, so a crash from here on is noticed at the next open. */
export async function markOpen(rootDir: string): Promise<void> {
  await fs.promises.writeFile(path.join(rootDir, ABORT_FILE), `${process.pid}\n`);
  await fsyncDir(rootDir);
}

export async function markClosed(rootDir: string): Promise<void> {
  await fs.promises.rm(path.join(rootDir, ABORT_FILE), { force: true });
  await fsyncDir(rootDir);
}

/** The segment size is fixed at creation: a different one would misplace every offset. */
export async function checkSegmentSize(kv: Kv, segmentSizeBytes: number): Promise<void> {
  const stored = await kv.get(metaKey(META_SEGMENT_SIZE));
  if (!stored) {
    await kv.put(metaKey(META_SEGMENT_SIZE), u64Value(segmentSizeBytes));
    return;
  }
  const created = readU64(stored, 0);
  if (created !== segmentSizeBytes) {
    throw new StorageError(
      StorageErrorCode.INVALID_CONFIG,
      `invalid store config segmentSizeBytes=${segmentSizeBytes}: the store was created with ${created} and cannot change it`,
    );
  }
}
