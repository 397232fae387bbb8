export { RemotingClientBase } from './base';
export { type MessageQueue, type RemotingClientConfig, RemotingResponseError, keysOf, msgIdOf, newClientId, newUniqKey, storeAddrOf, tagsOf } from './common';
export {
  type QueueSelector,
  type RemotingBatchSendResult,
  type RemotingMessage,
  type RemotingSendResult,
  type SendStatus,
  buildProperties,
  sendHeaderV2,
} from './message';
export {
  RemotingProducer,
  type RemotingProducerConfig,
  type SendOptions,
  TRANSACTION_STATE_CODE,
  type TransactionResult,
  type TransactionState,
} from './producer';
export {
  type ExpressionType,
  type PullOptions,
  type PullResult,
  type PullStatus,
  RemotingPullConsumer,
  type RemotingPullConsumerConfig,
  type Subscription,
} from './pull-consumer';
export { RemotingRoutes, type RemotingRoutesOptions, type TopicRoute, type TopicRouteData, parseRoute } from './routes';
