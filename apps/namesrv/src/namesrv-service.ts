import { OrbitError, checkClusterOrBrokerName, checkEndpoint, checkTopicName, type v1 } from '@orbitmq/protocol';
import type { BrokerIdentity, BrokerRegistration, MessageType, RouteTable, TopicConfig } from '@orbitmq/route-table';
import { type CallObserver, unary } from '@orbitmq/rpc';

/** Largest topic list one registration may carry, and the largest queue count of one topic. */
export const MAX_TOPICS_PER_REGISTRATION = 100_000;
export const MAX_QUEUES_PER_TOPIC = 1_024;
/** A broker may ask for a registration TTL up to this long. */
export const MAX_TTL_MS = 3_600_000;

const MESSAGE_TYPES = new Set<string>(['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED']);

function identity(b: v1.BrokerIdentity__Output | null): BrokerIdentity {
  if (!b) throw new OrbitError('BAD_REQUEST', 'broker identity is required');
  checkClusterOrBrokerName('cluster name', b.clusterName);
  checkClusterOrBrokerName('broker name', b.brokerName);
  if (!Number.isInteger(b.brokerId) || b.brokerId < 0) throw new OrbitError('BAD_REQUEST', `brokerId ${b.brokerId} must be >= 0`);
  return { clusterName: b.clusterName, brokerName: b.brokerName, brokerId: b.brokerId };
}

function topicConfig(t: v1.TopicConfig__Output): TopicConfig {
  checkTopicName(t.topicName);
  for (const [k, n] of [
    ['readQueueNums', t.readQueueNums],
    ['writeQueueNums', t.writeQueueNums],
  ] as const) {
    if (!Number.isInteger(n) || n < 0 || n > MAX_QUEUES_PER_TOPIC)
      throw new OrbitError('BAD_REQUEST', `topic ${t.topicName}: ${k} ${n} out of range 0-${MAX_QUEUES_PER_TOPIC}`);
  }
  if (t.perm < 0 || t.perm > 7) throw new OrbitError('BAD_REQUEST', `topic ${t.topicName}: perm ${t.perm} out of range`);
  const messageType = (MESSAGE_TYPES.has(t.messageType) ? t.messageType : 'MIXED') as MessageType;
  return { topicName: t.topicName, readQueueNums: t.readQueueNums, writeQueueNums: t.writeQueueNums, perm: t.perm, messageType };
}

/** Checks a RegisterBroker request at the boundary and turns it into a route-table registration. */
export function toRegistration(req: v1.RegisterBrokerRequest__Output): BrokerRegistration {
  const broker = identity(req.broker);
  if (!req.endpoints) throw new OrbitError('BAD_REQUEST', 'endpoints are required');
  checkEndpoint('client endpoint', req.endpoints.clientEndpoint);
  checkEndpoint('internal endpoint', req.endpoints.internalEndpoint);
  if (!/^\d{1,20}$/.test(req.dataVersion)) throw new OrbitError('BAD_REQUEST', `data version '${req.dataVersion}' must be a decimal number`);
  if (req.topics.length > MAX_TOPICS_PER_REGISTRATION)
    throw new OrbitError('BAD_REQUEST', `${req.topics.length} topics exceed the limit ${MAX_TOPICS_PER_REGISTRATION}`);
  for (const f of req.filterServerEndpoints) checkEndpoint('filter server endpoint', f);
  const ttlMs = Number(req.ttlMs);
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 0 || ttlMs > MAX_TTL_MS) throw new OrbitError('BAD_REQUEST', `ttlMs ${req.ttlMs} out of range 0-${MAX_TTL_MS}`);
  return {
    broker,
    endpoints: { clientEndpoint: req.endpoints.clientEndpoint, internalEndpoint: req.endpoints.internalEndpoint },
    dataVersion: req.dataVersion,
    topics: req.topics.map(topicConfig),
    filterServerEndpoints: [...req.filterServerEndpoints],
    ttlMs,
  };
}

export interface NamesrvEvents {
  registered(broker: BrokerIdentity, isNew: boolean, topicsUpdated: boolean): void;
  unregistered(broker: BrokerIdentity): void;
}

/** gRPC handlers of orbitmq.v1.NameServer over the route table. */
export function nameServerHandlers(table: RouteTable, events: NamesrvEvents, observe: CallObserver): v1.NameServerHandlers {
  return {
    RegisterBroker: unary<v1.RegisterBrokerRequest__Output, v1.RegisterBrokerResponse>(
      'RegisterBroker',
      (req) => {
        const reg = toRegistration(req);
        const out = table.register(reg);
        events.registered(reg.broker, out.isNew, out.topicsUpdated);
        return { topicsUpdated: out.topicsUpdated, ...(out.master ? { master: out.master } : {}) };
      },
      observe,
    ),
    UnregisterBroker: unary<v1.UnregisterBrokerRequest__Output, v1.UnregisterBrokerResponse>(
      'UnregisterBroker',
      (req) => {
        const broker = identity(req.broker);
        if (table.unregister(broker)) events.unregistered(broker);
        return {};
      },
      observe,
    ),
    GetRoute: unary<v1.GetRouteRequest__Output, v1.GetRouteResponse>(
      'GetRoute',
      (req) => {
        checkTopicName(req.topic);
        const route = table.route(req.topic);
        if (!route) throw new OrbitError('TOPIC_NOT_FOUND', `no broker serves topic ${req.topic}`);
        return { route };
      },
      observe,
    ),
    GetClusterInfo: unary<v1.GetClusterInfoRequest__Output, v1.GetClusterInfoResponse>(
      'GetClusterInfo',
      () => ({
        clusters: table.clusters().map((c) => ({
          clusterName: c.clusterName,
          brokers: c.brokers.map((b) => ({ ...b, lastHeartbeatMs: String(b.lastHeartbeatMs), ttlMs: String(b.ttlMs) })),
        })),
      }),
      observe,
    ),
    GetTopicList: unary<v1.GetTopicListRequest__Output, v1.GetTopicListResponse>(
      'GetTopicList',
      (req) => ({ topics: table.topics(req.clusterName || undefined) }),
      observe,
    ),
    DeleteTopic: unary<v1.DeleteTopicRequest__Output, v1.DeleteTopicResponse>(
      'DeleteTopic',
      (req) => {
        checkTopicName(req.topic);
        if (!table.deleteTopic(req.topic)) throw new OrbitError('TOPIC_NOT_FOUND', `no broker serves topic ${req.topic}`);
        return {};
      },
      observe,
    ),
  };
}
