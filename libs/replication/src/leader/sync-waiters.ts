import { OrbitError } from '@orbitmq/protocol';
import type { ReplicationTimers } from '../ports';

interface Waiter {
  readonly offset: number;
  readonly startedAtMs: number;
  readonly deadlineMs: number;
  done: boolean;
  resolve(): void;
  reject(err: OrbitError): void;
}

export type WaitOutcome = 'ok' | 'timeout' | 'unavailable';

/**
 * SYNC_MASTER sends waiting for a replica's durable ack. A batch of sends adds many waiters per
 * event-loop turn, so there is no timer per waiter: waiters sit in offset order (an ack resolves a
 * prefix) and, because every waiter has the same timeout, also in deadline order by arrival; one
 * timer is armed for the oldest pending deadline.
 */
export class SyncWaiters {
  /** Sorted by offset; resolved or expired waiters are removed lazily from the front. */
  private byOffset: Waiter[] = [];
  /** Sorted by deadline (arrival order); finished entries are skipped lazily. */
  private byDeadline: Waiter[] = [];
  private deadlineHead = 0;
  private timer: unknown;
  private timerDueMs: number | undefined;

  constructor(
    private readonly timers: ReplicationTimers,
    private readonly nowMs: () => number,
    private readonly timeoutMs: number,
    private readonly timeoutError: (offset: number) => OrbitError,
    private readonly finished: (outcome: WaitOutcome, waitMs: number) => void,
  ) {}

  get size(): number {
    return this.byOffset.length;
  }

  wait(offset: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const now = this.nowMs();
      const waiter: Waiter = { offset, startedAtMs: now, deadlineMs: now + this.timeoutMs, done: false, resolve, reject };
      this.insert(waiter);
      this.byDeadline.push(waiter);
      this.arm();
    });
  }

  /** Resolves every waiter at or below `durableOffset`. */
  ackedUpTo(durableOffset: number): void {
    let n = 0;
    while (n < this.byOffset.length && (this.byOffset[n] as Waiter).offset <= durableOffset) n++;
    if (n === 0) return;
    const ready = this.byOffset.splice(0, n);
    for (const w of ready) this.finish(w, 'ok');
  }

  /** Rejects every waiter (no replica left, or the leader stops). */
  rejectAll(err: OrbitError, outcome: WaitOutcome): void {
    const all = this.byOffset;
    this.byOffset = [];
    this.byDeadline = [];
    this.deadlineHead = 0;
    for (const w of all) this.finish(w, outcome, err);
    this.disarm();
  }

  private insert(waiter: Waiter): void {
    const list = this.byOffset;
    // Appends arrive in offset order almost always: check the tail before searching.
    if (list.length === 0 || (list[list.length - 1] as Waiter).offset <= waiter.offset) {
      list.push(waiter);
      return;
    }
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as Waiter).offset <= waiter.offset) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, waiter);
  }

  private finish(w: Waiter, outcome: WaitOutcome, err?: OrbitError): void {
    if (w.done) return;
    w.done = true;
    this.finished(outcome, this.nowMs() - w.startedAtMs);
    if (err) w.reject(err);
    else w.resolve();
  }

  private arm(): void {
    while (this.deadlineHead < this.byDeadline.length && (this.byDeadline[this.deadlineHead] as Waiter).done) this.deadlineHead++;
    if (this.deadlineHead > 1024 && this.deadlineHead * 2 > this.byDeadline.length) {
      this.byDeadline = this.byDeadline.slice(this.deadlineHead);
      this.deadlineHead = 0;
    }
    const head = this.byDeadline[this.deadlineHead];
    if (!head) return this.disarm();
    if (this.timerDueMs === head.deadlineMs) return;
    this.disarm();
    this.timerDueMs = head.deadlineMs;
    this.timer = this.timers.setTimeout(() => this.expire(), Math.max(0, head.deadlineMs - this.nowMs()));
  }

  private disarm(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueMs = undefined;
  }

  private expire(): void {
    this.timer = undefined;
    this.timerDueMs = undefined;
    const now = this.nowMs();
    let expired = false;
    while (this.deadlineHead < this.byDeadline.length) {
      const w = this.byDeadline[this.deadlineHead] as Waiter;
      if (!w.done && w.deadlineMs > now) break;
      this.deadlineHead++;
      if (w.done) continue;
      expired = true;
      this.finish(w, 'timeout', this.timeoutError(w.offset));
    }
    if (expired) this.byOffset = this.byOffset.filter((w) => !w.done);
    this.arm();
  }
}
