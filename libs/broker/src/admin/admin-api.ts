import { OrbitError, checkGroupName, checkTopicName } from '@orbitmq/protocol';
import type { BrokerIndexes } from '../broker-indexes';
import type { ClientInfo, ClientRegistry } from '../clients';
import type { LongPollHub, PopService } from '../consume';
import type { BrokerTopicConfig, ConsumeFromWhere, GroupManager, SubscriptionGroupConfig, TopicManager, TopicMessageType } from '../meta';
import { decodeProperties } from '../message';
import type { StoreFound, StorePort, StoreQueueEntry, StoreRecord } from '../store-port';
import type { ScheduleBucket } from '../schedule';
import type { PendingTransaction, TransactionService } from '../transaction';
import { type GroupDelivery, deliveryState } from './delivery-state';
import { type BrowseChunk, type BrowseRequest, browse } from './browse';
import type { SubscriptionFilters } from '../filter';
import type { SendHandler } from '../send';
import { type ResendOutcome, originTopicOf, resend } from './resend';

/** Largest result of a message query. */
export const MAX_QUERY_RESULTS = 1_024;

export interface QueueProgress {
  topic: string;
  queueId: number;
  brokerOffset: number;
  consumerOffset: number;
  inflight: number;
  lag: number;
  /** Store time of the first unconsumed message (0 without lag, or when not asked). */
  nextStoreTimestampMs: number;
}

export interface GroupSummary {
  group: SubscriptionGroupConfig;
  totalLag: number;
  inflight: number;
  queues: number;
  clients: number;
  /** The topics the group has consumed here, with its lag on each. */
  topics: { topic: string; lag: number }[];
}

export interface AdminMessageView {
  topic: string;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  messageId: string;
  tag: string;
  keys: string[];
  properties: Record<string, string>;
  messageGroup: string;
  bornTimestampMs: number;
  storeTimestampMs: number;
  reconsumeTimes: number;
  body: Buffer;
  /** A retry or dead-letter copy's original topic (RocketMQ's RETRY_TOPIC), else ''. */
  originTopic: string;
}

/** Only what the admin API uses of each part, so it cannot grow into a service locator. */
export interface AdminDeps {
  store: Pick<
    StorePort,
    | 'deleteTopic'
    | 'getMinQueueOffset'
    | 'getMaxQueueOffset'
    | 'getConsumerOffset'
    | 'getQueueOffsetByTime'
    | 'findByMessageId'
    | 'findByKey'
    | 'getMessageAt'
    | 'getMessages'
    | 'readQueue'
  >;
  topics: Pick<TopicManager, 'get' | 'upsert' | 'delete' | 'list'>;
  groups: Pick<GroupManager, 'get' | 'upsert' | 'delete' | 'list'>;
  pop: Pick<PopService, 'progress' | 'resetOffset' | 'inflightCount' | 'deliveryOf'>;
  clients: Pick<ClientRegistry, 'list'>;
  /** Wakes receives parked on a topic (after an offset reset makes messages deliverable). */
  hub: Pick<LongPollHub, 'notify'>;
  transactions: Pick<TransactionService, 'list'>;
  indexes: BrokerIndexes;
  /** The log offset a 4.x offsetMsgId of this broker names (store host + offset), else undefined. */
  logOffsetOfMessageId?: (messageId: string) => number | undefined;
  /** The clock in-flight deadlines are compared with (default Date.now). */
  nowMs?: () => number;
  /** Filters for browsing (tags, SQL92 through the filter servers). */
  filters?: Pick<SubscriptionFilters, 'forExpression'>;
  /** The send path, for resending stored messages. */
  send?: Pick<SendHandler, 'sendMessages'>;
}

/**
 * What operators do to a broker (behind orbitmq.v1.BrokerAdmin and mqadmin): topics, groups,
 * progress, connections, message queries, offset resets. Plain values in and out; the app maps
 * them to gRPC.
 */
export class BrokerAdminApi {
  constructor(private readonly d: AdminDeps) {}

  async updateTopic(t: { topicName: string; readQueueNums: number; writeQueueNums: number; perm: number; messageType: string }): Promise<BrokerTopicConfig> {
    const type = (['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED'] as const).find((x) => x === t.messageType) ?? 'MIXED';
    return this.d.topics.upsert({ ...t, messageType: type as TopicMessageType });
  }

  async deleteTopic(topic: string): Promise<void> {
    checkTopicName(topic);
    if (!(await this.d.topics.delete(topic))) throw new OrbitError('TOPIC_NOT_FOUND', `topic ${topic} does not exist on this broker`);
    await this.d.store.deleteTopic(topic);
  }

  async topicStatus(topic: string): Promise<{ topic: BrokerTopicConfig; queues: { queueId: number; minOffset: number; maxOffset: number }[] }> {
    const t = this.topic(topic);
    const queues = [];
    for (let q = 0; q < Math.max(t.readQueueNums, t.writeQueueNums); q++) {
      queues.push({ queueId: q, minOffset: await this.d.store.getMinQueueOffset(topic, q), maxOffset: this.d.store.getMaxQueueOffset(topic, q) });
    }
    return { topic: t, queues };
  }

  /** Topics (the named ones, or all) with their configuration and the messages ever written to them (max offsets, in memory). */
  topicStats(names: readonly string[] = []): { topic: BrokerTopicConfig; messagesWritten: number }[] {
    const topics = names.length ? names.flatMap((n) => this.d.topics.get(n) ?? []) : this.d.topics.list();
    return topics.map((topic) => {
      let messagesWritten = 0;
      for (let q = 0; q < Math.max(topic.readQueueNums, topic.writeQueueNums); q++) messagesWritten += this.d.store.getMaxQueueOffset(topic.topicName, q);
      return { topic, messagesWritten };
    });
  }

  async updateGroup(g: Partial<SubscriptionGroupConfig> & { groupName: string }): Promise<SubscriptionGroupConfig> {
    if (g.ordering !== undefined && !['auto', 'ordered', 'unordered'].includes(g.ordering))
      throw new OrbitError('BAD_REQUEST', `ordering '${g.ordering}' must be auto, ordered or unordered`);
    const wheres: ConsumeFromWhere[] = ['CONSUME_FROM_LAST_OFFSET', 'CONSUME_FROM_FIRST_OFFSET', 'CONSUME_FROM_TIMESTAMP'];
    if (g.consumeFromWhere !== undefined && !wheres.includes(g.consumeFromWhere))
      throw new OrbitError('BAD_REQUEST', `consumeFromWhere '${g.consumeFromWhere}' must be one of ${wheres.join(', ')}`);
    return this.d.groups.upsert(g);
  }

  async deleteGroup(group: string): Promise<void> {
    checkGroupName(group);
    if (!(await this.d.groups.delete(group))) throw new OrbitError('CONSUMER_GROUP_NOT_FOUND', `consumer group ${group} does not exist`);
  }

  /** Per queue the group has consumed (or every queue of `topic`): offsets, in flight, lag. */
  async consumerProgress(group: string, topic?: string): Promise<{ queues: QueueProgress[]; totalLag: number }> {
    checkGroupName(group);
    if (!this.d.groups.get(group)) throw new OrbitError('CONSUMER_GROUP_NOT_FOUND', `consumer group ${group} does not exist`);
    const known = this.d.pop.progress(group).filter((p) => !topic || p.topic === topic);
    const queues: QueueProgress[] = [];
    const add = async (t: string, queueId: number) => {
      const p = known.find((k) => k.topic === t && k.queueId === queueId);
      const brokerOffset = this.d.store.getMaxQueueOffset(t, queueId);
      const consumerOffset = p?.consumedOffset ?? (await this.d.store.getConsumerOffset(group, t, queueId)) ?? brokerOffset;
      const lag = Math.max(0, brokerOffset - consumerOffset);
      // Lag in time costs a consume-queue read per lagging queue: only for one topic's progress.
      const nextStoreTimestampMs = topic && lag > 0 ? await this.storeTimeAt(t, queueId, consumerOffset) : 0;
      queues.push({ topic: t, queueId, brokerOffset, consumerOffset, inflight: p?.inflight ?? 0, lag, nextStoreTimestampMs });
    };
    if (topic) {
      const t = this.topic(topic);
      for (let q = 0; q < t.readQueueNums; q++) await add(topic, q);
    } else {
      for (const p of known) await add(p.topic, p.queueId);
    }
    return { queues, totalLag: queues.reduce((s, q) => s + q.lag, 0) };
  }

  /** Store time of the message at (or first after) `offset` of a queue; 0 when there is none. */
  private async storeTimeAt(topic: string, queueId: number, offset: number): Promise<number> {
    const read = await this.d.store.readQueue(topic, queueId, offset, 1);
    return read.status === 'FOUND' ? (read.entries[0]?.storeTimestampMs ?? 0) : 0;
  }

  /** Every group with its lag and in flight summed over the queues it has consumed, and its clients. */
  async groupSummaries(): Promise<GroupSummary[]> {
    const clients = this.d.clients.list();
    const out = [];
    for (const group of this.d.groups.list()) {
      const p = await this.consumerProgress(group.groupName);
      const byTopic = new Map<string, number>();
      for (const q of p.queues) byTopic.set(q.topic, (byTopic.get(q.topic) ?? 0) + q.lag);
      out.push({
        group,
        totalLag: p.totalLag,
        inflight: p.queues.reduce((s, q) => s + q.inflight, 0),
        queues: p.queues.length,
        clients: clients.filter((c) => c.groups.has(group.groupName)).length,
        topics: [...byTopic].sort(([a], [b]) => a.localeCompare(b)).map(([topic, lag]) => ({ topic, lag })),
      });
    }
    return out;
  }

  connections(filter: { group?: string; topic?: string; clientType?: string }): ClientInfo[] {
    return this.d.clients
      .list()
      .filter(
        (c) =>
          (!filter.group || c.groups.has(filter.group)) &&
          (!filter.topic || c.topics.has(filter.topic)) &&
          (!filter.clientType || c.clientType === filter.clientType),
      );
  }

  async queryMessages(q: {
    messageId?: string;
    topic?: string;
    key?: string;
    beginTimestampMs?: number;
    endTimestampMs?: number;
    maxResults?: number;
  }): Promise<AdminMessageView[]> {
    const max = Math.min(Math.max(q.maxResults || 64, 1), MAX_QUERY_RESULTS);
    let found: Pick<StoreFound, 'logOffset' | 'record'>[];
    if (q.messageId) found = (await this.byOffsetMsgId(q.messageId)) ?? (await this.d.store.findByMessageId(q.messageId, max));
    else if (q.topic && q.key) {
      checkTopicName(q.topic);
      found = await this.d.store.findByKey(q.topic, q.key, {
        ...(q.beginTimestampMs ? { beginTimestampMs: q.beginTimestampMs } : {}),
        ...(q.endTimestampMs ? { endTimestampMs: q.endTimestampMs } : {}),
        maxResults: max,
      });
    } else if (q.topic && q.beginTimestampMs) found = await this.byTopicTime(q.topic, q.beginTimestampMs, q.endTimestampMs || Date.now(), max);
    else throw new OrbitError('BAD_REQUEST', 'query by message id, by topic and key, or by topic and a begin time');
    return found.map(({ logOffset, record }) => messageView(logOffset, record));
  }

  /**
   * A topic's messages stored in [beginMs, endMs], the earliest first: every queue is read from
   * the first message at or after beginMs, at most `max` entries each, so the scan is bounded.
   */
  private async byTopicTime(topic: string, beginMs: number, endMs: number, max: number): Promise<{ logOffset: number; record: StoreRecord }[]> {
    const t = this.topic(topic);
    const entries: StoreQueueEntry[] = [];
    for (let q = 0; q < t.readQueueNums; q++) {
      const from = await this.d.store.getQueueOffsetByTime(topic, q, beginMs);
      const read = await this.d.store.readQueue(topic, q, from, max);
      if (read.status === 'FOUND') entries.push(...read.entries.filter((e) => e.storeTimestampMs >= beginMs && e.storeTimestampMs <= endMs));
    }
    const first = entries.sort((a, b) => a.storeTimestampMs - b.storeTimestampMs || a.logOffset - b.logOffset).slice(0, max);
    const records = await this.d.store.getMessages(first);
    return records.map((record, i) => ({ logOffset: (first[i] as StoreQueueEntry).logOffset, record }));
  }

  /** Stored messages of a queue sent again as new messages, to `toTopic` or where each came from (ResendMessages). */
  async resend(topic: string, queueId: number, offsets: readonly number[], toTopic: string): Promise<ResendOutcome[]> {
    const t = this.topic(topic);
    if (!Number.isInteger(queueId) || queueId < 0 || queueId >= t.readQueueNums) throw new OrbitError('BAD_REQUEST', `queue ${queueId} is not a readable queue of topic ${topic}`);
    if (toTopic) checkTopicName(toTopic);
    return resend(this.d, topic, queueId, offsets, toTopic);
  }

  /** A topic's stored messages, streamed in chunks with progress (BrowseMessages). */
  browse(req: BrowseRequest, isCancelled: () => boolean): AsyncGenerator<BrowseChunk> {
    checkTopicName(req.topic);
    return browse(this.d, req, isCancelled);
  }

  /** The message at a queue offset and where it stands for each group that consumes the queue. */
  async deliveryState(
    topic: string,
    queueId: number,
    queueOffset: number,
  ): Promise<{ message: AdminMessageView; deliveries: GroupDelivery[]; groupsLeftOut: number }> {
    const t = this.topic(topic);
    if (!Number.isInteger(queueId) || queueId < 0 || queueId >= Math.max(t.readQueueNums, t.writeQueueNums))
      throw new OrbitError('BAD_REQUEST', `queue ${queueId} is not a queue of topic ${topic}`);
    const r = await deliveryState(this.d, topic, queueId, queueOffset);
    return { message: messageView(-1, r.record), deliveries: r.deliveries, groupsLeftOut: r.groupsLeftOut };
  }

  /** A stored record as the admin API shows it. */
  static view(record: StoreRecord): AdminMessageView {
    return messageView(-1, record);
  }

  /**
   * A 4.x offsetMsgId naming this broker (mqadmin queryMsgById, as RocketMQ's does): the record
   * starting at its log offset. Undefined for other ids, or when no record starts there (the id
   * may be a message id that merely looks like one); the message-id index answers those.
   */
  private async byOffsetMsgId(messageId: string): Promise<Pick<StoreFound, 'logOffset' | 'record'>[] | undefined> {
    const logOffset = this.d.logOffsetOfMessageId?.(messageId);
    if (logOffset === undefined) return undefined;
    const record = await this.d.store.getMessageAt(logOffset).catch(() => undefined);
    return record ? [{ logOffset, record }] : undefined;
  }

  /**
   * Moves the group in every queue of the topic to the first message stored at or after
   * `timestampMs`, reporting where it stood before (as consumerProgress does). `dryRun`: only
   * computes both, the preview an operator confirms.
   */
  async resetOffsetByTime(
    group: string,
    topic: string,
    timestampMs: number,
    dryRun = false,
  ): Promise<{ queueId: number; offset: number; previousOffset: number }[]> {
    const t = this.topic(topic);
    const g = this.d.groups.get(group);
    if (!g) throw new OrbitError('CONSUMER_GROUP_NOT_FOUND', `consumer group ${group} does not exist`);
    const before = new Map((await this.consumerProgress(group, topic)).queues.map((q) => [q.queueId, q.consumerOffset]));
    const out = [];
    for (let q = 0; q < t.readQueueNums; q++) {
      const offset = await this.d.store.getQueueOffsetByTime(topic, q, timestampMs);
      if (!dryRun) await this.d.pop.resetOffset(g, topic, q, offset);
      out.push({ queueId: q, offset, previousOffset: before.get(q) ?? offset });
    }
    if (!dryRun) this.d.hub.notify(topic, 'arrived');
    return out;
  }

  private topic(topic: string): BrokerTopicConfig {
    checkTopicName(topic);
    const t = this.d.topics.get(topic);
    if (!t) throw new OrbitError('TOPIC_NOT_FOUND', `topic ${topic} does not exist on this broker`);
    return t;
  }

  /** Counts an operator sees first (GetBrokerStatus). */
  summary(): { topics: number; groups: number; clients: number; inflightMessages: number } {
    return {
      topics: this.d.topics.list().length,
      groups: this.d.groups.list().length,
      clients: this.d.clients.list().length,
      inflightMessages: this.d.pop.inflightCount(),
    };
  }

  /** Half messages awaiting commit or rollback (of a topic, or all when empty). */
  async pendingTransactions(topic: string, limit: number): Promise<{ transactions: PendingTransaction[]; totalPending: number }> {
    if (topic) checkTopicName(topic);
    return { transactions: await this.d.transactions.list(topic, limit || MAX_QUERY_RESULTS), totalPending: this.d.indexes.transactions.pending() };
  }

  /** Pending delayed messages by due-time bucket. */
  scheduleStats(nowMs = Date.now()): { pending: number; buckets: ScheduleBucket[] } {
    return { pending: this.d.indexes.timer.pending(), buckets: this.d.indexes.timer.buckets(nowMs) };
  }
}

function messageView(logOffset: number, r: StoreRecord): AdminMessageView {
  const props = decodeProperties(r.properties);
  return {
    topic: r.topic,
    queueId: r.queueId,
    queueOffset: r.queueOffset,
    commitLogOffset: logOffset >= 0 ? logOffset : r.physicalOffset,
    messageId: r.messageId,
    tag: r.tag,
    keys: r.keys,
    properties: props.user,
    messageGroup: props.system.messageGroup ?? '',
    bornTimestampMs: r.bornTimestampMs,
    storeTimestampMs: r.storeTimestampMs,
    reconsumeTimes: r.reconsumeTimes,
    body: r.body,
    originTopic: originTopicOf(r),
  };
}
