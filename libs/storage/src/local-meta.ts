import { randomUUID } from 'node:crypto';
import { StorageError, StorageErrorCode } from './errors';
import { metaKey } from './keys';
import type { Kv } from './kv';

/*
 * Values that belong to this store directory alone, in LevelDB's 'm' namespace (never replicated):
 *
 *   'm' | "storeId"          -> UUID, ASCII (36 bytes); made at the first open, never changed
 *   'm' | "local." | name    -> caller's bytes (setLocalMeta: e.g. the master's store id, the
 *                               highest confirm offset seen)
 *
 * The "local." prefix keeps callers' names apart from the store's own (dispatchedOffset, ...).
 */
const META_STORE_ID = 'storeId';
const LOCAL_PREFIX = 'local.';
const LOCAL_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_LOCAL_VALUE_BYTES = 64 * 1024;

/** The store's id, created on the first open (stores that predate ids get one now). */
export async function loadOrCreateStoreId(kv: Kv): Promise<string> {
  const stored = await kv.get(metaKey(META_STORE_ID));
  if (stored && stored.length > 0) return stored.toString('latin1');
  const id = randomUUID();
  await kv.put(metaKey(META_STORE_ID), Buffer.from(id, 'latin1'));
  return id;
}

function localKey(name: string): Buffer {
  if (typeof name !== 'string' || !LOCAL_NAME.test(name)) {
    throw new StorageError(StorageErrorCode.ILLEGAL_ARGUMENT, `local meta name must match ${LOCAL_NAME}, got ${JSON.stringify(String(name).slice(0, 80))}`);
  }
  return metaKey(LOCAL_PREFIX + name);
}

export async function getLocalMeta(kv: Kv, name: string): Promise<Buffer | undefined> {
  return kv.get(localKey(name));
}

export async function setLocalMeta(kv: Kv, name: string, value: Buffer): Promise<void> {
  const key = localKey(name);
  if (!Buffer.isBuffer(value) || value.length > MAX_LOCAL_VALUE_BYTES) {
    throw new StorageError(StorageErrorCode.ILLEGAL_ARGUMENT, `local meta ${name}: value must be a Buffer of at most ${MAX_LOCAL_VALUE_BYTES} bytes`);
  }
  await kv.put(key, value);
}
