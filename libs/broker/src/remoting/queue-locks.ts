/** Limits of the orderly-consumption lock table. */
export const QUEUE_LOCK_LIMITS = {
  /** A lock not renewed for this long is free (RocketMQ REBALANCE_LOCK_MAX_LIVE_TIME; clients renew every 20 s). */
  lockTtlMs: 60_000,
  /** Queues one LOCK_BATCH_MQ / UNLOCK_BATCH_MQ may name. */
  maxQueuesPerRequest: 2_048,
  /** Locks held at once over all groups; new ones beyond it are refused (renewals still pass). */
  maxLockedQueues: 200_000,
} as const;

export interface LockedQueue {
  topic: string;
  queueId: number;
}

interface LockEntry {
  clientId: string;
  lastLockMs: number;
}

function queueKey(q: LockedQueue): string {
  return `${q.topic}\u0000${q.queueId}`;
}

/**
 * Which client of a consumer group owns which queue, for orderly consumers (RocketMQ's
 * RebalanceLockManager): a client consumes a queue in order only while it holds the queue's lock.
 * A lock is granted when the queue is free, already this client's, expired (lockTtlMs after its
 * last lock), or released; never while another client holds it. A member leaving the group
 * (unregister, connection closed, silence) releases its locks at once (releaseClient).
 */
export class QueueLocks {
  private readonly groups = new Map<string, Map<string, LockEntry>>();
  private held = 0;

  constructor(
    private readonly nowMs: () => number = Date.now,
    private readonly limits: { lockTtlMs: number; maxLockedQueues: number } = QUEUE_LOCK_LIMITS,
  ) {}

  /** Locks what it can for `clientId`; returns the queues it now holds, in the order asked. */
  tryLockBatch<Q extends LockedQueue>(group: string, clientId: string, queues: readonly Q[]): Q[] {
    const now = this.nowMs();
    let table = this.groups.get(group);
    const granted: Q[] = [];
    for (const q of queues) {
      const key = queueKey(q);
      const entry = table?.get(key);
      if (entry && entry.clientId !== clientId && !this.expired(entry, now)) continue; // another live client holds it
      if (entry) {
        entry.clientId = clientId;
        entry.lastLockMs = now;
        granted.push(q);
        continue;
      }
      if (this.held >= this.limits.maxLockedQueues && this.expire() === 0) continue; // full: nothing freed
      if (!table) this.groups.set(group, (table = new Map()));
      table.set(key, { clientId, lastLockMs: now });
      this.held++;
      granted.push(q);
    }
    return granted;
  }

  /** Releases the queues `clientId` holds among `queues` (others' locks stay); returns how many. */
  unlockBatch(group: string, clientId: string, queues: readonly LockedQueue[]): number {
    const table = this.groups.get(group);
    if (!table) return 0;
    let released = 0;
    for (const q of queues) {
      const key = queueKey(q);
      if (table.get(key)?.clientId !== clientId) continue;
      table.delete(key);
      released++;
    }
    this.forget(group, table, released);
    return released;
  }

  /** Every lock of a client in a group (it left the group). */
  releaseClient(group: string, clientId: string): number {
    const table = this.groups.get(group);
    if (!table) return 0;
    let released = 0;
    for (const [key, e] of table) {
      if (e.clientId !== clientId) continue;
      table.delete(key);
      released++;
    }
    this.forget(group, table, released);
    return released;
  }

  /** The client holding a queue's live lock. */
  holder(group: string, q: LockedQueue): string | undefined {
    const e = this.groups.get(group)?.get(queueKey(q));
    return e && !this.expired(e, this.nowMs()) ? e.clientId : undefined;
  }

  /** Drops expired locks; returns how many. */
  expire(): number {
    const now = this.nowMs();
    let dropped = 0;
    for (const [group, table] of this.groups) {
      let n = 0;
      for (const [key, e] of table) {
        if (!this.expired(e, now)) continue;
        table.delete(key);
        n++;
      }
      this.forget(group, table, n);
      dropped += n;
    }
    return dropped;
  }

  /** Locks in the table (live or not yet swept). */
  get size(): number {
    return this.held;
  }

  private expired(e: LockEntry, now: number): boolean {
    return now - e.lastLockMs > this.limits.lockTtlMs;
  }

  private forget(group: string, table: Map<string, LockEntry>, removed: number): void {
    this.held -= removed;
    if (table.size === 0) this.groups.delete(group);
  }
}
