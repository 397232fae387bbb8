// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition.proto

import type { Resource as _apache_rocketmq_v2_Resource, Resource__Output as _apache_rocketmq_v2_Resource__Output } from '../../../apache/rocketmq/v2/Resource';
import type { SubscriptionEntry as _apache_rocketmq_v2_SubscriptionEntry, SubscriptionEntry__Output as _apache_rocketmq_v2_SubscriptionEntry__Output } from '../../../apache/rocketmq/v2/SubscriptionEntry';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../../google/protobuf/Duration';

export interface Subscription {
  'group'?: (_apache_rocketmq_v2_Resource | null);
  'subscriptions'?: (_apache_rocketmq_v2_SubscriptionEntry)[];
  'fifo'?: (boolean);
  'receiveBatchSize'?: (number);
  'longPollingTimeout'?: (_google_protobuf_Duration | null);
  'liteSubscriptionQuota'?: (number);
  'maxLiteTopicSize'?: (number);
  '_group'?: "group";
  '_fifo'?: "fifo";
  '_receiveBatchSize'?: "receiveBatchSize";
  '_longPollingTimeout'?: "longPollingTimeout";
  '_liteSubscriptionQuota'?: "liteSubscriptionQuota";
  '_maxLiteTopicSize'?: "maxLiteTopicSize";
}

export interface Subscription__Output {
  'group'?: (_apache_rocketmq_v2_Resource__Output | null);
  'subscriptions': (_apache_rocketmq_v2_SubscriptionEntry__Output)[];
  'fifo'?: (boolean);
  'receiveBatchSize'?: (number);
  'longPollingTimeout'?: (_google_protobuf_Duration__Output | null);
  'liteSubscriptionQuota'?: (number);
  'maxLiteTopicSize'?: (number);
  '_group'?: "group";
  '_fifo'?: "fifo";
  '_receiveBatchSize'?: "receiveBatchSize";
  '_longPollingTimeout'?: "longPollingTimeout";
  '_liteSubscriptionQuota'?: "liteSubscriptionQuota";
  '_maxLiteTopicSize'?: "maxLiteTopicSize";
}
