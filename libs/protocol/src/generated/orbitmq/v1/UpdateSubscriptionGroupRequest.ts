// Original file: proto/orbitmq/v1/broker_admin.proto

import type { SubscriptionGroup as _orbitmq_v1_SubscriptionGroup, SubscriptionGroup__Output as _orbitmq_v1_SubscriptionGroup__Output } from '../../orbitmq/v1/SubscriptionGroup';

export interface UpdateSubscriptionGroupRequest {
  'group'?: (_orbitmq_v1_SubscriptionGroup | null);
}

export interface UpdateSubscriptionGroupRequest__Output {
  'group': (_orbitmq_v1_SubscriptionGroup__Output | null);
}
