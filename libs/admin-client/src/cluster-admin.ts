import type { v1 } from '@orbitmq/protocol';
import { type BrokerResult, callBroker, fanOut, onEvery } from './broker-call';
import { type AdminOptions, nameServers } from './options';
import { type BrokerTarget, memberTargets, targets } from './targets';

/** One name server's view of the cluster, or why it gave none. */
export interface NameServerView {
  address: string;
  ok: boolean;
  error?: string;
  /** "cluster/brokerName/brokerId@internalEndpoint", sorted: comparable across name servers. */
  members: string[];
}

export interface ClusterOverview {
  nameServers: NameServerView[];
  /** False when two name servers that answered list different brokers. */
  nameServersAgree: boolean;
  /** Every member the name servers list (union), with its status or the reason it gave none. */
  brokers: BrokerResult<v1.GetBrokerStatusResponse__Output>[];
}

/** A subscription group across the masters that know it. */
export interface GroupView {
  group: string;
  totalLag: number;
  inflight: number;
  clients: number;
  brokers: string[];
  config: v1.SubscriptionGroup__Output | undefined;
  /** Topics the group has consumed, with its lag on each (summed over the masters). */
  topics: Map<string, number>;
}

/** A master that did not answer, and why. */
export interface BrokerFailure {
  broker: string;
  code: string;
  error: string;
}

/** A topic across the masters that hold it. */
export interface TopicStatsView {
  topic: string;
  messageType: string;
  /** Summed over the masters. */
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  messagesWritten: number;
  brokers: string[];
}

export interface BrokerDetail {
  target: BrokerTarget;
  status: BrokerResult<v1.GetBrokerStatusResponse__Output>;
  ha: BrokerResult<v1.GetHaStatusResponse__Output>;
}

export interface TopicSpec {
  topic: string;
  readQueueNums: number;
  writeQueueNums: number;
  /** RocketMQ's perm bits: 2 write, 4 read, 6 both. */
  perm: number;
  messageType: string;
  /** Only this cluster's masters (default: every master). */
  cluster?: string;
}

export interface GroupSpec {
  group: string;
  /** Deliveries before %DLQ%<group> (0 or absent: unchanged / the default). */
  maxDeliveryAttempts?: number;
  ordering?: 'auto' | 'ordered' | 'unordered';
  consumeFromWhere?: 'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP';
  consumeTimestampMs?: number;
  /** Nack back-off by attempt (the last repeats); empty: unchanged / the default. */
  retryBackoffMs?: number[];
  consumeEnable?: boolean;
  /** Only this cluster's masters (default: every master). */
  cluster?: string;
}

/**
 * The cluster's admin plane as one object: what the dashboard (and scripts) ask, each answer made
 * of per-broker results that name a broker that failed instead of counting it as empty.
 */
export class ClusterAdmin {
  constructor(readonly opts: AdminOptions) {}

  /** The same cluster, every call signed with another ACL account. */
  signedAs(accessKey: string, secretKey: string): ClusterAdmin {
    return new ClusterAdmin({ ...this.opts, accessKey, secretKey });
  }

  async overview(): Promise<ClusterOverview> {
    const ns = nameServers(this.opts);
    let views: NameServerView[];
    try {
      views = (await ns.getClusterInfoEach()).map((r) => ({
        address: r.address,
        ok: r.result !== undefined,
        ...(r.error ? { error: r.error.message } : {}),
        members: (r.result?.clusters ?? [])
          .flatMap((c) =>
            c.brokers.map((b) => `${c.clusterName}/${b.broker?.brokerName ?? ''}/${b.broker?.brokerId ?? 0}@${b.endpoints?.internalEndpoint ?? ''}`),
          )
          .sort(),
      }));
    } finally {
      ns.close();
    }
    const answered = views.filter((v) => v.ok).map((v) => v.members.join('\n'));
    const members = [...new Set(views.flatMap((v) => v.members))].sort().map(parseMember);
    const brokers = await onEvery(this.opts, members, (c) => c.GetBrokerStatus.bind(c), {});
    return { nameServers: views, nameServersAgree: new Set(answered).size <= 1, brokers };
  }

  async topicNames(): Promise<string[]> {
    const ns = nameServers(this.opts);
    try {
      return (await ns.getTopicList()).sort();
    } finally {
      ns.close();
    }
  }

  /**
   * The named topics (or every topic) of every master (ListTopicStats, one call each), merged by
   * name: queues and messages written summed, the masters that did not answer named.
   */
  async topicStats(names: readonly string[] = []): Promise<{ topics: Map<string, TopicStatsView>; failures: BrokerFailure[] }> {
    const results = await onEvery(this.opts, await targets(this.opts), (c) => c.ListTopicStats.bind(c), { topics: [...names] });
    const topics = new Map<string, TopicStatsView>();
    for (const r of results) {
      if (!r.ok) continue;
      for (const t of r.res.topics) {
        const c = t.topic;
        if (!c) continue;
        const v = topics.get(c.topicName) ?? emptyTopic(c);
        v.readQueueNums += c.readQueueNums;
        v.writeQueueNums += c.writeQueueNums;
        v.messagesWritten += Number(t.messagesWritten);
        v.brokers.push(r.target.brokerName);
        topics.set(c.topicName, v);
      }
    }
    return { topics, failures: results.flatMap((r) => (r.ok ? [] : [{ broker: r.target.brokerName, code: r.code, error: r.error }])) };
  }

  /** Creates or updates a topic on every master (of `cluster`). */
  async updateTopic(spec: TopicSpec): Promise<BrokerResult<unknown>[]> {
    const topic: v1.TopicConfig = {
      topicName: spec.topic,
      readQueueNums: spec.readQueueNums,
      writeQueueNums: spec.writeQueueNums,
      perm: spec.perm,
      messageType: spec.messageType as v1.MessageType,
    };
    return onEvery(this.opts, await targets({ ...this.opts, ...(spec.cluster ? { cluster: spec.cluster } : {}) }), (c) => c.UpdateTopic.bind(c), { topic });
  }

  /** Deletes a topic from every master serving it (each then registers without it). */
  async deleteTopic(topic: string): Promise<BrokerResult<unknown>[]> {
    return onEvery(this.opts, await targets({ ...this.opts, topic }), (c) => c.DeleteTopic.bind(c), { topic });
  }

  /** Creates or updates a subscription group on every master (of `cluster`). */
  async updateGroup(spec: GroupSpec): Promise<BrokerResult<unknown>[]> {
    const group: v1.SubscriptionGroup = {
      groupName: spec.group,
      consumeEnable: spec.consumeEnable ?? true,
      ...(spec.maxDeliveryAttempts ? { maxDeliveryAttempts: spec.maxDeliveryAttempts } : {}),
      ...(spec.ordering ? { ordering: spec.ordering } : {}),
      ...(spec.consumeFromWhere ? { consumeFromWhere: spec.consumeFromWhere } : {}),
      ...(spec.consumeTimestampMs ? { consumeTimestampMs: spec.consumeTimestampMs } : {}),
      ...(spec.retryBackoffMs?.length ? { retryBackoffMs: spec.retryBackoffMs } : {}),
    };
    return onEvery(this.opts, await targets({ ...this.opts, ...(spec.cluster ? { cluster: spec.cluster } : {}) }), (c) => c.UpdateSubscriptionGroup.bind(c), {
      group,
    });
  }

  /** Deletes a subscription group from every master (its offsets stay until the group is made again). */
  async deleteGroup(group: string, cluster?: string): Promise<BrokerResult<unknown>[]> {
    return onEvery(this.opts, await targets({ ...this.opts, ...(cluster ? { cluster } : {}) }), (c) => c.DeleteSubscriptionGroup.bind(c), { group, topic: '' });
  }

  /** The masters serving a topic (with their client endpoints). */
  topicMasters(topic: string): Promise<BrokerTarget[]> {
    return targets({ ...this.opts, topic });
  }

  async topicStatus(topic: string): Promise<BrokerResult<v1.GetTopicStatusResponse__Output>[]> {
    return onEvery(this.opts, await this.topicMasters(topic), (c) => c.GetTopicStatus.bind(c), { topic });
  }

  async consumerProgress(group: string, topic: string): Promise<BrokerResult<v1.GetConsumerProgressResponse__Output>[]> {
    return onEvery(this.opts, await this.topicMasters(topic), (c) => c.GetConsumerProgress.bind(c), { group, topic });
  }

  async connections(group: string, topic: string): Promise<BrokerResult<v1.GetConnectionsResponse__Output>[]> {
    return onEvery(this.opts, await this.topicMasters(topic), (c) => c.GetConnections.bind(c), { group, topic, clientType: '' });
  }

  /** A group's connected clients on every master (each master knows the clients connected to it). */
  async groupConnections(group: string): Promise<BrokerResult<v1.GetConnectionsResponse__Output>[]> {
    return onEvery(this.opts, await targets(this.opts), (c) => c.GetConnections.bind(c), { group, topic: '', clientType: '' });
  }

  /** Moves (or with dryRun, previews) a group's offsets on every master serving the topic. */
  async resetOffsetByTime(group: string, topic: string, timestampMs: number, dryRun: boolean): Promise<BrokerResult<v1.ResetOffsetByTimeResponse__Output>[]> {
    return onEvery(this.opts, await this.topicMasters(topic), (c) => c.ResetOffsetByTime.bind(c), { group, topic, timestampMs, dryRun });
  }

  /** Messages by id, or by key (within a time range), asked of every master. */
  async queryMessages(q: { messageId?: string; topic?: string; key?: string; beginTimestampMs?: number; endTimestampMs?: number; maxResults: number }) {
    const req = {
      messageId: q.messageId ?? '',
      topic: q.topic ?? '',
      key: q.key ?? '',
      beginTimestampMs: q.beginTimestampMs ?? 0,
      endTimestampMs: q.endTimestampMs ?? 0,
      maxResults: q.maxResults,
    };
    return fanOut(await targets(this.opts), (t) => callBroker(this.opts, t.address, (c) => c.QueryMessages.bind(c), req));
  }

  /**
   * One message's delivery state for every group consuming its queue, asked of the master
   * `broker` that serves the topic; undefined when it serves no such topic.
   */
  async deliveryState(
    broker: string,
    topic: string,
    queueId: number,
    queueOffset: number,
  ): Promise<BrokerResult<v1.GetDeliveryStateResponse__Output> | undefined> {
    const target = (await this.topicMasters(topic)).find((m) => m.brokerName === broker);
    if (!target) return undefined;
    const [r] = await onEvery(this.opts, [target], (c) => c.GetDeliveryState.bind(c), { topic, queueId, queueOffset: String(queueOffset) });
    return r;
  }

  /**
   * Stored messages of a queue sent again (ResendMessages) by the master `broker` serving the
   * topic (or its first master): each to `toTopic`, or where it came from when empty.
   */
  async resend(topic: string, queueId: number, offsets: readonly number[], toTopic: string, broker?: string) {
    const target = (await this.topicMasters(topic)).find((m) => !broker || m.brokerName === broker);
    if (!target) return undefined;
    const req = { topic, queueId, offsets: offsets.map(String), toTopic };
    const [r] = await onEvery(this.opts, [target], (c) => c.ResendMessages.bind(c), req);
    return r as BrokerResult<v1.ResendMessagesResponse__Output>;
  }

  /**
   * Every subscription group of every master, merged by name (lag, in flight and clients summed),
   * with the masters that did not answer named (their groups may be missing, never zeroed).
   */
  async groups(): Promise<{ groups: GroupView[]; failures: { broker: string; code: string; error: string }[] }> {
    const results = await onEvery(this.opts, await targets(this.opts), (c) => c.ListSubscriptionGroups.bind(c), {});
    const byName = new Map<string, GroupView>();
    for (const r of results) {
      if (!r.ok) continue;
      for (const g of r.res.groups) {
        const name = g.group?.groupName ?? '';
        const v: GroupView = byName.get(name) ?? emptyGroup(name, g.group ?? undefined);
        for (const t of g.topics) v.topics.set(t.topic, (v.topics.get(t.topic) ?? 0) + Number(t.lag));
        v.totalLag += Number(g.totalLag);
        v.inflight += Number(g.inflight);
        v.clients += g.clients;
        v.brokers.push(r.target.brokerName);
        byName.set(name, v);
      }
    }
    return {
      groups: [...byName.values()].sort((a, b) => a.group.localeCompare(b.group)),
      failures: results.flatMap((r) => (r.ok ? [] : [{ broker: r.target.brokerName, code: r.code, error: r.error }])),
    };
  }

  /**
   * One member's status and replication (its replicas' lag on a master, its stream on a replica),
   * each a result that names the failure; undefined when the name servers list no such member.
   */
  async brokerDetail(brokerName: string, brokerId: number): Promise<BrokerDetail | undefined> {
    const target = (await this.members()).find((m) => m.brokerName === brokerName && (m.brokerId ?? 0) === brokerId);
    if (!target) return undefined;
    const [status, ha] = await Promise.all([
      onEvery(this.opts, [target], (c) => c.GetBrokerStatus.bind(c), {}),
      onEvery(this.opts, [target], (c) => c.GetHaStatus.bind(c), {}),
    ]);
    return { target, status: status[0] as BrokerDetail['status'], ha: ha[0] as BrokerDetail['ha'] };
  }

  /** Changes settings of one running member (UpdateBrokerConfig); undefined when the name servers list no such member. */
  async updateBrokerConfig(brokerName: string, brokerId: number, properties: Record<string, string>) {
    const target = (await this.members()).find((m) => m.brokerName === brokerName && (m.brokerId ?? 0) === brokerId);
    if (!target) return undefined;
    const [r] = await onEvery(this.opts, [target], (c) => c.UpdateBrokerConfig.bind(c), { properties });
    return r as BrokerResult<v1.UpdateBrokerConfigResponse__Output>;
  }

  /**
   * What waits on every master: delayed messages (how many, by when they are due) and
   * transactions neither committed nor rolled back (the oldest first, at most `limit` each).
   */
  async pending(topic: string, limit: number) {
    const masters = await targets(this.opts);
    const [schedule, transactions] = await Promise.all([
      onEvery(this.opts, masters, (c) => c.GetScheduleStats.bind(c), {}),
      onEvery(this.opts, masters, (c) => c.ListPendingTransactions.bind(c), { topic, limit }),
    ]);
    return { schedule, transactions };
  }

  /** The ACL accounts each member enforces (no secrets), to see them and whether members agree. */
  async aclConfig(): Promise<BrokerResult<v1.GetAclConfigResponse__Output>[]> {
    return onEvery(this.opts, await this.members(), (c) => c.GetAclConfig.bind(c), {});
  }

  /** Every member (masters and replicas) the name servers list. */
  members(): Promise<BrokerTarget[]> {
    return memberTargets(this.opts);
  }
}

function emptyTopic(c: v1.TopicConfig__Output): TopicStatsView {
  return { topic: c.topicName, messageType: c.messageType, readQueueNums: 0, writeQueueNums: 0, perm: c.perm, messagesWritten: 0, brokers: [] };
}

function emptyGroup(group: string, config: v1.SubscriptionGroup__Output | undefined): GroupView {
  return { group, totalLag: 0, inflight: 0, clients: 0, brokers: [], config, topics: new Map() };
}

function parseMember(m: string): BrokerTarget {
  const [path = '', address = ''] = m.split('@');
  const [clusterName = '', brokerName = '', id = '0'] = path.split('/');
  return { clusterName, brokerName, brokerId: Number(id), address };
}
