/**
 * Recent sends by (topic, message id). The official clients retry a timed-out send with the same
 * message id, so a retry of a send that in fact succeeded is answered from here instead of being
 * stored twice. Bounded by count and age; oldest entries go first (Map keeps insertion order).
 */
export interface DedupLimits {
  windowMs: number;
  maxEntries: number;
}

export class DedupWindow<T> {
  private readonly entries = new Map<string, { atMs: number; value: Promise<T> }>();

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
    return hit.value;
  }

  /** Remembers a send; a failed one is forgotten so the client's retry really retries. */
  set(key: string, value: Promise<T>): void {
    this.entries.set(key, { atMs: this.nowMs(), value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    this.evict();
  }

  private evict(): void {
    const now = this.nowMs();
    for (const [k, v] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && now - v.atMs <= this.limits.windowMs) break;
      this.entries.delete(k);
    }
  }
}
