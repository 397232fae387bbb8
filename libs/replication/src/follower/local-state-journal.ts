import type { StateOp } from '../ports';

function keyOf(op: StateOp): string {
  return op.kind === 'clear' ? `c:${op.gte.toString('hex')}:${op.lt.toString('hex')}` : `k:${op.key.toString('hex')}`;
}

/**
 * State changes a replica made while it served consumers without a master (consumer offsets,
 * in-flight receipts), kept in memory for the next handshake. Merged per key: a later put or
 * delete of a key replaces the earlier one, and a range clear swallows earlier changes in its
 * range, so the journal is ordered like the original changes and replays to the same state.
 * Bounded: past maxOps the oldest entries are dropped (and counted).
 */
export class LocalStateJournal {
  private readonly entries = new Map<string, StateOp>();
  private dropped = 0;

  constructor(private readonly maxOps: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** Entries dropped since the last clear(). */
  get droppedOps(): number {
    return this.dropped;
  }

  /** Records changes; returns how many entries had to be dropped for room. */
  record(ops: readonly StateOp[]): number {
    let dropped = 0;
    for (const op of ops) {
      if (op.kind === 'clear') {
        for (const [k, e] of this.entries) {
          if (e.kind !== 'clear' && Buffer.compare(e.key, op.gte) >= 0 && Buffer.compare(e.key, op.lt) < 0) this.entries.delete(k);
        }
      }
      const key = keyOf(op);
      // Delete first so the entry moves to the end: order matters against clears recorded since.
      this.entries.delete(key);
      this.entries.set(key, op);
      while (this.entries.size > this.maxOps) {
        const oldest = this.entries.keys().next().value as string;
        this.entries.delete(oldest);
        dropped++;
      }
    }
    this.dropped += dropped;
    return dropped;
  }

  /** The merged changes, oldest first. */
  ops(): StateOp[] {
    return [...this.entries.values()];
  }

  clear(): void {
    this.entries.clear();
    this.dropped = 0;
  }
}
