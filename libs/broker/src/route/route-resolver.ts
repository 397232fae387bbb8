import { type OrbitError, checkTopicName, type v1, type v2 } from '@orbitmq/protocol';
import { OK_STATUS, statusFromError } from '../status';
import { PERM_READ, PERM_WRITE, type TopicManager, type TopicMessageType, acceptedTypes } from '../meta';

/** Where routes come from: the name servers (NameServerClients fits). */
export interface RouteSource {
  getRoute(topic: string): Promise<v1.TopicRoute__Output>;
}

/** How long a name-server route is reused before asking again. */
const ROUTE_CACHE_MS = 3_000;

/**
 * QueryRoute: the route comes from the name servers (so every broker answers for every topic and
 * each queue points at its owning broker's client endpoint). A topic no broker serves yet is
 * auto-created here when enabled, registered at once, and routed. If every name server is
 * unreachable, this broker still answers for its own topics.
 *
 * Shapes the official clients need: each Endpoints has exactly one address; every broker offers a
 * READ_WRITE queue with id 0 (the Node client uses only queue 0 of each broker).
 */
export class RouteResolver {
  private readonly cache = new Map<string, { atMs: number; route: v1.TopicRoute__Output }>();

  constructor(
    private readonly namesrv: RouteSource,
    private readonly topics: TopicManager,
    /** Registers this broker's topics with the name servers now (after an auto-create). */
    private readonly publishRoutes: () => Promise<void>,
    /** This broker; while `writable()` is false its queues are offered without write permission. */
    private readonly self: { brokerName: string; clientEndpoint: string; writable: () => boolean },
  ) {
    topics.onChange(() => this.cache.clear());
  }

  async queryRoute(req: v2.QueryRouteRequest__Output): Promise<v2.QueryRouteResponse> {
    try {
      const topic = req.topic?.name ?? '';
      checkTopicName(topic);
      const route = this.withOwnPermission(await this.resolve(topic));
      return { status: OK_STATUS, messageQueues: toMessageQueues(topic, route) };
    } catch (err) {
      return { status: statusFromError(err), messageQueues: [] };
    }
  }

  /**
   * QueryAssignment (PushConsumer): one assignment per broker serving the topic, with queue id -1
   * ("any queue of this broker", as RocketMQ's proxy does): a receive pops across the topic's
   * queues on that broker, and FIFO order is kept per message group by the broker itself.
   */
  async queryAssignment(req: v2.QueryAssignmentRequest__Output): Promise<v2.QueryAssignmentResponse> {
    try {
      const topic = req.topic?.name ?? '';
      checkTopicName(topic);
      const queues = toMessageQueues(topic, await this.resolve(topic));
      const byBroker = new Map<string, v2.MessageQueue>();
      for (const q of queues) {
        const name = q.broker?.name ?? '';
        if (!byBroker.has(name) && (q.permission === 'READ' || q.permission === 'READ_WRITE')) byBroker.set(name, { ...q, id: -1, permission: 'READ_WRITE' });
      }
      return { status: OK_STATUS, assignments: [...byBroker.values()].map((messageQueue) => ({ messageQueue })) };
    } catch (err) {
      return { status: statusFromError(err), assignments: [] };
    }
  }

  /**
   * While this broker refuses writes (disk full) its queues lose PERM_WRITE here at once, as they
   * do on the name servers after the re-registration that follows, so producers route elsewhere.
   */
  private withOwnPermission(route: v1.TopicRoute__Output): v1.TopicRoute__Output {
    if (this.self.writable()) return route;
    const queueDatas = route.queueDatas.map((q) => (q.brokerName === this.self.brokerName ? { ...q, perm: q.perm & ~PERM_WRITE } : q));
    return { ...route, queueDatas };
  }

  private async resolve(topic: string): Promise<v1.TopicRoute__Output> {
    const hit = this.cache.get(topic);
    if (hit && Date.now() - hit.atMs < ROUTE_CACHE_MS) return hit.route;
    let route = await this.fromNamesrv(topic);
    if (!route) {
      await this.topics.ensure(topic); // TOPIC_NOT_FOUND unless it exists here or auto-creation is on
      await this.publishRoutes();
      route = (await this.fromNamesrv(topic)) ?? this.localRoute(topic);
    }
    this.cache.set(topic, { atMs: Date.now(), route });
    return route;
  }

  /** The name servers' route; undefined when they know no such topic or none answers. */
  private async fromNamesrv(topic: string): Promise<v1.TopicRoute__Output | undefined> {
    try {
      return await this.namesrv.getRoute(topic);
    } catch (err) {
      if ((err as OrbitError).code === 'TOPIC_NOT_FOUND' || (err as OrbitError).code === 'SERVICE_UNAVAILABLE') {
        return this.topics.get(topic) ? this.localRoute(topic) : undefined;
      }
      throw err;
    }
  }

  private localRoute(topic: string): v1.TopicRoute__Output {
    const t = this.topics.get(topic);
    if (!t) throw new Error(`no local topic ${topic}`);
    return {
      topic,
      queueDatas: [
        { brokerName: this.self.brokerName, readQueueNums: t.readQueueNums, writeQueueNums: t.writeQueueNums, perm: t.perm, messageType: t.messageType },
      ],
      brokerGroups: [
        {
          clusterName: '',
          brokerName: this.self.brokerName,
          members: [{ brokerId: 0, endpoints: { clientEndpoint: this.self.clientEndpoint, internalEndpoint: '' } }],
        },
      ],
      filterServers: [],
    };
  }
}

function toEndpoints(hostPort: string): v2.Endpoints {
  const i = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, i);
  const port = Number(hostPort.slice(i + 1));
  return { scheme: /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ? 'IPv4' : 'DOMAIN_NAME', addresses: [{ host, port }] };
}

function permission(id: number, q: v1.QueueData__Output): v2.Permission {
  const r = id < q.readQueueNums && (q.perm & PERM_READ) !== 0;
  const w = id < q.writeQueueNums && (q.perm & PERM_WRITE) !== 0;
  return r && w ? 'READ_WRITE' : r ? 'READ' : w ? 'WRITE' : 'NONE';
}

function toMessageQueues(topic: string, route: v1.TopicRoute__Output): v2.MessageQueue[] {
  const out: v2.MessageQueue[] = [];
  for (const q of route.queueDatas) {
    const group = route.brokerGroups.find((g) => g.brokerName === q.brokerName);
    const member = group?.members.slice().sort((a, b) => a.brokerId - b.brokerId)[0];
    if (!member?.endpoints?.clientEndpoint) continue;
    const broker = { name: q.brokerName, id: 0, endpoints: toEndpoints(member.endpoints.clientEndpoint) };
    const types = acceptedTypes((q.messageType === 'MESSAGE_TYPE_UNSPECIFIED' ? 'MIXED' : q.messageType) as TopicMessageType);
    const n = Math.max(q.readQueueNums, q.writeQueueNums);
    for (let id = 0; id < n; id++) out.push({ topic: { name: topic }, id, permission: permission(id, q), broker, acceptMessageTypes: types });
  }
  return out;
}
