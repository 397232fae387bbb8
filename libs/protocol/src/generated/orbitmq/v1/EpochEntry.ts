// Original file: proto/orbitmq/v1/replication.proto

import type { Long } from '@grpc/proto-loader';

export interface EpochEntry {
  'epoch'?: (number | string | Long);
  'startOffset'?: (string);
}

export interface EpochEntry__Output {
  'epoch': (string);
  'startOffset': (string);
}
