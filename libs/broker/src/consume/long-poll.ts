import { OrbitError } from '@orbitmq/protocol';
import type { StorePort } from '../store-port';

/** Why a parked receive woke up. */
export type WakeReason = 'arrived' | 'expiry' | 'timeout' | 'cancelled';

interface Waiter {
  resolve(reason: WakeReason): void;
  timer: NodeJS.Timeout;
}

/**
 * The waiters and notification counts of one topic. Receives (v5 pop) take from any queue and
 * park on the topic; pulls read one queue and park on that queue, so a send to queue 3 wakes the
 * pull of queue 3 and not the seven others (measured: with a consumer pulling 8 queues, waking the
 * whole topic made 7 of 8 wake-ups an empty read and a new timer).
 */
class TopicWaiters {
  readonly onTopic = new Set<Waiter>();
  readonly onQueue = new Map<number, Set<Waiter>>();
  /** Every notification of the topic, whichever queue: what receives compare. */
  arrivals = 0;
  /** Notifications that named no queue: they count for every queue. */
  topicWide = 0;
  readonly queueArrivals = new Map<number, number>();

  arrivalsOf(queueId: number | undefined): number {
    return queueId === undefined ? this.arrivals : this.topicWide + (this.queueArrivals.get(queueId) ?? 0);
  }

  setOf(queueId: number | undefined): Set<Waiter> {
    if (queueId === undefined) return this.onTopic;
    let set = this.onQueue.get(queueId);
    if (!set) {
      set = new Set();
      this.onQueue.set(queueId, set);
    }
    return set;
  }
}

/**
 * Parked ReceiveMessage and pull calls, per topic (receives) or per queue (pulls). Dispatch wakes
 * them (new messages are indexed), so do visibility changes (a nack, an invisible time set to 0);
 * each waiter also wakes at its own deadline, or earlier at the next in-flight expiry it was told
 * about. The number of parked calls is bounded: past maxWaiters a call is refused with
 * TOO_MANY_REQUESTS rather than piling up.
 */
export class LongPollHub {
  private readonly topics = new Map<string, TopicWaiters>();
  private count = 0;

  constructor(
    private readonly maxWaiters: number,
    /** The same clock as the wake times callers pass (PopService's), so tests can drive both. */
    private readonly nowMs: () => number = Date.now,
  ) {}

  get parked(): number {
    return this.count;
  }

  /** Take this before looking for messages, and pass it to wait(). `queueId` for a one-queue pull. */
  arrivalsOf(topic: string, queueId?: number): number {
    return this.topics.get(topic)?.arrivalsOf(queueId) ?? 0;
  }

  private topicOf(topic: string): TopicWaiters {
    let t = this.topics.get(topic);
    if (!t) {
      t = new TopicWaiters();
      this.topics.set(topic, t);
    }
    return t;
  }

  /**
   * Parks until something may be deliverable on `topic` (on its queue `queueId` when given).
   * `wakeAtMs` (absolute) is an earlier reason to look again, e.g. when an in-flight message
   * becomes visible. `seenArrivals` is arrivalsOf(topic, queueId) from before the caller looked:
   * if a notification came while it was looking (no waiter was parked to hear it), this returns
   * at once instead of sleeping through it.
   */
  wait(
    topic: string,
    timeoutMs: number,
    wakeAtMs: number | undefined,
    seenArrivals: number,
    signal?: { onCancel(cb: () => void): void },
    queueId?: number,
  ): Promise<WakeReason> {
    if (this.arrivalsOf(topic, queueId) !== seenArrivals) return Promise.resolve('arrived');
    if (this.count >= this.maxWaiters) {
      return Promise.reject(new OrbitError('TOO_MANY_REQUESTS', `too many parked receives (maxLongPollWaiters=${this.maxWaiters}); retry later`));
    }
    return new Promise((resolve) => {
      const untilWake = wakeAtMs !== undefined ? Math.max(0, wakeAtMs - this.nowMs()) : Number.POSITIVE_INFINITY;
      const ms = Math.max(0, Math.min(timeoutMs, untilWake));
      const set = this.topicOf(topic).setOf(queueId);
      let done = false;
      const waiter: Waiter = {
        resolve: (reason) => {
          if (done) return;
          done = true;
          clearTimeout(waiter.timer);
          set.delete(waiter);
          this.count--;
          resolve(reason);
        },
        timer: setTimeout(() => waiter.resolve(untilWake <= timeoutMs ? 'expiry' : 'timeout'), ms),
      };
      set.add(waiter);
      this.count++;
      signal?.onCancel(() => waiter.resolve('cancelled'));
    });
  }

  /**
   * Wakes the receives parked on `topic` and the pulls parked on its queue `queueId`, or on every
   * queue when no queue is named (an ack, a nack, an admin change).
   */
  notify(topic: string, reason: WakeReason = 'arrived', queueId?: number): void {
    const t = this.topicOf(topic);
    t.arrivals++;
    if (queueId === undefined) {
      t.topicWide++;
      for (const set of t.onQueue.values()) wakeAll(set, reason);
    } else {
      t.queueArrivals.set(queueId, (t.queueArrivals.get(queueId) ?? 0) + 1);
      const set = t.onQueue.get(queueId);
      if (set) wakeAll(set, reason);
    }
    wakeAll(t.onTopic, reason);
  }

  /** Wakes everything (shutdown). */
  wakeAll(): void {
    for (const topic of [...this.topics.keys()]) this.notify(topic, 'cancelled');
  }

  /** dispatch -> long-poll wake-up: every queue with newly indexed entries wakes its waiters. */
  listen(events: StorePort['events']): () => void {
    return events.on('arrived', (queues) => {
      for (const q of queues) this.notify(q.topic, 'arrived', q.queueId);
    });
  }

  /**
   * The long-polling loop of receive and pull: `attempt` looks for messages and returns them, or
   * undefined when there is nothing yet; then the call parks until something arrives on `topic`
   * (on queue `p.queueId` for a pull), `nextWakeAtMs()` passes (an in-flight message becomes
   * visible), the poll ends or the call is cancelled. Returns undefined when it ends without a result.
   */
  async poll<T>(topic: string, p: PollOptions, attempt: () => Promise<T | undefined>): Promise<T | undefined> {
    for (;;) {
      const seen = this.arrivalsOf(topic, p.queueId);
      const found = await attempt();
      if (found !== undefined) return found;
      const remaining = p.pollEndMs - this.nowMs();
      if (remaining <= 0 || p.isCancelled()) return undefined;
      const why = await this.wait(topic, remaining, p.nextWakeAtMs?.(), seen, p.onCancel ? { onCancel: p.onCancel } : undefined, p.queueId);
      if (why === 'cancelled') return undefined;
    }
  }
}

function wakeAll(set: Set<Waiter>, reason: WakeReason): void {
  if (set.size === 0) return;
  for (const w of [...set]) w.resolve(reason);
}

export interface PollOptions {
  /** A pull of one queue: parks on that queue, not on the whole topic. */
  queueId?: number;
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
