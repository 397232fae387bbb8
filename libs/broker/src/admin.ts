import { OrbitError, checkGroupName, checkTopicName } from '@orbitmq/protocol';
import type { Broker } from './broker';
import type { ClientInfo } from './client-registry';
import type { ConsumeFromWhere, SubscriptionGroupConfig } from './group-manager';
import { decodeProperties } from './message-properties';
import type { StoreFound } from './store-port';
import type { ScheduleBucket } from './timer-index';
import type { PendingTransaction } from './transaction-service';
import type { BrokerTopicConfig, TopicMessageType } from './topic-manager';

/** Largest result of a message query. */
export const MAX_QUERY_RESULTS = 1_024;

export interface QueueProgress {
  topic: string;
  queueId: number;
  brokerOffset: number;
  consumerOffset: number;
  inflight: number;
  lag: number;
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
}

/**
 * What operators do to a broker (behind orbitmq.v1.BrokerAdmin and mqadmin): topics, groups,
 * progress, connections, message queries, offset resets. Plain values in and out; the app maps
 * them to gRPC.
 */
export class BrokerAdminApi {
  constructor(private readonly broker: Broker) {}

  async updateTopic(t: { topicName: string; readQueueNums: number; writeQueueNums: number; perm: number; messageType: string }): Promise<BrokerTopicConfig> {
    const type = (['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED'] as const).find((x) => x === t.messageType) ?? 'MIXED';
    return this.broker.topics.upsert({ ...t, messageType: type as TopicMessageType });
  }

  async deleteTopic(topic: string): Promise<void> {
    checkTopicName(topic);
    if (!(await this.broker.topics.delete(topic))) throw new OrbitError('TOPIC_NOT_FOUND', `topic ${topic} does not exist on this broker`);
    await this.broker.store.deleteTopic(topic);
  }

  async topicStatus(topic: string): Promise<{ topic: BrokerTopicConfig; queues: { queueId: number; minOffset: number; maxOffset: number }[] }> {
    const t = this.topic(topic);
    const queues = [];
    for (let q = 0; q < Math.max(t.readQueueNums, t.writeQueueNums); q++) {
      queues.push({ queueId: q, minOffset: await this.broker.store.getMinQueueOffset(topic, q), maxOffset: this.broker.store.getMaxQueueOffset(topic, q) });
    }
    return { topic: t, queues };
  }

  async updateGroup(g: Partial<SubscriptionGroupConfig> & { groupName: string }): Promise<SubscriptionGroupConfig> {
    if (g.ordering !== undefined && !['auto', 'ordered', 'unordered'].includes(g.ordering)) throw new OrbitError('BAD_REQUEST', `ordering '${g.ordering}' must be auto, ordered or unordered`);
    const wheres: ConsumeFromWhere[] = ['CONSUME_FROM_LAST_OFFSET', 'CONSUME_FROM_FIRST_OFFSET', 'CONSUME_FROM_TIMESTAMP'];
    if (g.consumeFromWhere !== undefined && !wheres.includes(g.consumeFromWhere)) throw new OrbitError('BAD_REQUEST', `consumeFromWhere '${g.consumeFromWhere}' must be one of ${wheres.join(', ')}`);
    return this.broker.groups.upsert(g);
  }

  async deleteGroup(group: string): Promise<void> {
    checkGroupName(group);
    if (!(await this.broker.groups.delete(group))) throw new OrbitError('CONSUMER_GROUP_NOT_FOUND', `consumer group ${group} does not exist`);
  }

  /** Per queue the group has consumed (or every queue of `topic`): offsets, in flight, lag. */
  async consumerProgress(group: string, topic?: string): Promise<{ queues: QueueProgress[]; totalLag: number }> {
    checkGroupName(group);
    if (!this.broker.groups.get(group)) throw new OrbitError('CONSUMER_GROUP_NOT_FOUND', `consumer group ${group} does not exist`);
    const known = this.broker.pop.progress(group).filter((p) => !topic || p.topic === topic);
    const queues: QueueProgress[] = [];
    const add = async (t: string, queueId: number) => {
      const p = known.find((k) => k.topic === t && k.queueId === queueId);
      const brokerOffset = this.broker.store.getMaxQueueOffset(t, queueId);
      const consumerOffset = p?.consumedOffset ?? (await this.broker.store.getConsumerOffset(group, t, queueId)) ?? brokerOffset;
      queues.push({ topic: t, queueId, brokerOffset, consumerOffset, inflight: p?.inflight ?? 0, lag: Math.max(0, brokerOffset - consumerOffset) });
    };
    if (topic) {
      const t = this.topic(topic);
      for (let q = 0; q < t.readQueueNums; q++) await add(topic, q);
    } else {
      for (const p of known) await add(p.topic, p.queueId);
    }
    return { queues, totalLag: queues.reduce((s, q) => s + q.lag, 0) };
  }

  connections(filter: { group?: string; topic?: string; clientType?: string }): ClientInfo[] {
    return this.broker.clients
      .list()
      .filter((c) => (!filter.group || c.groups.has(filter.group)) && (!filter.topic || c.topics.has(filter.topic)) && (!filter.clientType || c.clientType === filter.clientType));
  }

  async queryMessages(q: { messageId?: string; topic?: string; key?: string; beginTimestampMs?: number; endTimestampMs?: number; maxResults?: number }): Promise<AdminMessageView[]> {
    const max = Math.min(Math.max(q.maxResults || 64, 1), MAX_QUERY_RESULTS);
    let found: StoreFound[];
    if (q.messageId) found = await this.broker.store.findByMessageId(q.messageId, max);
    else if (q.topic && q.key) {
      checkTopicName(q.topic);
      found = await this.broker.store.findByKey(q.topic, q.key, { ...(q.beginTimestampMs ? { beginTimestampMs: q.beginTimestampMs } : {}), ...(q.endTimestampMs ? { endTimestampMs: q.endTimestampMs } : {}), maxResults: max });
    } else throw new OrbitError('BAD_REQUEST', 'query by message id, or by topic and key');
    return found.map(({ logOffset, record: r }) => {
      const props = decodeProperties(r.properties);
      return {
        topic: r.topic,
        queueId: r.queueId,
        queueOffset: r.queueOffset,
        commitLogOffset: logOffset,
        messageId: r.messageId,
        tag: r.tag,
        keys: r.keys,
        properties: props.user,
        messageGroup: props.system.messageGroup ?? '',
        bornTimestampMs: r.bornTimestampMs,
        storeTimestampMs: r.storeTimestampMs,
        reconsumeTimes: r.reconsumeTimes,
        body: r.body,
      };
    });
  }

  /** Moves the group in every queue of the topic to the first message stored at or after `timestampMs`. */
  async resetOffsetByTime(group: string, topic: string, timestampMs: number): Promise<{ queueId: number; offset: number }[]> {
    const t = this.topic(topic);
    const g = this.broker.groups.get(group);
    if (!g) throw new OrbitError('CONSUMER_GROUP_NOT_FOUND', `consumer group ${group} does not exist`);
    const out = [];
    for (let q = 0; q < t.readQueueNums; q++) {
      const offset = await this.broker.store.getQueueOffsetByTime(topic, q, timestampMs);
      await this.broker.pop.resetOffset(g, topic, q, offset);
      out.push({ queueId: q, offset });
    }
    this.broker.hub.notify(topic, 'arrived');
    return out;
  }

  private topic(topic: string): BrokerTopicConfig {
    checkTopicName(topic);
    const t = this.broker.topics.get(topic);
    if (!t) throw new OrbitError('TOPIC_NOT_FOUND', `topic ${topic} does not exist on this broker`);
    return t;
  }

  /** Half messages awaiting commit or rollback (of a topic, or all when empty). */
  async pendingTransactions(topic: string, limit: number): Promise<{ transactions: PendingTransaction[]; totalPending: number }> {
    if (topic) checkTopicName(topic);
    return { transactions: await this.broker.transactions.list(topic, limit || MAX_QUERY_RESULTS), totalPending: this.broker.indexes.transactions.pending() };
  }

  /** Pending delayed messages by due-time bucket. */
  scheduleStats(nowMs = Date.now()): { pending: number; buckets: ScheduleBucket[] } {
    return { pending: this.broker.indexes.timer.pending(), buckets: this.broker.indexes.timer.buckets(nowMs) };
  }
}
