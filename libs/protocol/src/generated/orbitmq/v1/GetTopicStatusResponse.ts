// Original file: proto/orbitmq/v1/broker_admin.proto

import type { TopicConfig as _orbitmq_v1_TopicConfig, TopicConfig__Output as _orbitmq_v1_TopicConfig__Output } from '../../orbitmq/v1/TopicConfig';
import type { QueueStatus as _orbitmq_v1_QueueStatus, QueueStatus__Output as _orbitmq_v1_QueueStatus__Output } from '../../orbitmq/v1/QueueStatus';

export interface GetTopicStatusResponse {
  'topic'?: (_orbitmq_v1_TopicConfig | null);
  'queues'?: (_orbitmq_v1_QueueStatus)[];
}

export interface GetTopicStatusResponse__Output {
  'topic': (_orbitmq_v1_TopicConfig__Output | null);
  'queues': (_orbitmq_v1_QueueStatus__Output)[];
}
