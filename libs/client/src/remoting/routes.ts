// Topic routes from the name servers (GET_ROUTEINFO_BY_TOPIC, 105), cached per topic and fetched
// again once older than the refresh interval (a failed refresh keeps the last good route).
import { type RemotingClient, RequestCode, type SerializeTypeName, createRequest } from '@orbitmq/remoting';
import { expectCode, type MessageQueue } from './common';

/** TopicRouteData as the name server sends it (standard JSON). */
export interface TopicRouteData {
  queueDatas: { brokerName: string; readQueueNums: number; writeQueueNums: number; perm: number }[];
  brokerDatas: { cluster?: string; brokerName: string; brokerAddrs: Record<string, string> }[];
  orderTopicConf?: string;
}

/** A route with its queues worked out once. */
export interface TopicRoute {
  topic: string;
  data: TopicRouteData;
  /** brokerName → master address (brokerAddrs "0"). */
  masters: Map<string, string>;
  /** Writable queues on brokers with a master, sorted by brokerName then queueId. */
  writeQueues: MessageQueue[];
  readQueues: MessageQueue[];
}

export interface RemotingRoutesOptions {
  refreshMs?: number;
  timeoutMs?: number;
  serializeType?: SerializeTypeName;
}

interface Entry {
  route?: TopicRoute;
  fetchedMs: number;
  inflight?: Promise<TopicRoute>;
}

const PERM_WRITE = 2;
const PERM_READ = 4;

function queuesOf(topic: string, data: TopicRouteData, masters: Map<string, string>, kind: 'write' | 'read'): MessageQueue[] {
  const out: MessageQueue[] = [];
  const sorted = [...data.queueDatas].sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0));
  for (const q of sorted) {
    if (!masters.has(q.brokerName)) continue;
    if (q.perm !== undefined && (q.perm & (kind === 'write' ? PERM_WRITE : PERM_READ)) === 0) continue;
    const n = kind === 'write' ? q.writeQueueNums : q.readQueueNums;
    for (let queueId = 0; queueId < n; queueId++) out.push({ topic, brokerName: q.brokerName, queueId });
  }
  return out;
}

/** Builds a TopicRoute from the 105 response body. */
export function parseRoute(topic: string, data: TopicRouteData): TopicRoute {
  const masters = new Map<string, string>();
  for (const b of data.brokerDatas ?? []) {
    const addr = b.brokerAddrs?.['0'];
    if (addr) masters.set(b.brokerName, addr);
  }
  const queueDatas = data.queueDatas ?? [];
  const full = { ...data, queueDatas };
  return { topic, data: full, masters, writeQueues: queuesOf(topic, full, masters, 'write'), readQueues: queuesOf(topic, full, masters, 'read') };
}

export class RemotingRoutes {
  private readonly namesrvs: string[];
  private next = 0;
  private readonly cache = new Map<string, Entry>();
  /** brokerName → master address, from every route seen. */
  private readonly brokers = new Map<string, string>();
  private readonly refreshMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: RemotingClient,
    namesrvAddr: string,
    private readonly options: RemotingRoutesOptions = {},
  ) {
    this.namesrvs = namesrvAddr
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (this.namesrvs.length === 0) throw new Error(`no name server in ${JSON.stringify(namesrvAddr)}`);
    this.refreshMs = options.refreshMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 3_000;
  }

  /** The topic's route: cached, fetched when missing or older than the refresh interval. */
  route(topic: string): Promise<TopicRoute> {
    const entry = this.cache.get(topic);
    if (entry?.route && Date.now() - entry.fetchedMs < this.refreshMs) return Promise.resolve(entry.route);
    return this.refresh(topic);
  }

  /** Fetches the route now (one fetch in flight per topic). */
  refresh(topic: string): Promise<TopicRoute> {
    let entry = this.cache.get(topic);
    if (!entry) {
      entry = { fetchedMs: 0 };
      this.cache.set(topic, entry);
    }
    if (entry.inflight) return entry.inflight;
    const e = entry;
    const p = this.fetch(topic).then(
      (route) => {
        e.route = route;
        e.fetchedMs = Date.now();
        e.inflight = undefined;
        for (const [name, addr] of route.masters) this.brokers.set(name, addr);
        return route;
      },
      (err: unknown) => {
        e.inflight = undefined;
        if (e.route) return e.route; // keep serving the last good route
        throw err;
      },
    );
    e.inflight = p;
    return p;
  }

  async writeQueues(topic: string): Promise<MessageQueue[]> {
    return (await this.route(topic)).writeQueues;
  }

  async readQueues(topic: string): Promise<MessageQueue[]> {
    return (await this.route(topic)).readQueues;
  }

  /** The master address of `brokerName`, from the topic's route (or any route seen). */
  async masterAddr(brokerName: string, topic?: string): Promise<string> {
    const known = topic ? (await this.route(topic)).masters.get(brokerName) : undefined;
    const addr = known ?? this.brokers.get(brokerName);
    if (!addr) throw new Error(`no master address known for broker ${brokerName}`);
    return addr;
  }

  /** Every master address seen in a route. */
  masterAddrs(): string[] {
    return [...new Set(this.brokers.values())];
  }

  /** Asks the name servers in turn, starting with the next one round-robin. */
  private async fetch(topic: string): Promise<TopicRoute> {
    let lastError: unknown;
    for (let i = 0; i < this.namesrvs.length; i++) {
      const addr = this.namesrvs[this.next++ % this.namesrvs.length] as string;
      try {
        const req = createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }, undefined, { serializeType: this.options.serializeType ?? 'JSON' });
        const res = expectCode(await this.client.invoke(addr, req, this.timeoutMs), `route of ${topic}`);
        if (!res.body) throw new Error(`route of ${topic}: empty body`);
        return parseRoute(topic, JSON.parse(res.body.toString('utf8')) as TopicRouteData);
      } catch (err) {
        lastError = err;
        // TOPIC_NOT_EXIST is the same answer on every name server.
        if ((err as { code?: unknown }).code === 17) break;
      }
    }
    throw lastError;
  }
}
