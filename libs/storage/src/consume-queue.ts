import { CQ_BLOCK_BYTES, CQ_BLOCK_ENTRIES, blockStart, cqBlockKey, readBlockEntries } from './cq-blocks';
import type { ConsumeQueueTail } from './cq-tail';
import type { Kv } from './kv';
import { type CqEntry, CQ_VALUE_BYTES, cqKey, cqKeyQueueOffset, cqQueuePrefix, decodeCqValue, prefixEnd } from './keys';
import { QueueTable } from './queue-table';
import { tagHash } from './tag-hash';
import { readU64 } from './u64';

/** Outcome of a range read, with the queue's bounds so the caller can correct its offset. */
export type QueueReadStatus =
  /** Entries returned (possibly none when the filter matched nothing in the scanned window). */
  | 'FOUND'
  /** fromOffset is below the oldest retained entry; nextOffset is that oldest entry. */
  | 'OFFSET_TOO_SMALL'
  /** fromOffset is past the newest entry + 1; nextOffset is maxOffset. */
  | 'OFFSET_OVERFLOW'
  /** fromOffset equals maxOffset: nothing new yet (a long poll waits here). */
  | 'NO_NEW_MESSAGES';

export interface QueueRead {
  status: QueueReadStatus;
  entries: CqEntry[];
  /** Where the next read should start. */
  nextOffset: number;
  minOffset: number;
  maxOffset: number;
}

export interface QueueReadOptions {
  /**
   * Only entries whose tag is one of these (undefined: every entry). Matched by the tag hash in the
   * consume queue; the caller confirms the exact tag on the record (hashes can collide).
   */
  tags?: Iterable<string>;
  /** Bound on entries examined when filtering, so a sparse filter cannot scan a whole queue. */
  maxScanEntries?: number;
}

/** Default bound on entries examined per filtered read. */
const DEFAULT_MAX_SCAN_ENTRIES = 16_384;

/**
 * Reads of the consume queues: 'c' entries in LevelDB, the newest ones from memory (cq-tail.ts),
 * bounds from the dispatcher's table.
 */
export class ConsumeQueues {
  /**
   * Oldest entry per queue, looked up once and then kept: it only moves when retention prunes or a
   * topic is deleted, and both call forget().
   */
  private readonly minOffsets = new QueueTable();
  private readonly minKnown = new QueueTable();

  constructor(
    private readonly kv: Kv,
    private readonly dispatched: QueueTable,
    private readonly tail: ConsumeQueueTail,
  ) {}

  maxOffset(topic: string, queueId: number): number {
    return this.dispatched.get(topic, queueId);
  }

  async minOffset(topic: string, queueId: number): Promise<number> {
    if (this.minKnown.get(topic, queueId) === 1) return this.minOffsets.get(topic, queueId);
    const prefix = cqQueuePrefix(topic, queueId);
    // Read the end BEFORE looking: an entry dispatched during the lookup must not make the
    // (then empty-looking) queue start past it, or readers would skip it as retention-deleted.
    const endBefore = this.maxOffset(topic, queueId);
    const first = await this.kv.first({ gte: prefix, lt: prefixEnd(prefix) });
    if (!first) return endBefore; // empty queue: not cached, the first entry sets it
    const min = cqKeyQueueOffset(first[0]);
    this.minOffsets.set(topic, queueId, min);
    this.minKnown.set(topic, queueId, 1);
    return min;
  }

  /**
   * Drops cached minimums (all, or one topic's) after entries were deleted; a deleted topic's
   * tail goes too (pruning below the minimum leaves tails valid: reads check the minimum first).
   */
  forget(topic?: string): void {
    if (topic !== undefined) this.tail.forget(topic);
    if (topic === undefined) {
      for (const e of [...this.minKnown.entries()]) this.minKnown.delete(e.topic);
    } else {
      this.minKnown.delete(topic);
    }
  }

  async entry(topic: string, queueId: number, queueOffset: number): Promise<CqEntry | undefined> {
    const v = await this.kv.get(cqKey(topic, queueId, queueOffset));
    return v && v.length === CQ_VALUE_BYTES ? decodeCqValue(queueOffset, v) : undefined;
  }

  async read(topic: string, queueId: number, fromOffset: number, maxCount: number, opts: QueueReadOptions = {}): Promise<QueueRead> {
    const maxOffset = this.maxOffset(topic, queueId);
    const minOffset = await this.minOffset(topic, queueId);
    const bounds = { entries: [] as CqEntry[], minOffset, maxOffset };
    if (fromOffset < minOffset) return { status: 'OFFSET_TOO_SMALL', nextOffset: minOffset, ...bounds };
    if (fromOffset > maxOffset) return { status: 'OFFSET_OVERFLOW', nextOffset: maxOffset, ...bounds };
    if (fromOffset === maxOffset) return { status: 'NO_NEW_MESSAGES', nextOffset: maxOffset, ...bounds };
    const filter = opts.tags ? new Set([...opts.tags].map(tagHash)) : undefined;
    const maxScan = filter ? (opts.maxScanEntries ?? DEFAULT_MAX_SCAN_ENTRIES) : maxCount;
    const fromTail = this.tail.read(topic, queueId, fromOffset, maxOffset, maxCount, maxScan, filter);
    if (fromTail) return { status: 'FOUND', entries: fromTail.entries, nextOffset: fromTail.nextOffset, minOffset, maxOffset };
    const entries: CqEntry[] = [];
    const scanEnd = Math.min(maxOffset, fromOffset + maxScan);
    let nextOffset = await this.readBlocks(topic, queueId, fromOffset, scanEnd, blockStart(maxOffset), maxCount, filter, entries);
    if (nextOffset < scanEnd && entries.length < maxCount) {
      const from = nextOffset;
      await this.kv.forEach({ gte: cqKey(topic, queueId, from), lt: cqKey(topic, queueId, scanEnd) }, (k, v) => {
        const queueOffset = cqKeyQueueOffset(k);
        nextOffset = queueOffset + 1;
        if (!filter || filter.has(v.readUInt32BE(12))) entries.push(decodeCqValue(queueOffset, v));
        return entries.length < maxCount;
      });
    }
    return { status: 'FOUND', entries, nextOffset, minOffset, maxOffset };
  }

  /**
   * Reads blocks (cq-blocks.ts) from `fromOffset` while they exist, up to `scanEnd`; only blocks
   * below `sealedEnd` (the queue's end rounded down to a block) can be complete. Returns where the
   * caller continues by iterating entries (at the first missing block, or `scanEnd`).
   */
  private async readBlocks(
    topic: string,
    queueId: number,
    fromOffset: number,
    scanEnd: number,
    sealedEnd: number,
    maxCount: number,
    filter: ReadonlySet<number> | undefined,
    into: CqEntry[],
  ): Promise<number> {
    let q = fromOffset;
    while (q < scanEnd && q < sealedEnd && into.length < maxCount) {
      const first = blockStart(q);
      const block = await this.kv.get(cqBlockKey(topic, queueId, first));
      if (!block || block.length !== CQ_BLOCK_BYTES) break;
      q = readBlockEntries(block, first, q, Math.min(scanEnd, first + CQ_BLOCK_ENTRIES), maxCount - into.length, filter, into);
    }
    return q;
  }

  /**
   * The first queue offset whose store time is >= timestampMs (maxOffset when none is). Store
   * times are monotonic in the log, so a binary search over queue offsets with point reads works.
   */
  async offsetForTimestamp(topic: string, queueId: number, timestampMs: number): Promise<number> {
    let lo = await this.minOffset(topic, queueId);
    let hi = this.maxOffset(topic, queueId);
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const v = await this.kv.get(cqKey(topic, queueId, mid));
      if (!v) {
        lo = mid + 1; // pruned concurrently: search above it
        continue;
      }
      if (readU64(v, 16) < timestampMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
