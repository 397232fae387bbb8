import { OrbitError } from '@orbitmq/protocol';
import { type GroupManager, type SubscriptionGroupConfig, retryBackoff } from '../meta';
import {
  type InflightEntry,
  KeyedLock,
  NS_INFLIGHT,
  NS_SCAN,
  type QueuePopState,
  ackOffsetOf,
  encodeEntry,
  inflightKey,
  loadPopStates,
  queueKey,
  newNonce,
  type Renewal,
  renewKey,
  stateKey,
  u64,
} from './pop-state';
import { type ReceiptHandle, encodeReceiptHandle } from './receipt-handle';
import type { MessageFilter } from '../filter';
import type { StorePort, StoreRecord } from '../store-port';
import type { DeadLetterSink } from './dead-letter';
import { claimStartOffset, readRecordAfterRetention } from './queue-reads';
import { scanNewEntries } from './pop-scan';

export interface PoppedMessage {
  queueId: number;
  entry: InflightEntry;
  record: StoreRecord;
  receiptHandle: string;
}

/** How long spent deliveries wait before another dead-letter attempt after one failed. */
export const DEAD_LETTER_RETRY_MS = 30_000;

export interface PopLimits {
  /** Unacked deliveries one (group, topic, queue) may hold; beyond it, pops return nothing new. */
  maxInflightPerQueue: number;
  /** Consume-queue entries examined per pop when a tag filter skips most of them. */
  maxScanEntriesPerPop: number;
}

/**
 * Receive/ack semantics for every group on this broker (RocketMQ 5 "pop"): which messages are
 * delivered to whom, until when they stay invisible, and what an ack or a visibility change does.
 */
export class PopService {
  private readonly states = new Map<string, QueuePopState>();
  private readonly lock = new KeyedLock();
  /** Auto-renew deliveries (PushConsumer): kept invisible while their client is connected. */
  private readonly renewals = new Map<string, Renewal>();

  constructor(
    private readonly store: StorePort,
    private readonly groups: GroupManager,
    private readonly brokerName: string,
    private readonly limits: PopLimits,
    private readonly deadLetter: DeadLetterSink,
    private readonly nowMs: () => number = Date.now,
    private readonly onDeadLetterError: (group: string, error: Error) => void = () => undefined,
  ) {}

  /**
   * Drops the cached pop state and loads it again (after replicated state was applied, or a
   * replica lost its master), alone: a pop or ack in progress finishes first, later ones wait.
   */
  async reload(): Promise<void> {
    await this.lock.runExclusive(async () => {
      this.states.clear();
      await this.load();
    });
  }

  async load(): Promise<void> {
    for (const s of await loadPopStates(this.store.metadata)) this.states.set(stateKey(s.group, s.topic, s.queueId), s);
  }

  /** Unacked deliveries across every group (a gauge). */
  inflightCount(): number {
    let n = 0;
    for (const s of this.states.values()) n += s.inflight.size;
    return n;
  }

  /** Earliest moment an in-flight message of this group and topic becomes visible again. */
  earliestExpiry(group: string, topic: string): number | undefined {
    let min: number | undefined;
    for (const s of this.states.values()) {
      if (s.group !== group || s.topic !== topic) continue;
      // Held FIFO entries (attempt 0) have no expiry: an ack or a dead-letter releases them and wakes the hub.
      for (const e of s.inflight.values()) if (e.attempt > 0 && (min === undefined || e.invisibleUntilMs < min)) min = e.invisibleUntilMs;
    }
    return min;
  }

  /**
   * Delivers up to `max` messages of `topic` to `group` from the given queues (starting with the
   * first): expired deliveries first (attempt + 1), then messages never delivered, through the subscription's filter.
   */
  async pop(
    group: SubscriptionGroupConfig,
    topic: string,
    queueIds: number[],
    filter: MessageFilter,
    max: number,
    invisibleMs: number,
    autoRenewClientId?: string,
  ): Promise<PoppedMessage[]> {
    const out: PoppedMessage[] = [];
    for (const queueId of queueIds) {
      if (out.length >= max) break;
      let got: PoppedMessage[];
      try {
        got = await this.lock.run(stateKey(group.groupName, topic, queueId), () => this.popQueue(group, topic, queueId, filter, max - out.length, invisibleMs));
      } catch (err) {
        if (out.length === 0) throw err;
        break; // e.g. no filter server answered for this queue: deliver what the others gave (it is in flight already)
      }
      if (autoRenewClientId) {
        for (const p of got) {
          this.renewals.set(renewKey(group.groupName, topic, queueId, p.entry.queueOffset), {
            clientId: autoRenewClientId,
            group: group.groupName,
            topic,
            queueId,
            queueOffset: p.entry.queueOffset,
          });
        }
      }
      out.push(...got);
    }
    return out;
  }

  /**
   * Extends auto-renew deliveries that expire within `extendMs / 2` by `extendMs`, as long as their
   * client is connected (the handle stays valid). Deliveries of vanished clients expire normally.
   */
  async renew(isConnected: (clientId: string) => boolean, extendMs: number): Promise<number> {
    let renewed = 0;
    for (const [key, r] of [...this.renewals]) {
      await this.lock.run(stateKey(r.group, r.topic, r.queueId), async () => {
        const e = this.states.get(stateKey(r.group, r.topic, r.queueId))?.inflight.get(r.queueOffset);
        const now = this.nowMs();
        if (!e || e.attempt === 0 || e.invisibleUntilMs <= now || !isConnected(r.clientId)) {
          this.renewals.delete(key);
          return;
        }
        if (e.invisibleUntilMs - now > extendMs / 2) return;
        e.invisibleUntilMs = now + extendMs;
        await this.store.metadata.put(NS_INFLIGHT, inflightKey(queueKey(r.group, r.topic, r.queueId), e.queueOffset), encodeEntry(e));
        renewed++;
      });
    }
    return renewed;
  }

  /**
   * Moves a group to `offset` in one queue: everything before is consumed, everything from it on
   * is delivered again; in-flight deliveries of the queue are dropped (their handles stop working).
   */
  async resetOffset(group: SubscriptionGroupConfig, topic: string, queueId: number, offset: number): Promise<void> {
    await this.lock.run(stateKey(group.groupName, topic, queueId), async () => {
      const s = await this.stateFor(group, topic, queueId);
      const qk = queueKey(group.groupName, topic, queueId);
      const ops: Parameters<StorePort['metadata']['batch']>[0][number][] = [...s.inflight.keys()].map((o) => ({
        type: 'del',
        namespace: NS_INFLIGHT,
        key: inflightKey(qk, o),
      }));
      for (const o of s.inflight.keys()) this.renewals.delete(renewKey(group.groupName, topic, queueId, o));
      s.inflight.clear();
      s.scanOffset = offset;
      ops.push({ type: 'put', namespace: NS_SCAN, key: qk, value: u64(offset) });
      await this.store.metadata.batch(ops);
      await this.store.setConsumerOffset(group.groupName, topic, queueId, offset);
    });
  }

  /** The group's consumed offset and in-flight count per queue it has consumed. */
  progress(group: string): { topic: string; queueId: number; consumedOffset: number; inflight: number }[] {
    const out = [];
    for (const s of this.states.values()) {
      if (s.group !== group) continue;
      let inflight = 0;
      for (const e of s.inflight.values()) if (e.attempt > 0) inflight++;
      out.push({ topic: s.topic, queueId: s.queueId, consumedOffset: ackOffsetOf(s), inflight });
    }
    return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.queueId - b.queueId);
  }

  /**
   * Where one message of a queue stands for a group that receives it (pop): its in-flight entry,
   * if any, and the queue's consumed and scanned offsets. Undefined when the group never received
   * from the queue.
   */
  deliveryOf(group: string, topic: string, queueId: number, queueOffset: number): { ackOffset: number; scanOffset: number; entry?: InflightEntry } | undefined {
    const s = this.states.get(stateKey(group, topic, queueId));
    if (!s) return undefined;
    const entry = s.inflight.get(queueOffset);
    return { ackOffset: ackOffsetOf(s), scanOffset: s.scanOffset, ...(entry ? { entry: { ...entry } } : {}) };
  }

  /** ForwardMessageToDeadLetterQueue: moves the delivery a handle names to the group's DLQ. */
  async forwardToDeadLetter(group: string, topic: string, handle: ReceiptHandle): Promise<void> {
    this.checkBroker(handle);
    await this.lock.run(stateKey(group, topic, handle.queueId), async () => {
      const s = this.states.get(stateKey(group, topic, handle.queueId)) as QueuePopState;
      const entry = this.liveEntry(s, handle);
      const record = await this.store.getMessage(entry.logOffset, entry.size);
      await this.deadLetter(group, [{ record, attempts: entry.attempt }]);
      const before = ackOffsetOf(s);
      s.inflight.delete(entry.queueOffset);
      this.renewals.delete(renewKey(group, topic, handle.queueId, entry.queueOffset));
      await this.store.metadata.delete(NS_INFLIGHT, inflightKey(queueKey(group, topic, handle.queueId), entry.queueOffset));
      await this.persistAckOffset(s, before);
    });
  }

  /** Acknowledges a delivery; true when that releases a held message of the same message group. */
  async ack(group: string, topic: string, handle: ReceiptHandle): Promise<boolean> {
    const { errors, released } = await this.ackMany(group, topic, [handle]);
    if (errors[0]) throw errors[0];
    return released;
  }

  /**
   * Acknowledges several deliveries (one AckMessage request): per queue one lock turn, one
   * metadata batch and at most one consumer-offset write, however many handles it holds. Errors
   * per handle, in order (undefined: acked); `released` when a held FIFO message may go now.
   */
  async ackMany(group: string, topic: string, handles: readonly ReceiptHandle[]): Promise<{ errors: (Error | undefined)[]; released: boolean }> {
    const errors = new Array<Error | undefined>(handles.length);
    const byQueue = new Map<number, number[]>();
    handles.forEach((h, i) => {
      try {
        this.checkBroker(h);
        const list = byQueue.get(h.queueId);
        if (list) list.push(i);
        else byQueue.set(h.queueId, [i]);
      } catch (err) {
        errors[i] = err as Error;
      }
    });
    let released = false;
    for (const [queueId, indexes] of byQueue) {
      await this.lock.run(stateKey(group, topic, queueId), async () => {
        const s = this.states.get(stateKey(group, topic, queueId));
        const qk = queueKey(group, topic, queueId);
        const before = s ? ackOffsetOf(s) : 0;
        const ops: Parameters<StorePort['metadata']['batch']>[0][number][] = [];
        const groups = new Set<string>();
        for (const i of indexes) {
          try {
            const entry = this.liveEntry(s, handles[i] as ReceiptHandle);
            (s as QueuePopState).inflight.delete(entry.queueOffset);
            this.renewals.delete(renewKey(group, topic, queueId, entry.queueOffset));
            ops.push({ type: 'del', namespace: NS_INFLIGHT, key: inflightKey(qk, entry.queueOffset) });
            if (entry.messageGroup) groups.add(entry.messageGroup);
          } catch (err) {
            errors[i] = err as Error;
          }
        }
        if (!s || ops.length === 0) return;
        await this.store.metadata.batch(ops);
        await this.persistAckOffset(s, before);
        for (const e of s.inflight.values()) if (e.attempt === 0 && groups.has(e.messageGroup)) released = true;
      });
    }
    return { errors, released };
  }

  /**
   * Makes the message invisible for `invisibleMs` from now (0: visible now); returns the new handle
   * and the invisible time applied. For an auto-renew delivery (a PushConsumer's nack) the group's
   * retry back-off is the minimum, whatever the client asked for.
   */
  async changeInvisible(group: string, topic: string, handle: ReceiptHandle, invisibleMs: number): Promise<{ receiptHandle: string; invisibleMs: number }> {
    this.checkBroker(handle);
    return this.lock.run(stateKey(group, topic, handle.queueId), async () => {
      const s = this.states.get(stateKey(group, topic, handle.queueId)) as QueuePopState;
      const entry = this.liveEntry(s, handle);
      const key = renewKey(group, topic, handle.queueId, entry.queueOffset);
      const cfg = this.groups.get(group);
      const applied = this.renewals.has(key) && cfg ? Math.max(invisibleMs, retryBackoff(cfg, entry.attempt)) : invisibleMs;
      entry.invisibleUntilMs = this.nowMs() + applied;
      entry.nonce = newNonce(entry.nonce);
      this.renewals.delete(key);
      await this.store.metadata.put(NS_INFLIGHT, inflightKey(queueKey(group, topic, handle.queueId), entry.queueOffset), encodeEntry(entry));
      return { receiptHandle: this.handleOf(handle.queueId, entry), invisibleMs: applied };
    });
  }

  private checkBroker(handle: ReceiptHandle): void {
    if (handle.brokerName !== this.brokerName) {
      throw new OrbitError('INVALID_RECEIPT_HANDLE', `receipt handle belongs to broker ${handle.brokerName}, not ${this.brokerName}`);
    }
  }

  /** The in-flight entry a handle names, if the handle is still the current one and not expired. */
  private liveEntry(s: QueuePopState | undefined, handle: ReceiptHandle): InflightEntry {
    const entry = s?.inflight.get(handle.queueOffset);
    if (!entry || entry.nonce !== handle.nonce) {
      throw new OrbitError('INVALID_RECEIPT_HANDLE', 'receipt handle is superseded or the message is already acknowledged');
    }
    if (entry.invisibleUntilMs <= this.nowMs()) {
      throw new OrbitError('INVALID_RECEIPT_HANDLE', 'receipt handle expired: the invisible time passed and the message may be redelivered');
    }
    return entry;
  }

  private handleOf(queueId: number, e: InflightEntry): string {
    return encodeReceiptHandle({ brokerName: this.brokerName, queueId, queueOffset: e.queueOffset, nonce: e.nonce, logOffset: e.logOffset, size: e.size });
  }

  private async stateFor(group: SubscriptionGroupConfig, topic: string, queueId: number): Promise<QueuePopState> {
    const key = stateKey(group.groupName, topic, queueId);
    const existing = this.states.get(key);
    if (existing) return existing;
    const scanOffset = await claimStartOffset(this.store, group, topic, queueId);
    const s: QueuePopState = { group: group.groupName, topic, queueId, scanOffset, inflight: new Map() };
    this.states.set(key, s);
    return s;
  }

  /**
   * One queue, under its lock. Ordering: within an ordered group, a message that carries a message
   * group is not delivered while an earlier message of that group is in flight; it is held
   * (attempt 0) and goes out, in queue order, once the earlier one is acked or dead-lettered.
   * A delivery that comes due after maxDeliveryAttempts goes to %DLQ%<group> instead.
   */
  private async popQueue(
    group: SubscriptionGroupConfig,
    topic: string,
    queueId: number,
    filter: MessageFilter,
    max: number,
    invisibleMs: number,
  ): Promise<PoppedMessage[]> {
    const s = await this.stateFor(group, topic, queueId);
    const now = this.nowMs();
    const before = ackOffsetOf(s);
    const ordered = group.ordering !== 'unordered';
    const touched: InflightEntry[] = [];
    const out: PoppedMessage[] = [];
    const dead: { entry: InflightEntry; record: StoreRecord }[] = [];
    const busyGroups = new Set<string>();
    for (const e of s.inflight.values()) if (e.messageGroup && e.attempt > 0 && e.invisibleUntilMs > now) busyGroups.add(e.messageGroup);
    const deliver = (e: InflightEntry, record: StoreRecord) => {
      e.attempt += 1;
      e.invisibleUntilMs = now + invisibleMs;
      e.nonce = newNonce(e.nonce);
      if (e.messageGroup) busyGroups.add(e.messageGroup);
      touched.push(e);
      out.push({ queueId, entry: e, record, receiptHandle: this.handleOf(queueId, e) });
    };
    // 1. Due entries first, in queue order: expired deliveries (attempt + 1) and held FIFO messages.
    // The map is in queue order already: entries are only ever added by the ascending scan below
    // (or loaded in key order), and a Map iterates in insertion order; deleting while iterating is safe.
    for (const e of s.inflight.values()) {
      if (out.length >= max) break;
      if (e.attempt > 0 && e.invisibleUntilMs > now) continue;
      if (e.messageGroup && busyGroups.has(e.messageGroup)) continue;
      const record = await readRecordAfterRetention(this.store, e);
      if (!record) {
        s.inflight.delete(e.queueOffset); // removed by retention: nothing left to deliver
        touched.push(e);
        continue;
      }
      if (e.attempt >= group.maxDeliveryAttempts) {
        dead.push({ entry: e, record });
        continue;
      }
      deliver(e, record);
    }
    // 2. Messages this group has never seen.
    await scanNewEntries(this.store, this.limits, { s, topic, queueId, filter, ordered, max, out, busyGroups, touched, deliver });
    if (dead.length > 0) await this.bury(group.groupName, s, dead, touched, now);
    await this.persist(s, touched, before);
    return out;
  }

  /**
   * Moves spent deliveries to the DLQ; only once the append succeeded do they leave the queue's
   * in-flight state. If it fails they stay in flight (so the consumer offset cannot pass them) and
   * are tried again DEAD_LETTER_RETRY_MS later.
   */
  private async bury(group: string, s: QueuePopState, dead: { entry: InflightEntry; record: StoreRecord }[], touched: InflightEntry[], nowMs: number) {
    try {
      await this.deadLetter(
        group,
        dead.map(({ entry, record }) => ({ record, attempts: entry.attempt })),
      );
      for (const { entry } of dead) s.inflight.delete(entry.queueOffset);
    } catch (err) {
      for (const { entry } of dead) entry.invisibleUntilMs = nowMs + DEAD_LETTER_RETRY_MS;
      this.onDeadLetterError(group, err as Error);
    }
    for (const { entry } of dead) touched.push(entry);
  }

  private async persist(s: QueuePopState, touched: InflightEntry[], ackBefore: number): Promise<void> {
    const qk = queueKey(s.group, s.topic, s.queueId);
    const ops: Parameters<StorePort['metadata']['batch']>[0][number][] = [{ type: 'put', namespace: NS_SCAN, key: qk, value: u64(s.scanOffset) }];
    for (const e of touched) {
      ops.push(
        s.inflight.has(e.queueOffset)
          ? { type: 'put', namespace: NS_INFLIGHT, key: inflightKey(qk, e.queueOffset), value: encodeEntry(e) }
          : { type: 'del', namespace: NS_INFLIGHT, key: inflightKey(qk, e.queueOffset) },
      );
    }
    await this.store.metadata.batch(ops);
    await this.persistAckOffset(s, ackBefore);
  }

  private async persistAckOffset(s: QueuePopState, before: number): Promise<void> {
    const after = ackOffsetOf(s);
    if (after !== before) await this.store.setConsumerOffset(s.group, s.topic, s.queueId, after);
  }
}
