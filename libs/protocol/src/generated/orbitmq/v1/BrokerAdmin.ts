// Original file: proto/orbitmq/v1/broker_admin.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetBrokerStatusRequest as _orbitmq_v1_GetBrokerStatusRequest, GetBrokerStatusRequest__Output as _orbitmq_v1_GetBrokerStatusRequest__Output } from '../../orbitmq/v1/GetBrokerStatusRequest';
import type { GetBrokerStatusResponse as _orbitmq_v1_GetBrokerStatusResponse, GetBrokerStatusResponse__Output as _orbitmq_v1_GetBrokerStatusResponse__Output } from '../../orbitmq/v1/GetBrokerStatusResponse';

export interface BrokerAdminClient extends grpc.Client {
  GetBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  GetBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  GetBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  GetBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  getBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  getBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  getBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  getBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface BrokerAdminHandlers extends grpc.UntypedServiceImplementation {
  GetBrokerStatus: grpc.handleUnaryCall<_orbitmq_v1_GetBrokerStatusRequest__Output, _orbitmq_v1_GetBrokerStatusResponse>;
  
}

export interface BrokerAdminDefinition extends grpc.ServiceDefinition {
  GetBrokerStatus: MethodDefinition<_orbitmq_v1_GetBrokerStatusRequest, _orbitmq_v1_GetBrokerStatusResponse, _orbitmq_v1_GetBrokerStatusRequest__Output, _orbitmq_v1_GetBrokerStatusResponse__Output>
}
