// Original file: proto/orbitmq/v1/replication.proto

import type { Long } from '@grpc/proto-loader';

export interface ReplicationHeartbeat {
  'masterEndOffset'?: (string);
  'confirmOffset'?: (string);
  'masterEpoch'?: (number | string | Long);
}

export interface ReplicationHeartbeat__Output {
  'masterEndOffset': (string);
  'confirmOffset': (string);
  'masterEpoch': (string);
}
