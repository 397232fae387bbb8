// Original file: proto/orbitmq/v1/replication.proto

import type { BrokerIdentity as _orbitmq_v1_BrokerIdentity, BrokerIdentity__Output as _orbitmq_v1_BrokerIdentity__Output } from '../../orbitmq/v1/BrokerIdentity';
import type { EpochEntry as _orbitmq_v1_EpochEntry, EpochEntry__Output as _orbitmq_v1_EpochEntry__Output } from '../../orbitmq/v1/EpochEntry';
import type { StateOp as _orbitmq_v1_StateOp, StateOp__Output as _orbitmq_v1_StateOp__Output } from '../../orbitmq/v1/StateOp';
import type { Long } from '@grpc/proto-loader';

export interface FollowHandshake {
  'protocolVersion'?: (number);
  'broker'?: (_orbitmq_v1_BrokerIdentity | null);
  'storeId'?: (string);
  'masterStoreId'?: (string);
  'segmentSizeBytes'?: (number | string | Long);
  'minOffset'?: (string);
  'endOffset'?: (string);
  'tailFromOffset'?: (string);
  'tailCrc32'?: (number);
  'epochs'?: (_orbitmq_v1_EpochEntry)[];
  'flushDiskType'?: (string);
  'confirmedOffset'?: (string);
  'localState'?: (_orbitmq_v1_StateOp)[];
  'clientEndpoint'?: (string);
}

export interface FollowHandshake__Output {
  'protocolVersion': (number);
  'broker': (_orbitmq_v1_BrokerIdentity__Output | null);
  'storeId': (string);
  'masterStoreId': (string);
  'segmentSizeBytes': (string);
  'minOffset': (string);
  'endOffset': (string);
  'tailFromOffset': (string);
  'tailCrc32': (number);
  'epochs': (_orbitmq_v1_EpochEntry__Output)[];
  'flushDiskType': (string);
  'confirmedOffset': (string);
  'localState': (_orbitmq_v1_StateOp__Output)[];
  'clientEndpoint': (string);
}
