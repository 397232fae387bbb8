import { OrbitError } from '@orbitmq/protocol';
import { RequestCode, createRequest, type RemotingConnection } from '@orbitmq/remoting';

/** A 4.x consumer's subscription, as its heartbeat states it (SubscriptionData). */
export interface RemotingSubscription {
  topic: string;
  /** "*", "TagA || TagB", or a SQL92 expression. */
  subString: string;
  expressionType: 'TAG' | 'SQL92';
}

interface Member {
  clientId: string;
  conn: RemotingConnection;
  lastHeartbeatMs: number;
  broadcasting: boolean;
  subscriptions: Map<string, RemotingSubscription>;
}

/** Limits on what heartbeats may make this table hold. */
export const REMOTING_CLIENT_LIMITS = {
  /** Groups one heartbeat may name (producers and consumers together). */
  maxGroupsPerHeartbeat: 1_024,
  /** Subscriptions of one consumer group in one heartbeat. */
  maxSubscriptionsPerGroup: 1_024,
  /** Members of one group (clients beyond it are refused). */
  maxMembersPerGroup: 10_000,
  /** A member not heard from for this long is dropped (RocketMQ: channelExpiredTimeout 120 s). */
  memberTtlMs: 120_000,
} as const;

export interface HeartbeatData {
  clientID?: string;
  producerDataSet?: { groupName?: string }[];
  consumerDataSet?: {
    groupName?: string;
    messageModel?: string;
    subscriptionDataSet?: { topic?: string; subString?: string; expressionType?: string }[];
  }[];
}

/**
 * Who speaks remoting to this broker: consumer groups with their members (for rebalancing,
 * GET_CONSUMER_LIST_BY_GROUP) and subscriptions (for pulls that carry none), and producer groups
 * with their connections (for transaction check-backs). Fed by heartbeats; a member leaves on
 * UNREGISTER_CLIENT, when its connection closes, or after memberTtlMs of silence. When a group's
 * membership changes, its members are told (NOTIFY_CONSUMER_IDS_CHANGED) so they rebalance now.
 */
export class RemotingClients {
  private readonly consumers = new Map<string, Map<string, Member>>();
  private readonly producers = new Map<string, Map<string, RemotingConnection>>();
  private readonly watched = new WeakSet<RemotingConnection>();
  /** Told when a member leaves a consumer group (unregister, connection closed, silence): its queue locks go. */
  onMemberLeft: ((group: string, clientId: string) => void) | undefined;

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** Applies a heartbeat; returns the consumer groups it joined (to create their retry topics). */
  heartbeat(conn: RemotingConnection, data: HeartbeatData): string[] {
    const clientId = data.clientID ?? '';
    if (!clientId) throw new OrbitError('CLIENT_ID_REQUIRED', 'heartbeat without clientID');
    const consumers = data.consumerDataSet ?? [];
    const producers = data.producerDataSet ?? [];
    if (consumers.length + producers.length > REMOTING_CLIENT_LIMITS.maxGroupsPerHeartbeat)
      throw new OrbitError('BAD_REQUEST', `heartbeat names more than ${REMOTING_CLIENT_LIMITS.maxGroupsPerHeartbeat} groups`);
    this.watch(conn);
    for (const p of producers) if (p.groupName) this.groupOf(this.producers, p.groupName).set(clientId, conn);
    const joined: string[] = [];
    for (const c of consumers) {
      if (!c.groupName) continue;
      const subs = c.subscriptionDataSet ?? [];
      if (subs.length > REMOTING_CLIENT_LIMITS.maxSubscriptionsPerGroup)
        throw new OrbitError('BAD_REQUEST', `group ${c.groupName} has more than ${REMOTING_CLIENT_LIMITS.maxSubscriptionsPerGroup} subscriptions`);
      const members = this.groupOf(this.consumers, c.groupName);
      const known = members.get(clientId);
      if (!known && members.size >= REMOTING_CLIENT_LIMITS.maxMembersPerGroup)
        throw new OrbitError('TOO_MANY_REQUESTS', `group ${c.groupName} has ${members.size} members`);
      const subscriptions = new Map<string, RemotingSubscription>();
      for (const s of subs) {
        if (!s.topic) continue;
        subscriptions.set(s.topic, { topic: s.topic, subString: s.subString || '*', expressionType: s.expressionType === 'SQL92' ? 'SQL92' : 'TAG' });
      }
      members.set(clientId, { clientId, conn, lastHeartbeatMs: this.nowMs(), broadcasting: c.messageModel === 'BROADCASTING', subscriptions });
      if (!known) {
        joined.push(c.groupName);
        this.notifyChanged(c.groupName, clientId);
      }
    }
    return joined;
  }

  unregister(clientId: string, consumerGroup?: string, producerGroup?: string): void {
    if (producerGroup) this.producers.get(producerGroup)?.delete(clientId);
    if (consumerGroup && this.consumers.get(consumerGroup)?.delete(clientId)) {
      this.onMemberLeft?.(consumerGroup, clientId);
      this.notifyChanged(consumerGroup);
    }
  }

  /** Client ids of a consumer group, sorted (every member computes the same rebalance). */
  consumerIds(group: string): string[] {
    return [...(this.consumers.get(group)?.keys() ?? [])].sort();
  }

  /** The subscription a group's members declared for a topic (the first found). */
  subscription(group: string, topic: string): RemotingSubscription | undefined {
    for (const m of this.consumers.get(group)?.values() ?? []) {
      const s = m.subscriptions.get(topic);
      if (s) return s;
    }
    return undefined;
  }

  /** Live connections of a producer group (transaction check-backs go to one of them). */
  producerConnections(group: string): RemotingConnection[] {
    return [...(this.producers.get(group)?.values() ?? [])].filter((c) => !c.closed);
  }

  get consumerGroupCount(): number {
    return this.consumers.size;
  }

  /** Drops members silent for longer than their TTL; returns how many. */
  expire(): number {
    const deadline = this.nowMs() - REMOTING_CLIENT_LIMITS.memberTtlMs;
    let dropped = 0;
    for (const [group, members] of this.consumers) {
      for (const m of members.values()) {
        if (m.lastHeartbeatMs >= deadline) continue;
        members.delete(m.clientId);
        this.onMemberLeft?.(group, m.clientId);
        dropped++;
        this.notifyChanged(group);
      }
      if (members.size === 0) this.consumers.delete(group);
    }
    return dropped;
  }

  private groupOf<T>(table: Map<string, Map<string, T>>, group: string): Map<string, T> {
    let members = table.get(group);
    if (!members) table.set(group, (members = new Map()));
    return members;
  }

  private watch(conn: RemotingConnection): void {
    if (this.watched.has(conn)) return;
    this.watched.add(conn);
    conn.once('close', () => this.dropConnection(conn));
  }

  private dropConnection(conn: RemotingConnection): void {
    for (const [group, members] of this.consumers) {
      let changed = false;
      for (const m of members.values()) {
        if (m.conn !== conn || !members.delete(m.clientId)) continue;
        changed = true;
        this.onMemberLeft?.(group, m.clientId);
      }
      if (members.size === 0) this.consumers.delete(group);
      else if (changed) this.notifyChanged(group);
    }
    for (const [group, members] of this.producers) {
      for (const [id, c] of members) if (c === conn) members.delete(id);
      if (members.size === 0) this.producers.delete(group);
    }
  }

  /** Tells a group's clustering members to rebalance now instead of at their next 20 s tick. */
  private notifyChanged(group: string, except?: string): void {
    for (const m of this.consumers.get(group)?.values() ?? []) {
      if (m.clientId === except || m.broadcasting || m.conn.closed) continue;
      m.conn.invokeOneway(createRequest(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, { consumerGroup: group }));
    }
  }
}
