// Original file: proto/orbitmq/v1/broker_admin.proto

import type { AdminMessage as _orbitmq_v1_AdminMessage, AdminMessage__Output as _orbitmq_v1_AdminMessage__Output } from '../../orbitmq/v1/AdminMessage';

export interface QueryMessagesResponse {
  'messages'?: (_orbitmq_v1_AdminMessage)[];
}

export interface QueryMessagesResponse__Output {
  'messages': (_orbitmq_v1_AdminMessage__Output)[];
}
