import { OrbitError } from '@orbitmq/protocol';
import type { StorePort } from '../store-port';

/** Why a parked receive woke up. */
export type WakeReason = 'arrived' | 'expiry' | 'timeout' | 'cancelled';

interface Waiter {
  resolve(reason: WakeReason): void;
  timer: NodeJS.Timeout;
}

/**
 * Parked ReceiveMessage calls, per topic. Dispatch wakes them (new messages are indexed), so do
 * visibility changes (a nack, an invisible time set to 0); each waiter also wakes at its own
 * deadline, or earlier at the next in-flight expiry it was told about. The number of parked calls
 * is bounded: past maxWaiters a receive is refused with TOO_MANY_REQUESTS rather than piling up.
 */
export class LongPollHub {
  private readonly byTopic = new Map<string, Set<Waiter>>();
  /** Notifications per topic so far: a receive reads it before looking, and parks only if unchanged. */
  private readonly arrivals = new Map<string, number>();
  private count = 0;

  constructor(
    private readonly maxWaiters: number,
    /** The same clock as the wake times callers pass (PopService's), so tests can drive both. */
    private readonly nowMs: () => number = Date.now,
  ) {}

  get parked(): number {
    return this.count;
  }

  /** Take this before looking for messages, and pass it to wait(). */
  arrivalsOf(topic: string): number {
    return this.arrivals.get(topic) ?? 0;
  }

  /**
   * Parks until something may be deliverable on `topic`. `wakeAtMs` (absolute) is an earlier
   * reason to look again, e.g. when an in-flight message becomes visible. `seenArrivals` is
   * arrivalsOf(topic) from before the caller looked: if a notification came while it was looking
   * (no waiter was parked to hear it), this returns at once instead of sleeping through it.
   */
  wait(topic: string, timeoutMs: number, wakeAtMs: number | undefined, seenArrivals: number, signal?: { onCancel(cb: () => void): void }): Promise<WakeReason> {
    if (this.arrivalsOf(topic) !== seenArrivals) return Promise.resolve('arrived');
    if (this.count >= this.maxWaiters) {
      return Promise.reject(new OrbitError('TOO_MANY_REQUESTS', `too many parked receives (maxLongPollWaiters=${this.maxWaiters}); retry later`));
    }
    return new Promise((resolve) => {
      const untilWake = wakeAtMs !== undefined ? Math.max(0, wakeAtMs - this.nowMs()) : Number.POSITIVE_INFINITY;
      const ms = Math.max(0, Math.min(timeoutMs, untilWake));
      let set = this.byTopic.get(topic);
      if (!set) {
        set = new Set();
        this.byTopic.set(topic, set);
      }
      const topicSet = set;
      let done = false;
      const waiter: Waiter = {
        resolve: (reason) => {
          if (done) return;
          done = true;
          clearTimeout(waiter.timer);
          topicSet.delete(waiter);
          if (topicSet.size === 0 && this.byTopic.get(topic) === topicSet) this.byTopic.delete(topic);
          this.count--;
          resolve(reason);
        },
        timer: setTimeout(() => waiter.resolve(untilWake <= timeoutMs ? 'expiry' : 'timeout'), ms),
      };
      topicSet.add(waiter);
      this.count++;
      signal?.onCancel(() => waiter.resolve('cancelled'));
    });
  }

  /** Wakes every receive parked on `topic`. */
  notify(topic: string, reason: WakeReason = 'arrived'): void {
    this.arrivals.set(topic, (this.arrivals.get(topic) ?? 0) + 1);
    const set = this.byTopic.get(topic);
    if (!set) return;
    for (const w of [...set]) w.resolve(reason);
  }

  /** Wakes everything (shutdown). */
  wakeAll(): void {
    for (const topic of [...this.byTopic.keys()]) this.notify(topic, 'cancelled');
  }

  /** dispatch -> long-poll wake-up: every topic with newly indexed entries wakes its waiters. */
  listen(events: StorePort['events']): () => void {
    return events.on('arrived', (queues) => {
      let last = '';
      for (const q of queues) {
        if (q.topic !== last) this.notify(q.topic);
        last = q.topic;
      }
    });
  }

  /**
   * The long-polling loop of receive and pull: `attempt` looks for messages and returns them, or
   * undefined when there is nothing yet; then the call parks until something arrives on `topic`,
   * `nextWakeAtMs()` passes (an in-flight message becomes visible), the poll ends or the call is
   * cancelled. Returns undefined when it ends without a result.
   */
  async poll<T>(topic: string, p: PollOptions, attempt: () => Promise<T | undefined>): Promise<T | undefined> {
    for (;;) {
      const seen = this.arrivalsOf(topic);
      const found = await attempt();
      if (found !== undefined) return found;
      const remaining = p.pollEndMs - this.nowMs();
      if (remaining <= 0 || p.isCancelled()) return undefined;
      const why = await this.wait(topic, remaining, p.nextWakeAtMs?.(), seen, p.onCancel ? { onCancel: p.onCancel } : undefined);
      if (why === 'cancelled') return undefined;
    }
  }
}

export interface PollOptions {
  /** Absolute time at which the call answers "nothing" (see pollEndMs()). */
  pollEndMs: number;
  isCancelled(): boolean;
  onCancel?(cb: () => void): void;
  nextWakeAtMs?(): number | undefined;
}

/**
 * When a long poll must answer: after the polling time the client asked for (capped), and
 * `marginMs` before the call's deadline so the answer arrives in time.
 */
export function pollEndMs(
  deadline: Date | number,
  requestedMs: number,
  limits: { maxLongPollingMs: number; deadlineMarginMs: number },
  nowMs = Date.now(),
): number {
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : Number.isFinite(deadline) ? Number(deadline) : Number.POSITIVE_INFINITY;
  return Math.min(nowMs + Math.min(requestedMs, limits.maxLongPollingMs), deadlineMs - limits.deadlineMarginMs);
}
