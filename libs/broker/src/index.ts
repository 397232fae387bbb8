/**
 * @orbitmq/broker — the broker's messaging logic over a store port. Data flow: producer ->
 * send-handler -> store append -> (store dispatch) -> long-poll wake-up -> receive-handler ->
 * consumer -> ack-handler. broker -> name server: registration.
 */
export { BrokerAdminApi, type AdminMessageView, type QueueProgress } from './admin';
export { Broker, BROKER_LIMITS, type BrokerSettings, type BrokerLog } from './broker';
export type { StorePort, StoreDispatchExtension } from './store-port';
export { createBrokerIndexes, type BrokerIndexes } from './broker-indexes';
export { DEFAULT_DELAY_LEVELS, parseDelayLevels } from './delay-policy';
export { type PendingTransaction, MAX_PENDING_LISTED } from './transaction-service';
export type { ScheduleBucket } from './timer-index';
export { TopicManager, type BrokerTopicConfig } from './topic-manager';
export { GroupManager, type SubscriptionGroupConfig } from './group-manager';
