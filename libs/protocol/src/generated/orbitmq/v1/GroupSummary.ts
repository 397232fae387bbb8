// Original file: proto/orbitmq/v1/broker_admin.proto

import type { SubscriptionGroup as _orbitmq_v1_SubscriptionGroup, SubscriptionGroup__Output as _orbitmq_v1_SubscriptionGroup__Output } from '../../orbitmq/v1/SubscriptionGroup';
import type { TopicLag as _orbitmq_v1_TopicLag, TopicLag__Output as _orbitmq_v1_TopicLag__Output } from '../../orbitmq/v1/TopicLag';
import type { Long } from '@grpc/proto-loader';

export interface GroupSummary {
  'group'?: (_orbitmq_v1_SubscriptionGroup | null);
  'totalLag'?: (number | string | Long);
  'inflight'?: (number | string | Long);
  'queues'?: (number);
  'clients'?: (number);
  'topics'?: (_orbitmq_v1_TopicLag)[];
}

export interface GroupSummary__Output {
  'group': (_orbitmq_v1_SubscriptionGroup__Output | null);
  'totalLag': (string);
  'inflight': (string);
  'queues': (number);
  'clients': (number);
  'topics': (_orbitmq_v1_TopicLag__Output)[];
}
