// Original file: proto/orbitmq/v1/broker_admin.proto

import type { QueueOffset as _orbitmq_v1_QueueOffset, QueueOffset__Output as _orbitmq_v1_QueueOffset__Output } from '../../orbitmq/v1/QueueOffset';

export interface ResetOffsetByTimeResponse {
  'offsets'?: (_orbitmq_v1_QueueOffset)[];
}

export interface ResetOffsetByTimeResponse__Output {
  'offsets': (_orbitmq_v1_QueueOffset__Output)[];
}
