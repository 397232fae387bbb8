/**
 * The name server's whole state, in memory: which broker processes are alive, what topics each
 * broker group serves, and the routes derived from that. Rebuilt from heartbeats after a restart;
 * name servers never talk to each other. The clock is injected so expiry is testable.
 */
export type MessageType = 'NORMAL' | 'FIFO' | 'DELAY' | 'TRANSACTION' | 'MIXED';

/** RocketMQ's permission bits. */
export const PERM_WRITE = 2;
export const PERM_READ = 4;

export interface TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  messageType: MessageType;
}

export interface BrokerIdentity {
  clusterName: string;
  brokerName: string;
  /** 0 = master, > 0 = replica. */
  brokerId: number;
}

export interface BrokerEndpoints {
  clientEndpoint: string;
  internalEndpoint: string;
}

export interface BrokerRegistration {
  broker: BrokerIdentity;
  endpoints: BrokerEndpoints;
  dataVersion: string;
  topics: TopicConfig[];
  filterServerEndpoints: string[];
  /** 0 = the table's default. */
  ttlMs: number;
}

export interface QueueData {
  brokerName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  messageType: MessageType;
}

export interface BrokerGroup {
  clusterName: string;
  brokerName: string;
  members: { brokerId: number; endpoints: BrokerEndpoints }[];
}

export interface TopicRoute {
  topic: string;
  queueDatas: QueueData[];
  brokerGroups: BrokerGroup[];
  filterServers: { brokerName: string; brokerId: number; endpoints: string[] }[];
}

export interface LiveBroker {
  broker: BrokerIdentity;
  endpoints: BrokerEndpoints;
  dataVersion: string;
  lastHeartbeatMs: number;
  ttlMs: number;
  topicCount: number;
  filterServerEndpoints: string[];
}

export interface RegisterOutcome {
  /** True when the registration's topics replaced what the table held (new data version). */
  topicsUpdated: boolean;
  /** For a replica: the master's endpoints, when the master is registered. */
  master?: BrokerEndpoints;
  /** True the first time this broker process is seen (or after it expired). */
  isNew: boolean;
}

interface Entry {
  reg: BrokerRegistration;
  topics: Map<string, TopicConfig>;
  lastHeartbeatMs: number;
  ttlMs: number;
}

export interface RouteTableOptions {
  defaultTtlMs: number;
  nowMs: () => number;
}

/** A broker group: cluster and broker name. Members are keyed by broker id. */
type GroupKey = string;

function groupKey(b: BrokerIdentity): GroupKey {
  return `${b.clusterName}\u0000${b.brokerName}`;
}

export class RouteTable {
  private readonly groups = new Map<GroupKey, Map<number, Entry>>();
  /** topic -> broker groups that have it, kept in step with registrations. */
  private readonly topicIndex = new Map<string, Set<GroupKey>>();

  constructor(private readonly opts: RouteTableOptions) {}

  register(reg: BrokerRegistration): RegisterOutcome {
    const key = groupKey(reg.broker);
    let members = this.groups.get(key);
    if (!members) {
      members = new Map();
      this.groups.set(key, members);
    }
    const existing = members.get(reg.broker.brokerId);
    const now = this.opts.nowMs();
    const ttlMs = reg.ttlMs > 0 ? reg.ttlMs : this.opts.defaultTtlMs;
    let topicsUpdated = false;
    if (existing && existing.reg.dataVersion === reg.dataVersion) {
      // Same data version: a heartbeat. Endpoints may still move (a restarted broker on new ports).
      existing.reg = { ...reg, topics: existing.reg.topics };
      existing.lastHeartbeatMs = now;
      existing.ttlMs = ttlMs;
    } else {
      const topics = new Map(reg.topics.map((t) => [t.topicName, t]));
      members.set(reg.broker.brokerId, { reg, topics, lastHeartbeatMs: now, ttlMs });
      topicsUpdated = true;
      this.reindexGroup(key);
    }
    const masterEntry = reg.broker.brokerId !== 0 ? members.get(0) : undefined;
    return { topicsUpdated, isNew: !existing, ...(masterEntry ? { master: masterEntry.reg.endpoints } : {}) };
  }

  /** Removes one broker process at once; true if it was registered. */
  unregister(broker: BrokerIdentity): boolean {
    const key = groupKey(broker);
    const members = this.groups.get(key);
    if (!members?.delete(broker.brokerId)) return false;
    if (members.size === 0) this.groups.delete(key);
    this.reindexGroup(key);
    return true;
  }

  /** Drops every registration whose heartbeat is older than its TTL; returns what was dropped. */
  expire(): BrokerIdentity[] {
    const now = this.opts.nowMs();
    const dropped: BrokerIdentity[] = [];
    for (const members of this.groups.values()) {
      for (const entry of members.values()) {
        if (now - entry.lastHeartbeatMs > entry.ttlMs) dropped.push(entry.reg.broker);
      }
    }
    for (const b of dropped) this.unregister(b);
    return dropped;
  }

  route(topic: string): TopicRoute | undefined {
    const keys = this.topicIndex.get(topic);
    if (!keys || keys.size === 0) return undefined;
    const route: TopicRoute = { topic, queueDatas: [], brokerGroups: [], filterServers: [] };
    for (const key of [...keys].sort()) {
      const members = this.groups.get(key);
      if (!members) continue;
      const source = this.topicSource(members);
      const tc = source?.topics.get(topic);
      if (!source || !tc) continue;
      // Without a live master the group can be read (from a replica) but not written.
      const perm = source.reg.broker.brokerId === 0 ? tc.perm : tc.perm & ~PERM_WRITE;
      route.queueDatas.push({
        brokerName: source.reg.broker.brokerName,
        readQueueNums: tc.readQueueNums,
        writeQueueNums: tc.writeQueueNums,
        perm,
        messageType: tc.messageType,
      });
      const sorted = [...members.values()].sort((a, b) => a.reg.broker.brokerId - b.reg.broker.brokerId);
      route.brokerGroups.push({
        clusterName: source.reg.broker.clusterName,
        brokerName: source.reg.broker.brokerName,
        members: sorted.map((e) => ({ brokerId: e.reg.broker.brokerId, endpoints: e.reg.endpoints })),
      });
      for (const e of sorted) {
        if (e.reg.filterServerEndpoints.length > 0) {
          route.filterServers.push({ brokerName: e.reg.broker.brokerName, brokerId: e.reg.broker.brokerId, endpoints: [...e.reg.filterServerEndpoints] });
        }
      }
    }
    return route.queueDatas.length > 0 ? route : undefined;
  }

  clusters(): { clusterName: string; brokers: LiveBroker[] }[] {
    const byCluster = new Map<string, LiveBroker[]>();
    for (const members of this.groups.values()) {
      for (const e of members.values()) {
        const list = byCluster.get(e.reg.broker.clusterName) ?? [];
        list.push({
          broker: e.reg.broker,
          endpoints: e.reg.endpoints,
          dataVersion: e.reg.dataVersion,
          lastHeartbeatMs: e.lastHeartbeatMs,
          ttlMs: e.ttlMs,
          topicCount: e.topics.size,
          filterServerEndpoints: [...e.reg.filterServerEndpoints],
        });
        byCluster.set(e.reg.broker.clusterName, list);
      }
    }
    return [...byCluster.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([clusterName, brokers]) => ({
        clusterName,
        brokers: brokers.sort((a, b) => a.broker.brokerName.localeCompare(b.broker.brokerName) || a.broker.brokerId - b.broker.brokerId),
      }));
  }

  topics(clusterName?: string): string[] {
    const out: string[] = [];
    for (const [topic, keys] of this.topicIndex) {
      if (clusterName === undefined || [...keys].some((k) => k.startsWith(`${clusterName}\u0000`))) out.push(topic);
    }
    return out.sort();
  }

  /** Removes a topic from every broker's registration; true if any had it. */
  deleteTopic(topic: string): boolean {
    const keys = this.topicIndex.get(topic);
    if (!keys) return false;
    for (const key of keys) for (const e of this.groups.get(key)?.values() ?? []) e.topics.delete(topic);
    this.topicIndex.delete(topic);
    return true;
  }

  get brokerCount(): number {
    let n = 0;
    for (const members of this.groups.values()) n += members.size;
    return n;
  }

  get topicCount(): number {
    return this.topicIndex.size;
  }

  /** The member whose topic configs define the group: the master if alive, else the lowest replica. */
  private topicSource(members: Map<number, Entry>): Entry | undefined {
    const master = members.get(0);
    if (master) return master;
    let best: Entry | undefined;
    for (const e of members.values()) if (!best || e.reg.broker.brokerId < best.reg.broker.brokerId) best = e;
    return best;
  }

  private reindexGroup(key: GroupKey): void {
    for (const [topic, keys] of this.topicIndex) {
      if (keys.delete(key) && keys.size === 0) this.topicIndex.delete(topic);
    }
    const members = this.groups.get(key);
    const source = members ? this.topicSource(members) : undefined;
    if (!source) return;
    for (const topic of source.topics.keys()) {
      let keys = this.topicIndex.get(topic);
      if (!keys) {
        keys = new Set();
        this.topicIndex.set(topic, keys);
      }
      keys.add(key);
    }
  }
}
