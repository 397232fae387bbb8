import { OrbitError, toOrbitError, type v2 } from '@orbitmq/protocol';
import { DedupWindow, type DedupLimits } from './dedup-window';
import { type IncomingMessage, type MessageLimits, decodeIncoming } from './message-codec';
import { QueueSelector } from './queue-selector';
import { OK_STATUS, statusFromError } from './status';
import type { StoreAppendResult, StorePort } from './store-port';
import { PERM_WRITE, type TopicManager, acceptedTypes } from './topic-manager';

/** Most messages one SendMessage request may carry. */
export const MAX_MESSAGES_PER_SEND = 1_024;

export interface SendObserver {
  (topic: string, messages: number, bytes: number): void;
}

/**
 * SendMessage: validate every message, resolve its topic (auto-creating when enabled), choose a
 * queue, drop retries of sends that already succeeded, and append the rest as ONE store batch
 * (one commit-log write; in SYNC_FLUSH one shared fdatasync) before answering. One entry per
 * message, in request order.
 */
export class SendHandler {
  private readonly dedup: DedupWindow<StoreAppendResult>;
  private readonly selector = new QueueSelector();

  constructor(
    private readonly store: StorePort,
    private readonly topics: TopicManager,
    private readonly limits: MessageLimits,
    dedupLimits: DedupLimits,
    private readonly observe: SendObserver = () => undefined,
  ) {
    this.dedup = new DedupWindow(dedupLimits);
  }

  async handle(req: v2.SendMessageRequest__Output): Promise<v2.SendMessageResponse> {
    try {
      const results = await this.send(req.messages);
      return {
        status: OK_STATUS,
        entries: results.map((r, i) => ({ status: OK_STATUS, messageId: req.messages[i]?.systemProperties?.messageId ?? '', transactionId: '', offset: String(r.queueOffset) })),
      };
    } catch (err) {
      const status = statusFromError(err);
      // One entry per message even on failure: clients read entry statuses first.
      return { status, entries: req.messages.map((m) => ({ status, messageId: m.systemProperties?.messageId ?? '' })) };
    }
  }

  private async send(messages: v2.Message__Output[]): Promise<StoreAppendResult[]> {
    if (messages.length === 0) throw new OrbitError('BAD_REQUEST', 'SendMessage carries no message');
    if (messages.length > MAX_MESSAGES_PER_SEND) throw new OrbitError('BAD_REQUEST', `${messages.length} messages exceed ${MAX_MESSAGES_PER_SEND} per request`);
    const incoming = messages.map((m) => decodeIncoming(m, this.limits));
    const queueIds: number[] = [];
    for (const m of incoming) queueIds.push(await this.route(m));
    const results: Promise<StoreAppendResult>[] = new Array(incoming.length);
    const fresh: number[] = [];
    for (let i = 0; i < incoming.length; i++) {
      const m = incoming[i] as IncomingMessage;
      const prior = this.dedup.get(`${m.topic}\u0000${m.messageId}`);
      if (prior) results[i] = prior;
      else fresh.push(i);
    }
    if (fresh.length > 0) {
      const batch = this.store.appendBatch(fresh.map((i) => ({ ...(incoming[i] as IncomingMessage).append, queueId: queueIds[i] as number })));
      fresh.forEach((i, k) => {
        const one = batch.then((r) => r[k] as StoreAppendResult);
        const m = incoming[i] as IncomingMessage;
        this.dedup.set(`${m.topic}\u0000${m.messageId}`, one);
        results[i] = one;
      });
    }
    const out = await Promise.all(results).catch((err: unknown) => {
      throw toOrbitError(err);
    });
    let bytes = 0;
    for (const m of incoming) bytes += m.append.body.length;
    this.observe((incoming[0] as IncomingMessage).topic, incoming.length, bytes);
    return out;
  }

  /** The topic must exist (or be auto-created), be writable and accept the message's type. */
  private async route(m: IncomingMessage): Promise<number> {
    const topic = await this.topics.ensure(m.topic);
    if ((topic.perm & PERM_WRITE) === 0) throw new OrbitError('FORBIDDEN', `topic ${m.topic} is not writable on this broker`);
    if (!acceptedTypes(topic.messageType).includes(m.type)) {
      throw new OrbitError('MESSAGE_PROPERTY_CONFLICT_WITH_TYPE', `topic ${m.topic} accepts ${topic.messageType} messages, not ${m.type}`);
    }
    if (m.type === 'DELAY' || m.type === 'TRANSACTION') {
      throw new OrbitError('UNSUPPORTED', `${m.type} messages are not supported by this broker version yet`);
    }
    return this.selector.select(m.topic, topic.writeQueueNums, m.type === 'FIFO' ? m.messageGroup : undefined);
  }
}
