import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BrokerEndpoints as _orbitmq_v1_BrokerEndpoints, BrokerEndpoints__Output as _orbitmq_v1_BrokerEndpoints__Output } from './orbitmq/v1/BrokerEndpoints';
import type { BrokerIdentity as _orbitmq_v1_BrokerIdentity, BrokerIdentity__Output as _orbitmq_v1_BrokerIdentity__Output } from './orbitmq/v1/BrokerIdentity';
import type { EpochEntry as _orbitmq_v1_EpochEntry, EpochEntry__Output as _orbitmq_v1_EpochEntry__Output } from './orbitmq/v1/EpochEntry';
import type { FollowAccepted as _orbitmq_v1_FollowAccepted, FollowAccepted__Output as _orbitmq_v1_FollowAccepted__Output } from './orbitmq/v1/FollowAccepted';
import type { FollowAck as _orbitmq_v1_FollowAck, FollowAck__Output as _orbitmq_v1_FollowAck__Output } from './orbitmq/v1/FollowAck';
import type { FollowHandshake as _orbitmq_v1_FollowHandshake, FollowHandshake__Output as _orbitmq_v1_FollowHandshake__Output } from './orbitmq/v1/FollowHandshake';
import type { FollowerMessage as _orbitmq_v1_FollowerMessage, FollowerMessage__Output as _orbitmq_v1_FollowerMessage__Output } from './orbitmq/v1/FollowerMessage';
import type { LeaderMessage as _orbitmq_v1_LeaderMessage, LeaderMessage__Output as _orbitmq_v1_LeaderMessage__Output } from './orbitmq/v1/LeaderMessage';
import type { LogFrame as _orbitmq_v1_LogFrame, LogFrame__Output as _orbitmq_v1_LogFrame__Output } from './orbitmq/v1/LogFrame';
import type { ReplicationClient as _orbitmq_v1_ReplicationClient, ReplicationDefinition as _orbitmq_v1_ReplicationDefinition } from './orbitmq/v1/Replication';
import type { ReplicationHeartbeat as _orbitmq_v1_ReplicationHeartbeat, ReplicationHeartbeat__Output as _orbitmq_v1_ReplicationHeartbeat__Output } from './orbitmq/v1/ReplicationHeartbeat';
import type { StateFrame as _orbitmq_v1_StateFrame, StateFrame__Output as _orbitmq_v1_StateFrame__Output } from './orbitmq/v1/StateFrame';
import type { StateOp as _orbitmq_v1_StateOp, StateOp__Output as _orbitmq_v1_StateOp__Output } from './orbitmq/v1/StateOp';
import type { TopicConfig as _orbitmq_v1_TopicConfig, TopicConfig__Output as _orbitmq_v1_TopicConfig__Output } from './orbitmq/v1/TopicConfig';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  orbitmq: {
    v1: {
      BrokerEndpoints: MessageTypeDefinition<_orbitmq_v1_BrokerEndpoints, _orbitmq_v1_BrokerEndpoints__Output>
      BrokerIdentity: MessageTypeDefinition<_orbitmq_v1_BrokerIdentity, _orbitmq_v1_BrokerIdentity__Output>
      EpochEntry: MessageTypeDefinition<_orbitmq_v1_EpochEntry, _orbitmq_v1_EpochEntry__Output>
      FollowAccepted: MessageTypeDefinition<_orbitmq_v1_FollowAccepted, _orbitmq_v1_FollowAccepted__Output>
      FollowAck: MessageTypeDefinition<_orbitmq_v1_FollowAck, _orbitmq_v1_FollowAck__Output>
      FollowHandshake: MessageTypeDefinition<_orbitmq_v1_FollowHandshake, _orbitmq_v1_FollowHandshake__Output>
      FollowerMessage: MessageTypeDefinition<_orbitmq_v1_FollowerMessage, _orbitmq_v1_FollowerMessage__Output>
      LeaderMessage: MessageTypeDefinition<_orbitmq_v1_LeaderMessage, _orbitmq_v1_LeaderMessage__Output>
      LogFrame: MessageTypeDefinition<_orbitmq_v1_LogFrame, _orbitmq_v1_LogFrame__Output>
      MessageType: EnumTypeDefinition
      Replication: SubtypeConstructor<typeof grpc.Client, _orbitmq_v1_ReplicationClient> & { service: _orbitmq_v1_ReplicationDefinition }
      ReplicationHeartbeat: MessageTypeDefinition<_orbitmq_v1_ReplicationHeartbeat, _orbitmq_v1_ReplicationHeartbeat__Output>
      StateFrame: MessageTypeDefinition<_orbitmq_v1_StateFrame, _orbitmq_v1_StateFrame__Output>
      StateOp: MessageTypeDefinition<_orbitmq_v1_StateOp, _orbitmq_v1_StateOp__Output>
      TopicConfig: MessageTypeDefinition<_orbitmq_v1_TopicConfig, _orbitmq_v1_TopicConfig__Output>
    }
  }
}

