// Original file: proto/orbitmq/v1/filter.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { MatchRequest as _orbitmq_v1_MatchRequest, MatchRequest__Output as _orbitmq_v1_MatchRequest__Output } from '../../orbitmq/v1/MatchRequest';
import type { MatchResponse as _orbitmq_v1_MatchResponse, MatchResponse__Output as _orbitmq_v1_MatchResponse__Output } from '../../orbitmq/v1/MatchResponse';

export interface FilterServiceClient extends grpc.Client {
  Match(argument: _orbitmq_v1_MatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_MatchResponse__Output>): grpc.ClientUnaryCall;
  Match(argument: _orbitmq_v1_MatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_MatchResponse__Output>): grpc.ClientUnaryCall;
  Match(argument: _orbitmq_v1_MatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_MatchResponse__Output>): grpc.ClientUnaryCall;
  Match(argument: _orbitmq_v1_MatchRequest, callback: grpc.requestCallback<_orbitmq_v1_MatchResponse__Output>): grpc.ClientUnaryCall;
  match(argument: _orbitmq_v1_MatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_MatchResponse__Output>): grpc.ClientUnaryCall;
  match(argument: _orbitmq_v1_MatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_MatchResponse__Output>): grpc.ClientUnaryCall;
  match(argument: _orbitmq_v1_MatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_MatchResponse__Output>): grpc.ClientUnaryCall;
  match(argument: _orbitmq_v1_MatchRequest, callback: grpc.requestCallback<_orbitmq_v1_MatchResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface FilterServiceHandlers extends grpc.UntypedServiceImplementation {
  Match: grpc.handleUnaryCall<_orbitmq_v1_MatchRequest__Output, _orbitmq_v1_MatchResponse>;
  
}

export interface FilterServiceDefinition extends grpc.ServiceDefinition {
  Match: MethodDefinition<_orbitmq_v1_MatchRequest, _orbitmq_v1_MatchResponse, _orbitmq_v1_MatchRequest__Output, _orbitmq_v1_MatchResponse__Output>
}
