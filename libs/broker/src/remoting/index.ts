/**
 * remoting/: RocketMQ 4.x clients (Java DefaultMQProducer/PushConsumer, ali-ons, ...) over the
 * remoting protocol, mapped onto the same send, pull, offset and retry paths as the v5 handlers.
 */
export { BrokerRemoting, type BrokerRemotingDeps } from './remoting-service';
export { RemotingClients, REMOTING_CLIENT_LIMITS, type RemotingSubscription } from './remoting-clients';
export { REMOTING_PULL_LIMITS } from './pull-processor';
export { fromRemotingMessage, toMessageExt, classicPropertiesOf } from './message-mapping';
export { retryTopic } from './retry-processor';
export { QueueLocks, QUEUE_LOCK_LIMITS, type LockedQueue } from './queue-locks';
export { TRANSACTION_STATE, producerGroupOf } from './transaction-processor';
