/**
 * @orbitmq/broker — the broker's messaging logic over a store port, one folder per concern:
 *   send/ -> (store append, dispatch) -> consume/ (long-poll wake-up, receive/pull, ack) ;
 *   schedule/ (delayed), transaction/ (half messages), meta/ (topics, groups), message/ (record
 *   properties, v2 mapping), clients/ (sessions, telemetry), route/ (QueryRoute), admin/,
 *   remoting/ (RocketMQ 4.x clients over the remoting protocol, onto the same paths).
 * broker.ts wires them; events.ts is what it reports; messaging-service.ts is the v2 gRPC surface.
 */
export { type AdminMessageView, BrokerAdminApi, type QueueProgress } from './admin';
export { Broker, type BrokerDeps, type BrokerGauges } from './broker';
export { BrokerRemoting, REMOTING_PULL_LIMITS } from './remoting';
export type { RouteSource } from './route';
export type { SendReplication } from './send';
export { type BrokerEventMap, type BrokerEventName, BrokerEvents } from './events';
export { BROKER_LIMITS, type BrokerSettings, DEFAULT_FILTER_SETTINGS } from './settings';
export { type FilterMatchRequest, type FilterServerTransport, type SqlFilterSettings } from './filter';
export type { StorePort, StoreDispatchExtension } from './store-port';
export { createBrokerIndexes, type BrokerIndexes } from './broker-indexes';
export { DEFAULT_DELAY_LEVELS, type ScheduleBucket, parseDelayLevels } from './schedule';
export { MAX_PENDING_LISTED, type PendingTransaction } from './transaction';
export { type BrokerTopicConfig, GroupManager, PERM_READ, PERM_WRITE, type SubscriptionGroupConfig, TopicManager } from './meta';
