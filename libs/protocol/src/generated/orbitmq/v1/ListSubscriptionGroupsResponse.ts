// Original file: proto/orbitmq/v1/broker_admin.proto

import type { GroupSummary as _orbitmq_v1_GroupSummary, GroupSummary__Output as _orbitmq_v1_GroupSummary__Output } from '../../orbitmq/v1/GroupSummary';

export interface ListSubscriptionGroupsResponse {
  'groups'?: (_orbitmq_v1_GroupSummary)[];
}

export interface ListSubscriptionGroupsResponse__Output {
  'groups': (_orbitmq_v1_GroupSummary__Output)[];
}
