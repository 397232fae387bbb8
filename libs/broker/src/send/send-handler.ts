import { OrbitError, toOrbitError, type v2 } from '@orbitmq/protocol';
import { type DedupKey, type DedupLimits, DedupWindow } from './dedup-window';
import { type IncomingMessage, type MessageLimits, type SendableMessage, decodeIncoming } from './incoming';
import { type InflightBytes, sendRequestBytes } from './inflight-bytes';
import { encodeProperties, HALF_TOPIC, TIMER_TOPIC } from '../message';
import { QueueSelector, type BrokerTopicConfig, PERM_WRITE, type TopicManager, acceptedTypes } from '../meta';
import { OK_STATUS, statusFromError } from '../status';
import type { StoreAppend, StoreAppendResult, StorePort } from '../store-port';
import { transactionIdOf } from '../transaction';

/** Most messages one SendMessage request may carry. */
export const MAX_MESSAGES_PER_SEND = 1_024;

export interface SendObserver {
  (topic: string, messages: number, bytes: number): void;
}

/**
 * SYNC_MASTER: a send is answered only once a replica has the records durable. The replication
 * leader implements this (libs/replication); a broker without replicas passes none.
 */
export interface SendReplication {
  /** Throws HA_NOT_AVAILABLE when no replica is in sync: refused before anything is stored. */
  assertAvailable(): void;
  /** Resolves once a replica has every byte before `endOffset` durable; SLAVE_PERSISTENCE_TIMEOUT otherwise. */
  awaitReplicated(endOffset: number): Promise<void>;
}

/**
 * SendMessage: validate every message, resolve its topic (auto-creating when enabled), choose a
 * queue, drop retries of sends that already succeeded, and append the rest as ONE store batch
 * (one commit-log write; in SYNC_FLUSH one shared fdatasync) before answering. One entry per
 * message, in request order.
 *
 * Where a message is appended depends on its type: a DELAY message due later goes to TIMER_TOPIC
 * (the timer service moves it when due), a TRANSACTION message to HALF_TOPIC as a half message
 * (its transaction id is the half record's log offset); both name their real topic in a system
 * property. Everything else goes straight to a queue of its topic.
 */
export class SendHandler {
  private readonly dedup: DedupWindow;
  private readonly selector = new QueueSelector();

  constructor(
    private readonly store: StorePort,
    private readonly topics: TopicManager,
    /** Checked on every message (the remoting send path maps its common case itself, with the same checks). */
    readonly limits: MessageLimits,
    dedupLimits: DedupLimits,
    private readonly observe: SendObserver = () => undefined,
    /** Bounds send bytes in flight per connection and per broker (none: unbounded). */
    private readonly inflight?: InflightBytes,
    private readonly replication?: SendReplication,
  ) {
    this.dedup = new DedupWindow(dedupLimits);
  }

  /**
   * `connection` names the client's connection (its peer address) for the per-connection bound;
   * beyond a bound the request is answered TOO_MANY_REQUESTS at once, before any work.
   */
  async handle(req: v2.SendMessageRequest__Output, clientId = '', connection = ''): Promise<v2.SendMessageResponse> {
    const admitted = this.inflight?.tryAcquire(connection, sendRequestBytes(req.messages));
    try {
      if (admitted && 'refused' in admitted) throw new OrbitError('TOO_MANY_REQUESTS', `send refused: ${admitted.refused}; retry later`);
      const { incoming, results } = await this.send(req.messages, clientId);
      return {
        status: OK_STATUS,
        entries: results.map((r, i) => ({
          status: OK_STATUS,
          messageId: incoming[i]?.messageId ?? '',
          transactionId: incoming[i]?.type === 'TRANSACTION' ? transactionIdOf(r.logOffset) : '',
          offset: String(r.queueOffset),
        })),
      };
    } catch (err) {
      const status = statusFromError(err);
      // One entry per message even on failure: clients read entry statuses first.
      return { status, entries: req.messages.map((m) => ({ status, messageId: m.systemProperties?.messageId ?? '' })) };
    } finally {
      if (admitted && 'release' in admitted) admitted.release();
    }
  }

  /**
   * The protocol-neutral send (RocketMQ 4.x remoting sends decode into the same message shape):
   * `queueId` set means the producer chose the queue (4.x producers do; orderly sends depend on
   * it). Throws OrbitError; releases nothing (the caller owns any in-flight admission).
   */
  sendMessages(messages: SendableMessage[], clientId: string, queueId?: number): Promise<{ incoming: IncomingMessage[]; results: StoreAppendResult[] }> {
    return this.send(messages, clientId, queueId);
  }

  /** Per-connection and per-broker bound on send bytes in flight (none: unbounded). */
  admit(connection: string, bytes: number): ReturnType<InflightBytes['tryAcquire']> | undefined {
    return this.inflight?.tryAcquire(connection, bytes);
  }

  private async send(
    messages: SendableMessage[],
    clientId: string,
    fixedQueueId?: number,
  ): Promise<{ incoming: IncomingMessage[]; results: StoreAppendResult[] }> {
    checkCount(messages.length);
    const nowMs = Date.now();
    return this.sendIncoming(
      messages.map((m) => decodeIncoming(m, this.limits, nowMs)),
      clientId,
      fixedQueueId,
    );
  }

  /** Messages already checked (decodeIncoming, or the remoting path's own mapping): routed, deduplicated, appended. */
  async sendIncoming(
    incoming: IncomingMessage[],
    clientId: string,
    fixedQueueId?: number,
  ): Promise<{ incoming: IncomingMessage[]; results: StoreAppendResult[] }> {
    checkCount(incoming.length);
    const nowMs = Date.now();
    const appends: StoreAppend[] = [];
    // Like a RocketMQ MessageBatch, a request's messages of one topic go to one queue (FIFO ones
    // to their group's queue): one topic lookup per topic, and neighbours in the log per queue.
    const queueOfTopic = new Map<string, number>();
    for (const m of incoming) {
      let queueId = m.type === 'FIFO' ? undefined : queueOfTopic.get(m.topic);
      if (queueId === undefined) {
        queueId = await this.route(m, fixedQueueId);
        if (m.type !== 'FIFO') queueOfTopic.set(m.topic, queueId);
      } else this.checkType(m, this.topics.get(m.topic));
      appends.push(this.placement(m, queueId, clientId, nowMs));
    }
    const priors = new Map<number, Promise<StoreAppendResult>>();
    const fresh: number[] = [];
    const freshKeys: DedupKey[] = [];
    for (let i = 0; i < incoming.length; i++) {
      const m = incoming[i] as IncomingMessage;
      const prior = this.dedup.get(m.topic, m.messageId);
      if (prior) priors.set(i, prior);
      else {
        fresh.push(i);
        freshKeys.push(m);
      }
    }
    const out = new Array<StoreAppendResult>(incoming.length);
    try {
      // SYNC_MASTER without an in-sync replica: refuse before the append, so nothing is stored
      // that the client (told HA_NOT_AVAILABLE) would send again elsewhere.
      if (fresh.length > 0) this.replication?.assertAvailable();
      if (fresh.length > 0) {
        const batch = this.store.appendBatch(fresh.length === appends.length ? appends : fresh.map((i) => appends[i] as StoreAppend));
        this.dedup.setBatch(freshKeys, batch);
        const written = await batch;
        for (let k = 0; k < fresh.length; k++) out[fresh[k] as number] = written[k] as StoreAppendResult;
      }
      for (const [i, prior] of priors) out[i] = await prior;
      if (this.replication) await this.replication.awaitReplicated(endOf(out));
    } catch (err) {
      throw toOrbitError(err);
    }
    let bytes = 0;
    for (const m of incoming) bytes += m.append.body.length;
    this.observe((incoming[0] as IncomingMessage).topic, incoming.length, bytes);
    return { incoming, results: out };
  }

  /** The record to append: in the message's queue, or in the system topic that holds it back. */
  private placement(m: IncomingMessage, queueId: number, clientId: string, nowMs: number): StoreAppend {
    if (m.type === 'TRANSACTION') {
      return appendOf(m, HALF_TOPIC, 0, encodeProperties({ ...m.system, realTopic: m.topic, producerClientId: clientId }, m.user));
    }
    if (m.type === 'DELAY' && (m.deliveryTimestampMs as number) > nowMs) {
      return appendOf(m, TIMER_TOPIC, 0, encodeProperties({ ...m.system, realTopic: m.topic }, m.user));
    }
    return appendOf(m, m.append.topic, queueId, m.append.properties);
  }

  /** Every message of a request is checked against its topic's accepted types, not only the first. */
  private checkType(m: IncomingMessage, topic: BrokerTopicConfig | undefined): void {
    if (!topic) throw new OrbitError('TOPIC_NOT_FOUND', `topic ${m.topic} does not exist`);
    if (!acceptedTypes(topic.messageType).includes(m.declaredType)) {
      throw new OrbitError('MESSAGE_PROPERTY_CONFLICT_WITH_TYPE', `topic ${m.topic} accepts ${topic.messageType} messages, not ${m.declaredType}`);
    }
  }

  /** The topic must exist (or be auto-created), be writable and accept the message's type. */
  private async route(m: IncomingMessage, fixedQueueId?: number): Promise<number> {
    const topic = await this.topics.ensure(m.topic);
    if ((topic.perm & PERM_WRITE) === 0) throw new OrbitError('FORBIDDEN', `topic ${m.topic} is not writable on this broker`);
    this.checkType(m, topic);
    if (fixedQueueId !== undefined) {
      if (!Number.isInteger(fixedQueueId) || fixedQueueId < 0 || fixedQueueId >= topic.writeQueueNums)
        throw new OrbitError('BAD_REQUEST', `queue ${fixedQueueId} is not a writable queue of ${m.topic} (0-${topic.writeQueueNums - 1})`);
      return fixedQueueId;
    }
    return this.selector.select(m.topic, topic.writeQueueNums, m.type === 'FIFO' ? m.messageGroup : undefined);
  }
}

function checkCount(messages: number): void {
  if (messages === 0) throw new OrbitError('BAD_REQUEST', 'SendMessage carries no message');
  if (messages > MAX_MESSAGES_PER_SEND) throw new OrbitError('BAD_REQUEST', `${messages} messages exceed ${MAX_MESSAGES_PER_SEND} per request`);
}

/** End offset (exclusive) of the last record among the results: what a replica must have. */
function endOf(results: readonly StoreAppendResult[]): number {
  let end = 0;
  for (const r of results) if (r.logOffset + r.size > end) end = r.logOffset + r.size;
  return end;
}

/** One object shape for every append of the send path (the storage codec's reads stay monomorphic). */
function appendOf(m: IncomingMessage, topic: string, queueId: number, properties: Buffer | undefined): StoreAppend {
  const a = m.append;
  return {
    topic,
    queueId,
    sysFlag: a.sysFlag,
    bornTimestampMs: a.bornTimestampMs,
    reconsumeTimes: 0,
    messageId: a.messageId,
    tag: a.tag,
    keys: a.keys,
    properties,
    body: a.body,
  };
}
