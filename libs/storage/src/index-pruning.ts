import { blockStart, cqBlockKey } from './cq-blocks';
import type { DispatchExtension } from './dispatch';
import type { Kv } from './kv';
import { Metadata } from './metadata';
import { NS, cqKeyQueueOffset, cqQueuePrefix, prefixEnd, queueOffsetKey, trailingLogOffset, u64Value } from './keys';
import type { QueueTable } from './queue-table';
import { readU64 } from './u64';

/** Index deletions are committed in batches of this many keys. */
const PRUNE_BATCH_KEYS = 4_096;

/**
 * Deletes every index entry pointing at or past `endOffset` (the log was cut there by recovery).
 * Consume queues: per queue, walk back from the newest entry. Key and message-id indexes are
 * ordered by key, not offset, so they are scanned whole: this runs only when LevelDB got ahead of
 * a log that lost its tail (power loss in ASYNC_FLUSH, or corruption), never on a normal start.
 * Returns how many consume-queue entries were removed; `dispatched` is rolled back to match.
 */
export async function pruneIndexesFrom(kv: Kv, dispatched: QueueTable, endOffset: number, extensions: readonly DispatchExtension[]): Promise<number> {
  let removed = 0;
  for (const { topic, queueId } of [...dispatched.entries()]) {
    const prefix = cqQueuePrefix(topic, queueId);
    const doomed: Buffer[] = [];
    await kv.forEach({ gte: prefix, lt: prefixEnd(prefix), reverse: true }, (k, v) => {
      if (readU64(v, 0) < endOffset) return false;
      doomed.push(k);
    });
    if (doomed.length === 0) continue;
    const nextOffset = cqKeyQueueOffset(doomed[doomed.length - 1] as Buffer);
    // Blocks first (a crash after this leaves entries the next recovery prunes again): every block
    // from the one holding nextOffset on reaches the cut.
    const blocks = cqQueuePrefix(topic, queueId, NS.consumeQueueBlock);
    await kv.clear({ gte: cqBlockKey(topic, queueId, blockStart(nextOffset)), lt: prefixEnd(blocks) });
    const batch = kv.batch();
    for (const k of doomed) batch.del(k);
    batch.put(queueOffsetKey(topic, queueId), u64Value(nextOffset));
    await batch.write();
    dispatched.set(topic, queueId, nextOffset);
    removed += doomed.length;
  }
  await pruneByTrailingOffset(kv, NS.keyIndex, (o) => o >= endOffset);
  await pruneByTrailingOffset(kv, NS.messageId, (o) => o >= endOffset);
  const metadata = new Metadata(kv);
  for (const ext of extensions) if (ext.onTruncate) await ext.onTruncate(endOffset, metadata);
  return removed;
}

/**
 * Deletes index entries below `minOffset` after retention removed segments. Consume queues lose
 * their oldest entries (a range delete per queue); key and message-id indexes are scanned.
 */
export async function pruneIndexesBelow(kv: Kv, dispatched: QueueTable, minOffset: number): Promise<number> {
  let removed = 0;
  for (const { topic, queueId } of [...dispatched.entries()]) {
    const prefix = cqQueuePrefix(topic, queueId);
    let firstKept: Buffer | undefined;
    let count = 0;
    await kv.forEach({ gte: prefix, lt: prefixEnd(prefix) }, (k, v) => {
      if (readU64(v, 0) >= minOffset) {
        firstKept = k;
        return false;
      }
      count++;
    });
    if (count === 0) continue;
    await kv.clear({ gte: prefix, lt: firstKept ?? prefixEnd(prefix) });
    // Blocks wholly below the oldest kept entry; the one holding it stays (reads start at or above it).
    const blocks = cqQueuePrefix(topic, queueId, NS.consumeQueueBlock);
    await kv.clear({ gte: blocks, lt: firstKept ? cqBlockKey(topic, queueId, blockStart(cqKeyQueueOffset(firstKept))) : prefixEnd(blocks) });
    removed += count;
  }
  await pruneByTrailingOffset(kv, NS.keyIndex, (o) => o < minOffset);
  await pruneByTrailingOffset(kv, NS.messageId, (o) => o < minOffset);
  return removed;
}

async function pruneByTrailingOffset(kv: Kv, ns: number, doomed: (logOffset: number) => boolean): Promise<void> {
  let keys: Buffer[] = [];
  const flush = async () => {
    if (keys.length === 0) return;
    const batch = kv.batch();
    for (const k of keys) batch.del(k);
    keys = [];
    await batch.write();
  };
  const pendingWrites: Promise<void>[] = [];
  await kv.forEach({ gte: Buffer.from([ns]), lt: Buffer.from([ns + 1]) }, (k) => {
    if (doomed(trailingLogOffset(k))) keys.push(k);
    if (keys.length >= PRUNE_BATCH_KEYS) pendingWrites.push(flush());
  });
  await Promise.all(pendingWrites);
  await flush();
}
