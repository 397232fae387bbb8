/**
 * Recent sends by (topic, message id). The official clients retry a timed-out send with the same
 * message id, so a retry of a send that in fact succeeded is answered from here instead of being
 * stored twice. Bounded by count and age; oldest entries go first (Map keeps insertion order).
 *
 * An entry points at its request's batch and its index in it: no promise or closure per message,
 * since the window holds up to maxEntries of them at full send rate.
 */
export interface DedupLimits {
  windowMs: number;
  maxEntries: number;
}

interface Entry<T> {
  atMs: number;
  batch: Promise<readonly T[]>;
  index: number;
}

export class DedupWindow<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly limits: DedupLimits,
    private readonly nowMs: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** A previous (possibly still running) send of the same message, if within the window. */
  get(key: string): Promise<T> | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (this.nowMs() - hit.atMs > this.limits.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.batch.then((results) => results[hit.index] as T);
  }

  /** Remembers one batch's sends (keys in batch order); a failed batch is forgotten so retries really retry. */
  setBatch(keys: readonly string[], batch: Promise<readonly T[]>): void {
    const atMs = this.nowMs();
    for (let i = 0; i < keys.length; i++) this.entries.set(keys[i] as string, { atMs, batch, index: i });
    batch.catch(() => {
      for (const k of keys) if (this.entries.get(k)?.batch === batch) this.entries.delete(k);
    });
    this.evict(atMs);
  }

  private evict(now: number): void {
    for (const [k, v] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && now - v.atMs <= this.limits.windowMs) break;
      this.entries.delete(k);
    }
  }
}
