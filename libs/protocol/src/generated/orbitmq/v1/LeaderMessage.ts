// Original file: proto/orbitmq/v1/replication.proto

import type { FollowAccepted as _orbitmq_v1_FollowAccepted, FollowAccepted__Output as _orbitmq_v1_FollowAccepted__Output } from '../../orbitmq/v1/FollowAccepted';
import type { LogFrame as _orbitmq_v1_LogFrame, LogFrame__Output as _orbitmq_v1_LogFrame__Output } from '../../orbitmq/v1/LogFrame';
import type { StateFrame as _orbitmq_v1_StateFrame, StateFrame__Output as _orbitmq_v1_StateFrame__Output } from '../../orbitmq/v1/StateFrame';
import type { ReplicationHeartbeat as _orbitmq_v1_ReplicationHeartbeat, ReplicationHeartbeat__Output as _orbitmq_v1_ReplicationHeartbeat__Output } from '../../orbitmq/v1/ReplicationHeartbeat';

export interface LeaderMessage {
  'accepted'?: (_orbitmq_v1_FollowAccepted | null);
  'log'?: (_orbitmq_v1_LogFrame | null);
  'state'?: (_orbitmq_v1_StateFrame | null);
  'heartbeat'?: (_orbitmq_v1_ReplicationHeartbeat | null);
  'kind'?: "accepted"|"log"|"state"|"heartbeat";
}

export interface LeaderMessage__Output {
  'accepted'?: (_orbitmq_v1_FollowAccepted__Output | null);
  'log'?: (_orbitmq_v1_LogFrame__Output | null);
  'state'?: (_orbitmq_v1_StateFrame__Output | null);
  'heartbeat'?: (_orbitmq_v1_ReplicationHeartbeat__Output | null);
  'kind'?: "accepted"|"log"|"state"|"heartbeat";
}
