// Original file: proto/orbitmq/v1/replication.proto

import type { FollowHandshake as _orbitmq_v1_FollowHandshake, FollowHandshake__Output as _orbitmq_v1_FollowHandshake__Output } from '../../orbitmq/v1/FollowHandshake';
import type { FollowAck as _orbitmq_v1_FollowAck, FollowAck__Output as _orbitmq_v1_FollowAck__Output } from '../../orbitmq/v1/FollowAck';

export interface FollowerMessage {
  'handshake'?: (_orbitmq_v1_FollowHandshake | null);
  'ack'?: (_orbitmq_v1_FollowAck | null);
  'kind'?: "handshake"|"ack";
}

export interface FollowerMessage__Output {
  'handshake'?: (_orbitmq_v1_FollowHandshake__Output | null);
  'ack'?: (_orbitmq_v1_FollowAck__Output | null);
  'kind'?: "handshake"|"ack";
}
