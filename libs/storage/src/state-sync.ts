import { StorageError, StorageErrorCode } from './errors';
import { NS } from './keys';
import type { Kv, KvBatch } from './kv';

/**
 * One change to the replicable state, in raw LevelDB keys (see keys.ts): consumer offsets ('o')
 * and broker metadata namespaces ('x': topics, groups, pop state, timer and transaction
 * progress). Consume-queue, key and message-id indexes are not state: a replica rebuilds them by
 * dispatching the replicated log. Store meta ('m') belongs to one store and is never copied.
 * 'clear' deletes every key k with gte <= k < lt.
 */
export type StateOp = { kind: 'put'; key: Buffer; value: Buffer } | { kind: 'del'; key: Buffer } | { kind: 'clear'; gte: Buffer; lt: Buffer };

/** Key namespaces (first key byte) that replicate; each range is [ns, ns + 1). */
const REPLICABLE_NAMESPACES: readonly number[] = [NS.consumerOffset, NS.metadata];
const REPLICABLE_NAMES = "0x6f 'o' (consumer offsets), 0x78 'x' (metadata)";
/** One iterator over [first, last + 1) reads every replicable key from a single snapshot. */
const SNAPSHOT_RANGE = { gte: Buffer.from([NS.consumerOffset]), lt: Buffer.from([NS.metadata + 1]) };

/** The replicable ranges as 'clear' ops, in key order. */
export function replicableRanges(): { kind: 'clear'; gte: Buffer; lt: Buffer }[] {
  return REPLICABLE_NAMESPACES.map((ns) => ({ kind: 'clear' as const, gte: Buffer.from([ns]), lt: Buffer.from([ns + 1]) }));
}

function isReplicableKey(key: Buffer): boolean {
  return key.length > 1 && REPLICABLE_NAMESPACES.includes(key[0] as number);
}

function prefixName(key: Buffer): string {
  if (key.length === 0) return 'an empty key';
  const b = key[0] as number;
  const shown = b >= 0x20 && b < 0x7f ? ` '${String.fromCharCode(b)}'` : '';
  return `key prefix 0x${b.toString(16).padStart(2, '0')}${shown}`;
}

function refuse(message: string): never {
  throw new StorageError(StorageErrorCode.ILLEGAL_ARGUMENT, message);
}

/** Every key, and every clear range, must lie inside one replicable namespace. */
export function checkStateOps(ops: readonly StateOp[]): void {
  for (const op of ops) {
    if (op.kind === 'put' || op.kind === 'del') {
      if (!Buffer.isBuffer(op.key)) refuse(`state op ${op.kind}: key must be a Buffer`);
      if (op.kind === 'put' && !Buffer.isBuffer(op.value)) refuse('state op put: value must be a Buffer');
      if (!isReplicableKey(op.key)) refuse(`state op ${op.kind}: ${prefixName(op.key)} is outside the replicable ranges ${REPLICABLE_NAMES}`);
    } else if (op.kind === 'clear') {
      if (!Buffer.isBuffer(op.gte) || !Buffer.isBuffer(op.lt)) refuse('state op clear: gte and lt must be Buffers');
      const ns = op.gte[0];
      const inside =
        ns !== undefined && REPLICABLE_NAMESPACES.includes(ns) && Buffer.compare(op.lt, Buffer.from([ns + 1])) <= 0 && Buffer.compare(op.gte, op.lt) <= 0;
      if (!inside) refuse(`state op clear: range from ${prefixName(op.gte)} to ${prefixName(op.lt)} is not inside one replicable range ${REPLICABLE_NAMES}`);
    } else {
      refuse(`unknown state op kind ${JSON.stringify((op as { kind: unknown }).kind)}`);
    }
  }
}

/**
 * Visits every replicable key as 'put' ops in key order, about `chunkBytes` of keys and values per
 * call. The iterator reads one LevelDB snapshot: writes made meanwhile reach the caller as
 * 'stateChanged' events instead. Returns how many keys were visited.
 */
export async function snapshotState(kv: Kv, visit: (ops: StateOp[]) => Promise<void>, chunkBytes: number): Promise<number> {
  let ops: StateOp[] = [];
  let bytes = 0;
  let count = 0;
  for await (const entries of kv.chunks(SNAPSHOT_RANGE)) {
    for (const [key, value] of entries) {
      if (!isReplicableKey(key)) continue; // queue counters ('q') sit between 'o' and 'x'
      ops.push({ kind: 'put', key, value });
      bytes += key.length + value.length;
      count++;
      if (bytes >= chunkBytes) {
        await visit(ops);
        ops = [];
        bytes = 0;
      }
    }
  }
  if (ops.length > 0) await visit(ops);
  return count;
}

/**
 * Writes `ops` (after `replaceAll`: every replicable range cleared first) in ONE LevelDB batch, so
 * a replica holds the old state or the new, never half. LevelDB batches have no range delete: a
 * 'clear' becomes a del of every key the range holds now (read first) and of every key an earlier
 * op of the same call put there, in op order, so later puts in the call survive it. Callers run one
 * apply at a time (a concurrent one could put a key between the read and the write). Returns the
 * ops as applied ('clear' ops of the replaced ranges first).
 */
export async function applyStateOps(kv: Kv, ops: readonly StateOp[], replaceAll: boolean): Promise<StateOp[]> {
  checkStateOps(ops);
  const applied: StateOp[] = replaceAll ? [...replicableRanges(), ...ops] : [...ops];
  const batch = kv.batch();
  const putKeys: Buffer[] = [];
  for (const op of applied) {
    if (op.kind === 'put') {
      batch.put(op.key, op.value);
      putKeys.push(op.key);
    } else if (op.kind === 'del') {
      batch.del(op.key);
    } else {
      await deleteRange(kv, batch, op.gte, op.lt, putKeys);
    }
  }
  await batch.write();
  return applied;
}

async function deleteRange(kv: Kv, batch: KvBatch, gte: Buffer, lt: Buffer, putKeys: readonly Buffer[]): Promise<void> {
  await kv.forEach({ gte, lt }, (key) => void batch.del(key));
  for (const key of putKeys) if (Buffer.compare(key, gte) >= 0 && Buffer.compare(key, lt) < 0) batch.del(key);
}
