// Original file: proto/orbitmq/v1/broker_admin.proto

import type { HaReplicaStatus as _orbitmq_v1_HaReplicaStatus, HaReplicaStatus__Output as _orbitmq_v1_HaReplicaStatus__Output } from '../../orbitmq/v1/HaReplicaStatus';
import type { HaFollowerStatus as _orbitmq_v1_HaFollowerStatus, HaFollowerStatus__Output as _orbitmq_v1_HaFollowerStatus__Output } from '../../orbitmq/v1/HaFollowerStatus';
import type { Long } from '@grpc/proto-loader';

export interface GetHaStatusResponse {
  'brokerName'?: (string);
  'brokerId'?: (number);
  'role'?: (string);
  'endOffset'?: (string);
  'confirmOffset'?: (string);
  'epoch'?: (number | string | Long);
  'replicas'?: (_orbitmq_v1_HaReplicaStatus)[];
  'follower'?: (_orbitmq_v1_HaFollowerStatus | null);
}

export interface GetHaStatusResponse__Output {
  'brokerName': (string);
  'brokerId': (number);
  'role': (string);
  'endOffset': (string);
  'confirmOffset': (string);
  'epoch': (string);
  'replicas': (_orbitmq_v1_HaReplicaStatus__Output)[];
  'follower': (_orbitmq_v1_HaFollowerStatus__Output | null);
}
