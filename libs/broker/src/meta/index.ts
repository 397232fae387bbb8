/**
 * meta/: the broker's own state in the store's metadata — topic configs (with permissions and
 * accepted message types), subscription groups (delivery attempts, retry back-off, ordering),
 * and the table of metadata namespaces.
 */
export { type BrokerTopicConfig, MAX_QUEUE_NUMS, PERM_READ, PERM_WRITE, TopicManager, type TopicMessageType, acceptedTypes } from './topic-manager';
export {
  type ConsumeFromWhere,
  DEFAULT_MAX_DELIVERY_ATTEMPTS,
  DEFAULT_RETRY_BACKOFF_MS,
  GroupManager,
  type SubscriptionGroupConfig,
  retryBackoff,
} from './group-manager';
export { scanNamespace } from './metadata-scan';
export { METADATA_NS } from './namespaces';
export { QueueSelector } from './queue-selector';
