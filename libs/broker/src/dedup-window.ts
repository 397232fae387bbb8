import type { StoreAppendResult } from './store-port';

/**
 * Recent sends by (topic, message id). The official clients retry a timed-out send with the same
 * message id, so a retry of a send that in fact succeeded is answered from here instead of being
 * stored twice. Bounded by count (a ring of maxEntries slots, the oldest overwritten first) and
 * by age (checked on lookup).
 *
 * The window holds up to maxEntries sends at full rate for a minute, so it must cost the heap
 * little: a finished send is a Map entry (id → slot) plus numbers in typed arrays, no object per
 * message; a send still being written points at its request's batch until that settles.
 */
export interface DedupLimits {
  windowMs: number;
  maxEntries: number;
}

export interface DedupKey {
  topic: string;
  messageId: string;
}

interface Pending {
  topic: string;
  batch: Promise<readonly StoreAppendResult[]>;
  index: number;
}

export class DedupWindow {
  private readonly slotOf = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();
  private readonly ids: (string | undefined)[];
  private readonly topics: string[];
  private readonly atMs: Float64Array;
  private readonly logOffsets: Float64Array;
  private readonly queueOffsets: Float64Array;
  private readonly storeTimestamps: Float64Array;
  private readonly sizes: Uint32Array;
  private next = 0;

  constructor(
    private readonly limits: DedupLimits,
    private readonly nowMs: () => number = Date.now,
  ) {
    const n = limits.maxEntries;
    this.ids = new Array<string | undefined>(n).fill(undefined);
    this.topics = new Array<string>(n).fill('');
    this.atMs = new Float64Array(n);
    this.logOffsets = new Float64Array(n);
    this.queueOffsets = new Float64Array(n);
    this.storeTimestamps = new Float64Array(n);
    this.sizes = new Uint32Array(n);
  }

  /** Sends remembered (finished and still being written). */
  get size(): number {
    return this.slotOf.size + this.pending.size;
  }

  /** A previous (possibly still running) send of the same message, if within the window. */
  get(topic: string, messageId: string): Promise<StoreAppendResult> | undefined {
    const p = this.pending.get(messageId);
    if (p) return p.topic === topic ? p.batch.then((results) => results[p.index] as StoreAppendResult) : undefined;
    const slot = this.slotOf.get(messageId);
    if (slot === undefined || this.topics[slot] !== topic) return undefined;
    if (this.nowMs() - (this.atMs[slot] as number) > this.limits.windowMs) return undefined;
    return Promise.resolve({
      logOffset: this.logOffsets[slot] as number,
      size: this.sizes[slot] as number,
      queueOffset: this.queueOffsets[slot] as number,
      storeTimestampMs: this.storeTimestamps[slot] as number,
    });
  }

  /** Remembers one batch's sends (keys in batch order); a failed batch is forgotten so retries really retry. */
  setBatch(keys: readonly DedupKey[], batch: Promise<readonly StoreAppendResult[]>): void {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as DedupKey;
      this.pending.set(k.messageId, { topic: k.topic, batch, index: i });
    }
    batch.then(
      (results) => {
        const atMs = this.nowMs();
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i] as DedupKey;
          if (this.pending.get(k.messageId)?.batch !== batch) continue; // a later send of the id took over
          this.pending.delete(k.messageId);
          this.record(k, results[i] as StoreAppendResult, atMs);
        }
      },
      () => {
        for (const k of keys) if (this.pending.get(k.messageId)?.batch === batch) this.pending.delete(k.messageId);
      },
    );
  }

  private record(k: DedupKey, r: StoreAppendResult, atMs: number): void {
    const slot = this.next;
    this.next = (slot + 1) % this.limits.maxEntries;
    const old = this.ids[slot];
    if (old !== undefined && this.slotOf.get(old) === slot) this.slotOf.delete(old);
    this.ids[slot] = k.messageId;
    this.topics[slot] = k.topic;
    this.atMs[slot] = atMs;
    this.logOffsets[slot] = r.logOffset;
    this.queueOffsets[slot] = r.queueOffset;
    this.storeTimestamps[slot] = r.storeTimestampMs;
    this.sizes[slot] = r.size;
    this.slotOf.set(k.messageId, slot);
  }
}
