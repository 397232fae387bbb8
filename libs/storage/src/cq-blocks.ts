import type { CqEntry } from './keys';
import { CQ_VALUE_BYTES, NS, cqKey, cqKeyQueueOffset } from './keys';
import type { Kv, KvBatch } from './kv';
import { readU64, writeU64 } from './u64';

/**
 * Consume-queue blocks: a second copy of each queue's entries, 256 to a LevelDB value, written
 * once a run of 256 is complete. A reader that is behind (a consumer catching up on a backlog)
 * gets 256 entries with one `get` instead of iterating 256 keys: measured with
 * tools/benchmark/scripts/cq-range-read.cjs, ~4 us of CPU per iterated entry through classic-level
 * (a key and a value Buffer each) against 46-90 us for the whole block. RocketMQ reads its consume
 * queue as 20-byte units from mapped files for the same reason.
 *
 * The per-entry keys stay the store's truth (point lookups, the oldest entry, pruning, recovery);
 * a block is an accelerator written in the same batch as the entry that completes it, so the two
 * never disagree, and a missing block only means the slower read. Blocks are deleted with their
 * entries: by truncation (every block reaching the cut), by retention (blocks wholly below the
 * oldest kept entry) and with a deleted topic.
 *
 *   value = entry[0] | entry[1] | ... | entry[255]      entry = the 24-byte consume-queue value
 *           (queue offsets firstQueueOffset .. firstQueueOffset + 255; the key holds the first)
 */
export const CQ_BLOCK_ENTRIES = 256;
export const CQ_BLOCK_BYTES = CQ_BLOCK_ENTRIES * CQ_VALUE_BYTES;
/** Queues with a block being filled; past this the oldest-started one is dropped (6 KiB each). */
export const CQ_OPEN_BLOCKS_MAX = 4_096;

/** First queue offset of the block holding `queueOffset`. */
export function blockStart(queueOffset: number): number {
  return queueOffset - (queueOffset % CQ_BLOCK_ENTRIES);
}

export function cqBlockKey(topic: string, queueId: number, firstQueueOffset: number): Buffer {
  return cqKey(topic, queueId, firstQueueOffset, NS.consumeQueueBlock);
}

/** One queue's block being filled: valid while it holds a contiguous run from a block start. */
export class OpenBlock {
  constructor(
    readonly topic: string,
    readonly queueId: number,
  ) {}

  /** Block start of the run held, or -1 while the run did not start at one (after a gap). */
  first = -1;
  /** The queue offset that must come next for the run to stay contiguous. */
  next = -1;
  bytes: Buffer | undefined;
}

/** What the dispatcher hands over per record (a subset of DispatchRequest). */
export interface BlockEntry {
  queueOffset: number;
  logOffset: number;
  size: number;
  tagHash: number;
  storeTimestampMs: number;
}

/**
 * The dispatcher's side: collects each queue's entries as they are put in a round's batch and
 * puts the block in the same batch when its 256th entry arrives. Any entry that does not follow
 * the previous one (a round retried after an error, a truncation, a recreated topic, a restart in
 * the middle of a block) abandons the open block; the next block start begins a new one.
 */
export class CqBlockBuilder {
  private readonly open = new Map<string, OpenBlock>();
  /** An open block was dropped for room: from then on new ones are not primed (see needsPriming). */
  private evicted = false;

  /** The open block of a queue, for a run of its records (look it up once per run). */
  queue(topic: string, queueId: number): OpenBlock {
    const id = `${queueId}\u0000${topic}`;
    let block = this.open.get(id);
    if (!block) {
      if (this.open.size >= CQ_OPEN_BLOCKS_MAX) {
        this.open.delete(this.open.keys().next().value as string);
        this.evicted = true;
      }
      block = new OpenBlock(topic, queueId);
      this.open.set(id, block);
    }
    return block;
  }

  /**
   * A queue first seen in the middle of a block (after a restart, a truncation or a reset) has
   * its earlier entries in LevelDB only: load them once, so the block is written when it
   * completes, as it would have been without the restart. Past CQ_OPEN_BLOCKS_MAX busy queues
   * this stops (each reappearing queue would cost a LevelDB read); their blocks start fresh.
   */
  needsPriming(block: OpenBlock, queueOffset: number): boolean {
    return block.next === -1 && queueOffset % CQ_BLOCK_ENTRIES !== 0 && !this.evicted;
  }

  async prime(block: OpenBlock, queueOffset: number, kv: Kv): Promise<void> {
    const first = blockStart(queueOffset);
    const bytes = (block.bytes ??= Buffer.allocUnsafe(CQ_BLOCK_BYTES));
    let expected = first;
    await kv.forEach({ gte: cqKey(block.topic, block.queueId, first), lt: cqKey(block.topic, block.queueId, queueOffset) }, (k, v) => {
      if (cqKeyQueueOffset(k) !== expected || v.length !== CQ_VALUE_BYTES) return false;
      v.copy(bytes, (expected - first) * CQ_VALUE_BYTES);
      expected++;
    });
    block.next = queueOffset;
    block.first = expected === queueOffset ? first : -1; // pruned or missing entries: not this block
  }

  /** Adds one entry; puts the block in `batch` when this entry completes it. */
  add(block: OpenBlock, e: BlockEntry, batch: KvBatch): void {
    const q = e.queueOffset;
    if (q % CQ_BLOCK_ENTRIES === 0) block.first = q;
    else if (q !== block.next) block.first = -1;
    block.next = q + 1;
    if (block.first < 0) return;
    const bytes = (block.bytes ??= Buffer.allocUnsafe(CQ_BLOCK_BYTES));
    const at = (q - block.first) * CQ_VALUE_BYTES;
    writeU64(bytes, e.logOffset, at);
    bytes.writeUInt32BE(e.size, at + 8);
    bytes.writeUInt32BE(e.tagHash, at + 12);
    writeU64(bytes, e.storeTimestampMs, at + 16);
    if (q - block.first === CQ_BLOCK_ENTRIES - 1) {
      // A copy: the open block's buffer is refilled by the next run while the batch may hold on.
      batch.put(cqBlockKey(block.topic, block.queueId, block.first), Buffer.from(bytes));
      block.first = -1;
    }
  }

  /** The log was cut or restarted elsewhere: every open run is abandoned. */
  clear(): void {
    this.open.clear();
    this.evicted = false;
  }
}

/**
 * Entries [fromOffset, stopOffset) of a block read back (stopOffset within the block), filtered by
 * tag hash, at most `room` kept; returns the queue offset after the last one examined.
 */
export function readBlockEntries(
  block: Buffer,
  firstQueueOffset: number,
  fromOffset: number,
  stopOffset: number,
  room: number,
  tagHashes: ReadonlySet<number> | undefined,
  into: CqEntry[],
): number {
  let kept = 0;
  let q = fromOffset;
  while (q < stopOffset && kept < room) {
    const at = (q - firstQueueOffset) * CQ_VALUE_BYTES;
    const hash = block.readUInt32BE(at + 12);
    if (!tagHashes || tagHashes.has(hash)) {
      into.push({ queueOffset: q, logOffset: readU64(block, at), size: block.readUInt32BE(at + 8), tagHash: hash, storeTimestampMs: readU64(block, at + 16) });
      kept++;
    }
    q++;
  }
  return q;
}
