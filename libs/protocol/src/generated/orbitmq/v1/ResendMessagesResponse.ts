// Original file: proto/orbitmq/v1/broker_admin.proto

import type { ResendResult as _orbitmq_v1_ResendResult, ResendResult__Output as _orbitmq_v1_ResendResult__Output } from '../../orbitmq/v1/ResendResult';

export interface ResendMessagesResponse {
  'results'?: (_orbitmq_v1_ResendResult)[];
}

export interface ResendMessagesResponse__Output {
  'results': (_orbitmq_v1_ResendResult__Output)[];
}
