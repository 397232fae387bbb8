import { SYSFLAG_TYPE, completingProperties, copyRecord, decodeProperties, SYSFLAG_TIMER_MOVED } from '../message';
import { QueueSelector, type TopicManager } from '../meta';
import type { StoreAppend, StorePort, StoreRecord } from '../store-port';
import { TIMER_NS, type TimerIndex, decodeTimerKey, timerKey } from './timer-index';

const TIMER_LIMITS = {
  /** Due messages moved per store batch (one commit-log write, one dispatch round). */
  maxMovePerBatch: 512,
  /** Longest sleep between looks at the index, so clock jumps and missed wake-ups heal. */
  maxSleepMs: 10_000,
  /** Pause after a failed move (disk full, store closing) before trying again. */
  retryAfterErrorMs: 1_000,
};

export interface TimerObserver {
  moved(topic: string, latenessMs: number): void;
  dropped(reason: 'record-gone' | 'topic-deleted', topic: string, messageId: string): void;
  error(err: Error): void;
}

/**
 * Moves delayed messages into their real topic when due. It reads the timer index in due-time
 * order, a bounded batch at a time (millions may be pending; only a batch is in memory), appends
 * each message to a queue of its real topic as a new record that keeps its id, properties and
 * delivery timestamp, and waits until that batch is dispatched, which deletes the index entries,
 * before reading again: the same entry is never moved twice. Dispatch of the copies wakes the
 * topic's long polls. It sleeps until the earliest due time, and TimerIndex wakes it sooner when
 * an earlier message is scheduled.
 */
export class TimerService {
  private readonly selector = new QueueSelector();
  private timer: NodeJS.Timeout | undefined;
  private armedForMs = Number.POSITIVE_INFINITY;
  private running = false;
  private again = false;
  private stopped = true;

  constructor(
    private readonly store: StorePort,
    private readonly index: TimerIndex,
    private readonly topics: TopicManager,
    private readonly observer: TimerObserver,
    private readonly nowMs: () => number = Date.now,
  ) {}

  start(): void {
    this.stopped = false;
    this.index.onScheduled = (dueMs) => this.wakeAt(dueMs);
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.index.onScheduled = () => undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private wakeAt(dueMs: number): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (dueMs >= this.armedForMs) return;
    this.arm(dueMs);
  }

  private arm(dueMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    const waitMs = Math.min(TIMER_LIMITS.maxSleepMs, Math.max(0, dueMs - this.nowMs()));
    this.armedForMs = dueMs;
    this.timer = setTimeout(() => this.kick(), waitMs);
    this.timer.unref();
  }

  private kick(): void {
    this.timer = undefined;
    this.armedForMs = Number.POSITIVE_INFINITY;
    if (this.stopped || this.running) return;
    this.running = true;
    this.pump().then(
      (nextDueMs) => this.finish(nextDueMs),
      (err: Error) => {
        this.observer.error(err);
        this.finish(this.nowMs() + TIMER_LIMITS.retryAfterErrorMs);
      },
    );
  }

  private finish(nextDueMs: number | undefined): void {
    this.running = false;
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      this.kick();
    } else this.arm(nextDueMs ?? this.nowMs() + TIMER_LIMITS.maxSleepMs);
  }

  /** Moves everything due now; returns the next due time, if any. */
  private async pump(): Promise<number | undefined> {
    for (;;) {
      const due = await this.store.metadata.list(TIMER_NS, { to: timerKey(this.nowMs() + 1, 0), limit: TIMER_LIMITS.maxMovePerBatch });
      if (due.length > 0) await this.move(due);
      if (due.length < TIMER_LIMITS.maxMovePerBatch && !this.stopped) break;
      if (this.stopped) return undefined;
    }
    const [next] = await this.store.metadata.list(TIMER_NS, { limit: 1 });
    return next ? decodeTimerKey(next.key).dueMs : undefined;
  }

  private async move(entries: { key: Buffer; value: Buffer }[]): Promise<void> {
    const due = entries.map(({ key, value }) => ({ ...decodeTimerKey(key), size: value.readUInt32BE(0), key }));
    const records = await Promise.all(due.map((d) => this.store.getMessage(d.logOffset, d.size).catch(() => undefined)));
    const appends: StoreAppend[] = [];
    const dueOfAppend: number[] = [];
    const dropped: Buffer[] = [];
    due.forEach((d, i) => {
      const r = records[i];
      const copy = r ? this.copyFor(r, d.logOffset) : undefined;
      if (copy) {
        appends.push(copy);
        dueOfAppend.push(d.dueMs);
        return;
      }
      dropped.push(d.key);
      this.index.forget(d.dueMs);
      this.observer.dropped(r ? 'topic-deleted' : 'record-gone', r ? (decodeProperties(r.properties).system.realTopic ?? '') : '', r?.messageId ?? '');
    });
    if (dropped.length > 0) await this.store.metadata.batch(dropped.map((key) => ({ type: 'del' as const, namespace: TIMER_NS, key })));
    if (appends.length === 0) return;
    const results = await this.store.appendBatch(appends);
    const last = results[results.length - 1];
    if (last) await this.store.whenDispatched(last.logOffset + last.size);
    const now = this.nowMs();
    appends.forEach((a, i) => this.observer.moved(a.topic, now - (dueOfAppend[i] as number)));
  }

  /** The record that makes a delayed message visible, or undefined when its topic is gone. */
  private copyFor(r: StoreRecord, timerLogOffset: number): StoreAppend | undefined {
    const topicName = decodeProperties(r.properties).system.realTopic ?? '';
    const topic = this.topics.get(topicName);
    if (!topic) return undefined;
    const queueId = this.selector.select(topicName, topic.writeQueueNums);
    return copyRecord(r, {
      topic: topicName,
      queueId,
      sysFlag: SYSFLAG_TYPE.DELAY | SYSFLAG_TIMER_MOVED,
      properties: completingProperties(r, timerLogOffset),
      reconsumeTimes: r.reconsumeTimes,
    });
  }
}
