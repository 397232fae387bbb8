// Original file: proto/orbitmq/v1/namesrv.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeleteTopicRequest as _orbitmq_v1_DeleteTopicRequest, DeleteTopicRequest__Output as _orbitmq_v1_DeleteTopicRequest__Output } from '../../orbitmq/v1/DeleteTopicRequest';
import type { DeleteTopicResponse as _orbitmq_v1_DeleteTopicResponse, DeleteTopicResponse__Output as _orbitmq_v1_DeleteTopicResponse__Output } from '../../orbitmq/v1/DeleteTopicResponse';
import type { GetClusterInfoRequest as _orbitmq_v1_GetClusterInfoRequest, GetClusterInfoRequest__Output as _orbitmq_v1_GetClusterInfoRequest__Output } from '../../orbitmq/v1/GetClusterInfoRequest';
import type { GetClusterInfoResponse as _orbitmq_v1_GetClusterInfoResponse, GetClusterInfoResponse__Output as _orbitmq_v1_GetClusterInfoResponse__Output } from '../../orbitmq/v1/GetClusterInfoResponse';
import type { GetRouteRequest as _orbitmq_v1_GetRouteRequest, GetRouteRequest__Output as _orbitmq_v1_GetRouteRequest__Output } from '../../orbitmq/v1/GetRouteRequest';
import type { GetRouteResponse as _orbitmq_v1_GetRouteResponse, GetRouteResponse__Output as _orbitmq_v1_GetRouteResponse__Output } from '../../orbitmq/v1/GetRouteResponse';
import type { GetTopicListRequest as _orbitmq_v1_GetTopicListRequest, GetTopicListRequest__Output as _orbitmq_v1_GetTopicListRequest__Output } from '../../orbitmq/v1/GetTopicListRequest';
import type { GetTopicListResponse as _orbitmq_v1_GetTopicListResponse, GetTopicListResponse__Output as _orbitmq_v1_GetTopicListResponse__Output } from '../../orbitmq/v1/GetTopicListResponse';
import type { RegisterBrokerRequest as _orbitmq_v1_RegisterBrokerRequest, RegisterBrokerRequest__Output as _orbitmq_v1_RegisterBrokerRequest__Output } from '../../orbitmq/v1/RegisterBrokerRequest';
import type { RegisterBrokerResponse as _orbitmq_v1_RegisterBrokerResponse, RegisterBrokerResponse__Output as _orbitmq_v1_RegisterBrokerResponse__Output } from '../../orbitmq/v1/RegisterBrokerResponse';
import type { UnregisterBrokerRequest as _orbitmq_v1_UnregisterBrokerRequest, UnregisterBrokerRequest__Output as _orbitmq_v1_UnregisterBrokerRequest__Output } from '../../orbitmq/v1/UnregisterBrokerRequest';
import type { UnregisterBrokerResponse as _orbitmq_v1_UnregisterBrokerResponse, UnregisterBrokerResponse__Output as _orbitmq_v1_UnregisterBrokerResponse__Output } from '../../orbitmq/v1/UnregisterBrokerResponse';

export interface NameServerClient extends grpc.Client {
  DeleteTopic(argument: _orbitmq_v1_DeleteTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _orbitmq_v1_DeleteTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _orbitmq_v1_DeleteTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _orbitmq_v1_DeleteTopicRequest, callback: grpc.requestCallback<_orbitmq_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _orbitmq_v1_DeleteTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _orbitmq_v1_DeleteTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _orbitmq_v1_DeleteTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _orbitmq_v1_DeleteTopicRequest, callback: grpc.requestCallback<_orbitmq_v1_DeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  
  GetClusterInfo(argument: _orbitmq_v1_GetClusterInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  GetClusterInfo(argument: _orbitmq_v1_GetClusterInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  GetClusterInfo(argument: _orbitmq_v1_GetClusterInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  GetClusterInfo(argument: _orbitmq_v1_GetClusterInfoRequest, callback: grpc.requestCallback<_orbitmq_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  getClusterInfo(argument: _orbitmq_v1_GetClusterInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  getClusterInfo(argument: _orbitmq_v1_GetClusterInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  getClusterInfo(argument: _orbitmq_v1_GetClusterInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  getClusterInfo(argument: _orbitmq_v1_GetClusterInfoRequest, callback: grpc.requestCallback<_orbitmq_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  
  GetRoute(argument: _orbitmq_v1_GetRouteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetRouteResponse__Output>): grpc.ClientUnaryCall;
  GetRoute(argument: _orbitmq_v1_GetRouteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetRouteResponse__Output>): grpc.ClientUnaryCall;
  GetRoute(argument: _orbitmq_v1_GetRouteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetRouteResponse__Output>): grpc.ClientUnaryCall;
  GetRoute(argument: _orbitmq_v1_GetRouteRequest, callback: grpc.requestCallback<_orbitmq_v1_GetRouteResponse__Output>): grpc.ClientUnaryCall;
  getRoute(argument: _orbitmq_v1_GetRouteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetRouteResponse__Output>): grpc.ClientUnaryCall;
  getRoute(argument: _orbitmq_v1_GetRouteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetRouteResponse__Output>): grpc.ClientUnaryCall;
  getRoute(argument: _orbitmq_v1_GetRouteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetRouteResponse__Output>): grpc.ClientUnaryCall;
  getRoute(argument: _orbitmq_v1_GetRouteRequest, callback: grpc.requestCallback<_orbitmq_v1_GetRouteResponse__Output>): grpc.ClientUnaryCall;
  
  GetTopicList(argument: _orbitmq_v1_GetTopicListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetTopicListResponse__Output>): grpc.ClientUnaryCall;
  GetTopicList(argument: _orbitmq_v1_GetTopicListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetTopicListResponse__Output>): grpc.ClientUnaryCall;
  GetTopicList(argument: _orbitmq_v1_GetTopicListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetTopicListResponse__Output>): grpc.ClientUnaryCall;
  GetTopicList(argument: _orbitmq_v1_GetTopicListRequest, callback: grpc.requestCallback<_orbitmq_v1_GetTopicListResponse__Output>): grpc.ClientUnaryCall;
  getTopicList(argument: _orbitmq_v1_GetTopicListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetTopicListResponse__Output>): grpc.ClientUnaryCall;
  getTopicList(argument: _orbitmq_v1_GetTopicListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetTopicListResponse__Output>): grpc.ClientUnaryCall;
  getTopicList(argument: _orbitmq_v1_GetTopicListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetTopicListResponse__Output>): grpc.ClientUnaryCall;
  getTopicList(argument: _orbitmq_v1_GetTopicListRequest, callback: grpc.requestCallback<_orbitmq_v1_GetTopicListResponse__Output>): grpc.ClientUnaryCall;
  
  RegisterBroker(argument: _orbitmq_v1_RegisterBrokerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  RegisterBroker(argument: _orbitmq_v1_RegisterBrokerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  RegisterBroker(argument: _orbitmq_v1_RegisterBrokerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  RegisterBroker(argument: _orbitmq_v1_RegisterBrokerRequest, callback: grpc.requestCallback<_orbitmq_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  registerBroker(argument: _orbitmq_v1_RegisterBrokerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  registerBroker(argument: _orbitmq_v1_RegisterBrokerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  registerBroker(argument: _orbitmq_v1_RegisterBrokerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  registerBroker(argument: _orbitmq_v1_RegisterBrokerRequest, callback: grpc.requestCallback<_orbitmq_v1_RegisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  
  UnregisterBroker(argument: _orbitmq_v1_UnregisterBrokerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UnregisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  UnregisterBroker(argument: _orbitmq_v1_UnregisterBrokerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_UnregisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  UnregisterBroker(argument: _orbitmq_v1_UnregisterBrokerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UnregisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  UnregisterBroker(argument: _orbitmq_v1_UnregisterBrokerRequest, callback: grpc.requestCallback<_orbitmq_v1_UnregisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  unregisterBroker(argument: _orbitmq_v1_UnregisterBrokerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UnregisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  unregisterBroker(argument: _orbitmq_v1_UnregisterBrokerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_UnregisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  unregisterBroker(argument: _orbitmq_v1_UnregisterBrokerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UnregisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  unregisterBroker(argument: _orbitmq_v1_UnregisterBrokerRequest, callback: grpc.requestCallback<_orbitmq_v1_UnregisterBrokerResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface NameServerHandlers extends grpc.UntypedServiceImplementation {
  DeleteTopic: grpc.handleUnaryCall<_orbitmq_v1_DeleteTopicRequest__Output, _orbitmq_v1_DeleteTopicResponse>;
  
  GetClusterInfo: grpc.handleUnaryCall<_orbitmq_v1_GetClusterInfoRequest__Output, _orbitmq_v1_GetClusterInfoResponse>;
  
  GetRoute: grpc.handleUnaryCall<_orbitmq_v1_GetRouteRequest__Output, _orbitmq_v1_GetRouteResponse>;
  
  GetTopicList: grpc.handleUnaryCall<_orbitmq_v1_GetTopicListRequest__Output, _orbitmq_v1_GetTopicListResponse>;
  
  RegisterBroker: grpc.handleUnaryCall<_orbitmq_v1_RegisterBrokerRequest__Output, _orbitmq_v1_RegisterBrokerResponse>;
  
  UnregisterBroker: grpc.handleUnaryCall<_orbitmq_v1_UnregisterBrokerRequest__Output, _orbitmq_v1_UnregisterBrokerResponse>;
  
}

export interface NameServerDefinition extends grpc.ServiceDefinition {
  DeleteTopic: MethodDefinition<_orbitmq_v1_DeleteTopicRequest, _orbitmq_v1_DeleteTopicResponse, _orbitmq_v1_DeleteTopicRequest__Output, _orbitmq_v1_DeleteTopicResponse__Output>
  GetClusterInfo: MethodDefinition<_orbitmq_v1_GetClusterInfoRequest, _orbitmq_v1_GetClusterInfoResponse, _orbitmq_v1_GetClusterInfoRequest__Output, _orbitmq_v1_GetClusterInfoResponse__Output>
  GetRoute: MethodDefinition<_orbitmq_v1_GetRouteRequest, _orbitmq_v1_GetRouteResponse, _orbitmq_v1_GetRouteRequest__Output, _orbitmq_v1_GetRouteResponse__Output>
  GetTopicList: MethodDefinition<_orbitmq_v1_GetTopicListRequest, _orbitmq_v1_GetTopicListResponse, _orbitmq_v1_GetTopicListRequest__Output, _orbitmq_v1_GetTopicListResponse__Output>
  RegisterBroker: MethodDefinition<_orbitmq_v1_RegisterBrokerRequest, _orbitmq_v1_RegisterBrokerResponse, _orbitmq_v1_RegisterBrokerRequest__Output, _orbitmq_v1_RegisterBrokerResponse__Output>
  UnregisterBroker: MethodDefinition<_orbitmq_v1_UnregisterBrokerRequest, _orbitmq_v1_UnregisterBrokerResponse, _orbitmq_v1_UnregisterBrokerRequest__Output, _orbitmq_v1_UnregisterBrokerResponse__Output>
}
