// Original file: proto/orbitmq/v1/replication.proto

import type { EpochEntry as _orbitmq_v1_EpochEntry, EpochEntry__Output as _orbitmq_v1_EpochEntry__Output } from '../../orbitmq/v1/EpochEntry';
import type { Long } from '@grpc/proto-loader';

export interface FollowAccepted {
  'masterStoreId'?: (string);
  'masterEpoch'?: (number | string | Long);
  'epochs'?: (_orbitmq_v1_EpochEntry)[];
  'minOffset'?: (string);
  'endOffset'?: (string);
  'startOffset'?: (string);
  'confirmOffset'?: (string);
  'startReason'?: (string);
}

export interface FollowAccepted__Output {
  'masterStoreId': (string);
  'masterEpoch': (string);
  'epochs': (_orbitmq_v1_EpochEntry__Output)[];
  'minOffset': (string);
  'endOffset': (string);
  'startOffset': (string);
  'confirmOffset': (string);
  'startReason': (string);
}
