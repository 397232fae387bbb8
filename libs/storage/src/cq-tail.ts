import type { CqEntry } from './keys';

/** Newest entries kept per queue: a pull at the tail (a consumer that keeps up) asks within these. */
export const CQ_TAIL_ENTRIES = 256;
/** Queues with a tail kept; past this the oldest-created tail is dropped (24 bytes x entries each). */
export const CQ_TAIL_MAX_QUEUES = 4_096;

/** One queue's newest entries: a ring, columns in typed arrays (no object per entry). */
class Ring {
  /** Queue offset of the oldest entry held, and one past the newest. */
  first = 0;
  end = 0;
  readonly logOffsets = new Float64Array(CQ_TAIL_ENTRIES);
  readonly storeTimestamps = new Float64Array(CQ_TAIL_ENTRIES);
  readonly sizes = new Uint32Array(CQ_TAIL_ENTRIES);
  readonly tagHashes = new Uint32Array(CQ_TAIL_ENTRIES);
}

/** What the dispatcher commits per record (a subset of DispatchRequest). */
export interface TailEntry {
  topic: string;
  queueId: number;
  queueOffset: number;
  logOffset: number;
  size: number;
  tagHash: number;
  storeTimestampMs: number;
}

/**
 * The newest consume-queue entries of each queue, in memory, as the dispatcher commits them to
 * LevelDB. A consumer that keeps up reads only these: without them each pull at the tail cost a
 * LevelDB iterator (open, next, close: three trips through the libuv threadpool, which the
 * commit-log writes and LevelDB's own writes share). RocketMQ reads its consume queue from mapped
 * pages for the same reason.
 *
 * A ring only ever holds a contiguous run of queue offsets: an entry that does not follow the
 * newest one (after a truncation rolled the queue back, or a deleted and recreated topic) starts
 * the ring over. Readers also check that the ring ends where the queue's dispatched end is, so a
 * rollback not yet followed by a new entry is never served from here.
 */
export class ConsumeQueueTail {
  private readonly rings = new Map<string, Map<number, Ring>>();
  private queues = 0;

  /** Called with each dispatch round's records once they are committed (in log order). */
  add(entries: readonly TailEntry[]): void {
    let lastTopic = '';
    let byQueue: Map<number, Ring> | undefined;
    for (const e of entries) {
      if (e.topic !== lastTopic || !byQueue) {
        byQueue = this.rings.get(e.topic);
        if (!byQueue) {
          byQueue = new Map();
          this.rings.set(e.topic, byQueue);
        }
        lastTopic = e.topic;
      }
      let ring = byQueue.get(e.queueId);
      if (!ring) {
        this.makeRoom();
        ring = new Ring();
        byQueue.set(e.queueId, ring);
        this.queues++;
      }
      if (ring.end !== e.queueOffset || ring.first === ring.end) {
        ring.first = e.queueOffset;
        ring.end = e.queueOffset;
      }
      const i = e.queueOffset % CQ_TAIL_ENTRIES;
      ring.logOffsets[i] = e.logOffset;
      ring.storeTimestamps[i] = e.storeTimestampMs;
      ring.sizes[i] = e.size;
      ring.tagHashes[i] = e.tagHash;
      ring.end = e.queueOffset + 1;
      if (ring.end - ring.first > CQ_TAIL_ENTRIES) ring.first = ring.end - CQ_TAIL_ENTRIES;
    }
  }

  /**
   * Entries from `fromOffset` (up to `maxScan` examined, `maxCount` kept) when the ring holds
   * `fromOffset` and ends at `dispatchedEnd`; undefined when the caller must read LevelDB.
   */
  read(
    topic: string,
    queueId: number,
    fromOffset: number,
    dispatchedEnd: number,
    maxCount: number,
    maxScan: number,
    tagHashes: ReadonlySet<number> | undefined,
  ): { entries: CqEntry[]; nextOffset: number } | undefined {
    const ring = this.rings.get(topic)?.get(queueId);
    if (!ring || ring.end !== dispatchedEnd || fromOffset < ring.first || fromOffset >= ring.end) return undefined;
    const entries: CqEntry[] = [];
    const stop = Math.min(ring.end, fromOffset + maxScan);
    let q = fromOffset;
    while (q < stop && entries.length < maxCount) {
      const i = q % CQ_TAIL_ENTRIES;
      const hash = ring.tagHashes[i] as number;
      if (!tagHashes || tagHashes.has(hash)) {
        entries.push({
          queueOffset: q,
          logOffset: ring.logOffsets[i] as number,
          size: ring.sizes[i] as number,
          tagHash: hash,
          storeTimestampMs: ring.storeTimestamps[i] as number,
        });
      }
      q++;
    }
    // Past the ring's end there is nothing yet; below a full scan the rest was scanned too.
    return { entries, nextOffset: q };
  }

  /** A topic's queues are gone (deleted): drop their tails. */
  forget(topic?: string): void {
    if (topic === undefined) {
      this.rings.clear();
      this.queues = 0;
      return;
    }
    const byQueue = this.rings.get(topic);
    if (!byQueue) return;
    this.queues -= byQueue.size;
    this.rings.delete(topic);
  }

  private makeRoom(): void {
    if (this.queues < CQ_TAIL_MAX_QUEUES) return;
    // Drop the tail created first (Map order): a rough but allocation-free choice.
    for (const [topic, byQueue] of this.rings) {
      for (const queueId of byQueue.keys()) {
        byQueue.delete(queueId);
        this.queues--;
        if (byQueue.size === 0) this.rings.delete(topic);
        return;
      }
    }
  }
}
