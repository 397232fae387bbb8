// Original file: proto/orbitmq/v1/replication.proto

import type { Long } from '@grpc/proto-loader';

export interface FollowAck {
  'writtenOffset'?: (string);
  'durableOffset'?: (string);
  'dispatchedOffset'?: (string);
  'stateOpsApplied'?: (number | string | Long);
}

export interface FollowAck__Output {
  'writtenOffset': (string);
  'durableOffset': (string);
  'dispatchedOffset': (string);
  'stateOpsApplied': (string);
}
