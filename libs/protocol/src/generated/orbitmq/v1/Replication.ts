// Original file: proto/orbitmq/v1/replication.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { FollowerMessage as _orbitmq_v1_FollowerMessage, FollowerMessage__Output as _orbitmq_v1_FollowerMessage__Output } from '../../orbitmq/v1/FollowerMessage';
import type { LeaderMessage as _orbitmq_v1_LeaderMessage, LeaderMessage__Output as _orbitmq_v1_LeaderMessage__Output } from '../../orbitmq/v1/LeaderMessage';

export interface ReplicationClient extends grpc.Client {
  Follow(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_orbitmq_v1_FollowerMessage, _orbitmq_v1_LeaderMessage__Output>;
  Follow(options?: grpc.CallOptions): grpc.ClientDuplexStream<_orbitmq_v1_FollowerMessage, _orbitmq_v1_LeaderMessage__Output>;
  follow(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_orbitmq_v1_FollowerMessage, _orbitmq_v1_LeaderMessage__Output>;
  follow(options?: grpc.CallOptions): grpc.ClientDuplexStream<_orbitmq_v1_FollowerMessage, _orbitmq_v1_LeaderMessage__Output>;
  
}

export interface ReplicationHandlers extends grpc.UntypedServiceImplementation {
  Follow: grpc.handleBidiStreamingCall<_orbitmq_v1_FollowerMessage__Output, _orbitmq_v1_LeaderMessage>;
  
}

export interface ReplicationDefinition extends grpc.ServiceDefinition {
  Follow: MethodDefinition<_orbitmq_v1_FollowerMessage, _orbitmq_v1_LeaderMessage, _orbitmq_v1_FollowerMessage__Output, _orbitmq_v1_LeaderMessage__Output>
}
