import type { v2 } from '@orbitmq/protocol';
import { type BrokerIndexes, createBrokerIndexes } from '../src/broker-indexes';
import { type DeadLetter, DeadLetterQueue, PopService, type PoppedMessage } from '../src/consume';
import { DEFAULT_FILTER_SETTINGS } from '../src/settings';
import { MATCH_ALL, type MessageFilter, NO_FILTER_TRANSPORT, type SqlFilterSettings, SubscriptionFilters } from '../src/filter';
import { GroupManager, PERM_READ, PERM_WRITE, type SubscriptionGroupConfig, TopicManager, type TopicMessageType } from '../src/meta';
import { DEFAULT_DELAY_LEVELS, TimerService, parseDelayLevels } from '../src/schedule';
import { SendHandler } from '../src/send';
import { codeNameOf } from '../src/status';
import type { StoreRecord } from '../src/store-port';
import { MemoryStore } from './memory-store';

/*
 * The broker's parts wired over a MemoryStore and one fake clock, as broker.ts wires them over the
 * real store (minus gRPC). Tests drive time with `clock`; nothing here sleeps.
 */

export const BROKER_NAME = 'broker-a';
export const STORE_HOST = '127.0.0.1:8081';
export const DEFAULT_INVISIBLE_MS = 30_000;

/** Time as the classes that take `nowMs` see it; moves only when a test moves it. */
export class FakeClock {
  constructor(public ms: number) {}
  readonly now = (): number => this.ms;
  advance(ms: number): number {
    this.ms += ms;
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}

export interface Harness {
  clock: FakeClock;
  store: MemoryStore;
  indexes: BrokerIndexes;
  topics: TopicManager;
  groups: GroupManager;
  pop: PopService;
  send: SendHandler;
  /** What DeadLetterQueue reported as moved, in order. */
  deadLettered: { group: string; topic: string; messageId: string; attempts: number }[];
}

/**
 * A broker over a fresh MemoryStore. The clock starts at the wall clock's now, because SendHandler
 * checks delivery times against Date.now(); tests only ever move it forward.
 */
export function createHarness(opts: { transactionTimeoutMs?: number; maxInflightPerQueue?: number } = {}): Harness {
  const clock = new FakeClock(Date.now());
  const indexes = createBrokerIndexes({ transactionTimeoutMs: opts.transactionTimeoutMs ?? 6_000 });
  const store = new MemoryStore({ extensions: indexes.extensions, nowMs: clock.now });
  const topics = new TopicManager(store.metadata, { autoCreateTopicEnable: false, defaultTopicQueueNums: 4, nowMs: clock.now });
  const groups = new GroupManager(store.metadata, { autoCreateSubscriptionGroup: true, nowMs: clock.now });
  const deadLettered: Harness['deadLettered'] = [];
  const onMoved = (group: string, letters: DeadLetter[]) => {
    for (const l of letters) deadLettered.push({ group, topic: l.record.topic, messageId: l.record.messageId, attempts: l.attempts });
  };
  const dlq = new DeadLetterQueue(store, topics, onMoved);
  const popLimits = { maxInflightPerQueue: opts.maxInflightPerQueue ?? 64, maxScanEntriesPerPop: 1_024 };
  const pop = new PopService(store, groups, BROKER_NAME, popLimits, dlq.append, clock.now);
  const delay = { levelsMs: parseDelayLevels(DEFAULT_DELAY_LEVELS), maxDelayMs: 86_400_000 };
  const send = new SendHandler(store, topics, { maxMessageSize: 64 * 1024, maxPropertiesBytes: 16 * 1024, delay }, { windowMs: 60_000, maxEntries: 1_000 });
  return { clock, store, indexes, topics, groups, pop, send, deadLettered };
}

export function addTopic(h: Harness, topicName: string, queues = 1, messageType: TopicMessageType = 'MIXED') {
  return h.topics.upsert({ topicName, readQueueNums: queues, writeQueueNums: queues, perm: PERM_READ | PERM_WRITE, messageType });
}

/** A group that starts at the beginning of every queue (so tests need not reason about creation time). */
export function addGroup(h: Harness, groupName: string, over: Partial<SubscriptionGroupConfig> = {}): Promise<SubscriptionGroupConfig> {
  return h.groups.upsert({ groupName, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', ...over });
}

export interface TestMessage {
  topic: string;
  id: string;
  type?: 'NORMAL' | 'FIFO' | 'DELAY' | 'TRANSACTION';
  messageGroup?: string;
  tag?: string;
  keys?: string[];
  deliveryMs?: number;
  body?: string;
  userProperties?: Record<string, string>;
}

function ts(ms: number): { seconds: string; nanos: number } {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

/** A message as a RocketMQ 5 client puts it in SendMessageRequest (the fields the broker reads). */
export function v2Message(m: TestMessage, bornMs: number): v2.Message__Output {
  const systemProperties = {
    keys: m.keys ?? [],
    messageId: m.id,
    messageType: m.type ?? 'NORMAL',
    bornHost: 'test-host',
    bornTimestamp: ts(bornMs),
    bodyEncoding: 'IDENTITY',
    ...(m.tag !== undefined ? { tag: m.tag } : {}),
    ...(m.messageGroup !== undefined ? { messageGroup: m.messageGroup } : {}),
    ...(m.deliveryMs !== undefined ? { deliveryTimestamp: ts(m.deliveryMs) } : {}),
  };
  return {
    topic: { name: m.topic, resourceNamespace: '' },
    userProperties: m.userProperties ?? {},
    body: Buffer.from(m.body ?? `body of ${m.id}`),
    systemProperties,
  } as never;
}

/** Sends through SendHandler (one request); throws unless every entry is OK. */
export async function sendMessages(h: Harness, messages: TestMessage[], clientId = ''): Promise<v2.SendMessageResponse> {
  const res = await h.send.handle({ messages: messages.map((m) => v2Message(m, h.clock.ms)) }, clientId);
  const codes = [codeNameOf(res.status), ...(res.entries ?? []).map((e) => codeNameOf(e.status))];
  if (codes.some((c) => c !== 'OK')) throw new Error(`send failed: ${codes.join(', ')} ${res.status?.message ?? ''}`);
  return res;
}

/** A receive of every readable queue of the topic, as ReceiveHandler pops (without long polling). */
export interface ReceiveOptions {
  max?: number;
  invisibleMs?: number;
  /** A PushConsumer's receive (auto-renew) by this client. */
  autoRenewClientId?: string;
  /** Default: every message. */
  filter?: MessageFilter;
}

export async function receive(h: Harness, group: string, topic: string, opts: ReceiveOptions = {}): Promise<PoppedMessage[]> {
  const g = h.groups.get(group);
  const t = h.topics.get(topic);
  if (!g || !t) throw new Error(`unknown group ${group} or topic ${topic}`);
  const queueIds = Array.from({ length: t.readQueueNums }, (_, i) => i);
  return h.pop.pop(g, topic, queueIds, opts.filter ?? MATCH_ALL, opts.max ?? 32, opts.invisibleMs ?? DEFAULT_INVISIBLE_MS, opts.autoRenewClientId);
}

export function idsOf(popped: readonly { record: { messageId: string } }[]): string[] {
  return popped.map((p) => p.record.messageId);
}

/** Every record in one queue, read through the port as a consumer would. */
export async function queueRecords(store: MemoryStore, topic: string, queueId = 0): Promise<StoreRecord[]> {
  const read = await store.readQueue(topic, queueId, 0, 10_000);
  return read.status === 'FOUND' ? store.getMessages(read.entries) : [];
}

/** Every record in the first `queues` queues of a topic. */
export async function topicRecords(store: MemoryStore, topic: string, queues = 8): Promise<StoreRecord[]> {
  const out: StoreRecord[] = [];
  for (let q = 0; q < queues; q++) out.push(...(await queueRecords(store, topic, q)));
  return out;
}

/** The error code a rejected promise carries (fails the test when it resolves). */
export async function rejectionCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return String((err as { code?: unknown }).code);
  }
  throw new Error('expected a rejection');
}

export interface TimerObservations {
  moved: { topic: string; latenessMs: number }[];
  dropped: { reason: string; topic: string; messageId: string }[];
  errors: Error[];
}

/** A TimerService on the harness clock whose observer records everything it reports. */
export function timerService(h: Harness): { service: TimerService; seen: TimerObservations } {
  const seen: TimerObservations = { moved: [], dropped: [], errors: [] };
  const observer = {
    moved: (topic: string, latenessMs: number) => void seen.moved.push({ topic, latenessMs }),
    dropped: (reason: string, topic: string, messageId: string) => void seen.dropped.push({ reason, topic, messageId }),
    error: (err: Error) => void seen.errors.push(err),
  };
  return { service: new TimerService(h.store, h.indexes.timer, h.topics, observer, h.clock.now), seen };
}

/** Starts a TimerService, waits until it has moved `count` messages, stops it. */
export async function runTimerUntilMoved(h: Harness, count: number): Promise<TimerObservations> {
  const { service, seen } = timerService(h);
  service.start();
  try {
    await waitFor(() => seen.moved.length >= count || seen.errors.length > 0, `${count} delayed message(s) to move`);
  } finally {
    service.stop();
  }
  if (seen.errors.length > 0) throw seen.errors[0];
  return seen;
}

/**
 * Resolves once `condition()` holds, checking after each turn of the event loop; for classes that
 * run on real timers (TimerService re-arms, long polls). Fails after `timeoutMs` rather than hang.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Tag and SQL92 filters as a broker builds them, SQL92 evaluated in-process (no filter server). */
export function testFilters(over: Partial<SqlFilterSettings> = {}): SubscriptionFilters {
  const ignore = () => undefined;
  return new SubscriptionFilters({ ...DEFAULT_FILTER_SETTINGS, ...over }, NO_FILTER_TRANSPORT, { evaluated: ignore, fallback: ignore, serverFailed: ignore });
}
