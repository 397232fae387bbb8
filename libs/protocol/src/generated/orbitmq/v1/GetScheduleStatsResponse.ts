// Original file: proto/orbitmq/v1/broker_admin.proto

import type { ScheduleBucket as _orbitmq_v1_ScheduleBucket, ScheduleBucket__Output as _orbitmq_v1_ScheduleBucket__Output } from '../../orbitmq/v1/ScheduleBucket';
import type { Long } from '@grpc/proto-loader';

export interface GetScheduleStatsResponse {
  'pending'?: (number | string | Long);
  'buckets'?: (_orbitmq_v1_ScheduleBucket)[];
}

export interface GetScheduleStatsResponse__Output {
  'pending': (string);
  'buckets': (_orbitmq_v1_ScheduleBucket__Output)[];
}
