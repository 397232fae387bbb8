// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface ResetOffsetByTimeRequest {
  'group'?: (string);
  'topic'?: (string);
  'timestampMs'?: (number | string | Long);
  'dryRun'?: (boolean);
}

export interface ResetOffsetByTimeRequest__Output {
  'group': (string);
  'topic': (string);
  'timestampMs': (string);
  'dryRun': (boolean);
}
