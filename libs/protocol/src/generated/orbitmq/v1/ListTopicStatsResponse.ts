// Original file: proto/orbitmq/v1/broker_admin.proto

import type { TopicStats as _orbitmq_v1_TopicStats, TopicStats__Output as _orbitmq_v1_TopicStats__Output } from '../../orbitmq/v1/TopicStats';

export interface ListTopicStatsResponse {
  'topics'?: (_orbitmq_v1_TopicStats)[];
}

export interface ListTopicStatsResponse__Output {
  'topics': (_orbitmq_v1_TopicStats__Output)[];
}
