// Original file: proto/orbitmq/v1/filter.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { RegisterFilterServerRequest as _orbitmq_v1_RegisterFilterServerRequest, RegisterFilterServerRequest__Output as _orbitmq_v1_RegisterFilterServerRequest__Output } from '../../orbitmq/v1/RegisterFilterServerRequest';
import type { RegisterFilterServerResponse as _orbitmq_v1_RegisterFilterServerResponse, RegisterFilterServerResponse__Output as _orbitmq_v1_RegisterFilterServerResponse__Output } from '../../orbitmq/v1/RegisterFilterServerResponse';
import type { UnregisterFilterServerRequest as _orbitmq_v1_UnregisterFilterServerRequest, UnregisterFilterServerRequest__Output as _orbitmq_v1_UnregisterFilterServerRequest__Output } from '../../orbitmq/v1/UnregisterFilterServerRequest';
import type { UnregisterFilterServerResponse as _orbitmq_v1_UnregisterFilterServerResponse, UnregisterFilterServerResponse__Output as _orbitmq_v1_UnregisterFilterServerResponse__Output } from '../../orbitmq/v1/UnregisterFilterServerResponse';

export interface FilterServerRegistryClient extends grpc.Client {
  Register(argument: _orbitmq_v1_RegisterFilterServerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_RegisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _orbitmq_v1_RegisterFilterServerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_RegisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _orbitmq_v1_RegisterFilterServerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_RegisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _orbitmq_v1_RegisterFilterServerRequest, callback: grpc.requestCallback<_orbitmq_v1_RegisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _orbitmq_v1_RegisterFilterServerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_RegisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _orbitmq_v1_RegisterFilterServerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_RegisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _orbitmq_v1_RegisterFilterServerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_RegisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _orbitmq_v1_RegisterFilterServerRequest, callback: grpc.requestCallback<_orbitmq_v1_RegisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  
  Unregister(argument: _orbitmq_v1_UnregisterFilterServerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UnregisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  Unregister(argument: _orbitmq_v1_UnregisterFilterServerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_UnregisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  Unregister(argument: _orbitmq_v1_UnregisterFilterServerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UnregisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  Unregister(argument: _orbitmq_v1_UnregisterFilterServerRequest, callback: grpc.requestCallback<_orbitmq_v1_UnregisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  unregister(argument: _orbitmq_v1_UnregisterFilterServerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UnregisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  unregister(argument: _orbitmq_v1_UnregisterFilterServerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_UnregisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  unregister(argument: _orbitmq_v1_UnregisterFilterServerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UnregisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  unregister(argument: _orbitmq_v1_UnregisterFilterServerRequest, callback: grpc.requestCallback<_orbitmq_v1_UnregisterFilterServerResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface FilterServerRegistryHandlers extends grpc.UntypedServiceImplementation {
  Register: grpc.handleUnaryCall<_orbitmq_v1_RegisterFilterServerRequest__Output, _orbitmq_v1_RegisterFilterServerResponse>;
  
  Unregister: grpc.handleUnaryCall<_orbitmq_v1_UnregisterFilterServerRequest__Output, _orbitmq_v1_UnregisterFilterServerResponse>;
  
}

export interface FilterServerRegistryDefinition extends grpc.ServiceDefinition {
  Register: MethodDefinition<_orbitmq_v1_RegisterFilterServerRequest, _orbitmq_v1_RegisterFilterServerResponse, _orbitmq_v1_RegisterFilterServerRequest__Output, _orbitmq_v1_RegisterFilterServerResponse__Output>
  Unregister: MethodDefinition<_orbitmq_v1_UnregisterFilterServerRequest, _orbitmq_v1_UnregisterFilterServerResponse, _orbitmq_v1_UnregisterFilterServerRequest__Output, _orbitmq_v1_UnregisterFilterServerResponse__Output>
}
