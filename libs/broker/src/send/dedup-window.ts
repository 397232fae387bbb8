import type { StoreAppendResult } from '../store-port';
import { IdTable, hashId } from './id-table';

/**
 * Recent sends by (topic, message id). The official clients retry a timed-out send with the same
 * message id, so a retry of a send that in fact succeeded is answered from here instead of being
 * stored twice. Bounded by count (a ring of maxEntries slots, the oldest overwritten first) and
 * by age (checked on lookup).
 *
 * The window holds up to maxEntries sends at full rate for a minute, so it must cost the heap
 * little: a send is an IdTable entry (id → ring slot, typed arrays) plus numbers in typed arrays,
 * no object per message; a slot still being written points at its request's batch until that settles.
 */
export interface DedupLimits {
  windowMs: number;
  maxEntries: number;
}

export interface DedupKey {
  topic: string;
  messageId: string;
}

export class DedupWindow {
  private readonly slotOf: IdTable;
  private readonly ids: (string | undefined)[];
  private readonly idHashes: Uint32Array;
  private readonly topics: string[];
  private readonly atMs: Float64Array;
  /** The request's batch while the send is being written; undefined once its result is below. */
  private readonly batches: (Promise<readonly StoreAppendResult[]> | undefined)[];
  private readonly indexes: Uint32Array;
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
    this.idHashes = new Uint32Array(n);
    this.slotOf = new IdTable(n, (slot) => this.ids[slot]);
    this.topics = new Array<string>(n).fill('');
    this.atMs = new Float64Array(n);
    this.batches = new Array<Promise<readonly StoreAppendResult[]> | undefined>(n).fill(undefined);
    this.indexes = new Uint32Array(n);
    this.logOffsets = new Float64Array(n);
    this.queueOffsets = new Float64Array(n);
    this.storeTimestamps = new Float64Array(n);
    this.sizes = new Uint32Array(n);
  }

  /** Sends remembered (finished and still being written). */
  get size(): number {
    return this.slotOf.size;
  }

  /** A previous (possibly still running) send of the same message, if within the window. */
  get(topic: string, messageId: string): Promise<StoreAppendResult> | undefined {
    const slot = this.slotOf.get(messageId, hashId(messageId));
    if (slot < 0 || this.topics[slot] !== topic) return undefined;
    if (this.nowMs() - (this.atMs[slot] as number) > this.limits.windowMs) return undefined;
    const batch = this.batches[slot];
    if (batch) {
      const index = this.indexes[slot] as number;
      return batch.then((results) => results[index] as StoreAppendResult);
    }
    return Promise.resolve({
      logOffset: this.logOffsets[slot] as number,
      size: this.sizes[slot] as number,
      queueOffset: this.queueOffsets[slot] as number,
      storeTimestampMs: this.storeTimestamps[slot] as number,
    });
  }

  /** Remembers one batch's sends (keys in batch order); a failed batch is forgotten so retries really retry. */
  setBatch(keys: readonly DedupKey[], batch: Promise<readonly StoreAppendResult[]>): void {
    const atMs = this.nowMs();
    const slots = new Array<number>(keys.length); // not a typed array: an ArrayBuffer per send costs the scavenger
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as DedupKey;
      const slot = this.claim();
      this.ids[slot] = k.messageId;
      this.topics[slot] = k.topic;
      this.atMs[slot] = atMs;
      this.batches[slot] = batch;
      this.indexes[slot] = i;
      const hash = hashId(k.messageId);
      this.idHashes[slot] = hash;
      this.slotOf.set(k.messageId, hash, slot);
      slots[i] = slot;
    }
    batch.then(
      (results) => {
        for (let i = 0; i < slots.length; i++) {
          const slot = slots[i] as number;
          if (this.batches[slot] !== batch) continue; // the ring came round: the slot is another send's now
          const r = results[i] as StoreAppendResult;
          this.logOffsets[slot] = r.logOffset;
          this.queueOffsets[slot] = r.queueOffset;
          this.storeTimestamps[slot] = r.storeTimestampMs;
          this.sizes[slot] = r.size;
          this.batches[slot] = undefined;
        }
      },
      () => {
        for (const slot of slots) if (this.batches[slot] === batch) this.release(slot);
      },
    );
  }

  /** The next ring slot, evicting the send that held it (the oldest). */
  private claim(): number {
    const slot = this.next;
    this.next = (slot + 1) % this.limits.maxEntries;
    this.release(slot);
    return slot;
  }

  private release(slot: number): void {
    if (this.ids[slot] !== undefined) this.slotOf.delete(this.idHashes[slot] as number, slot);
    this.ids[slot] = undefined;
    this.batches[slot] = undefined;
  }
}
