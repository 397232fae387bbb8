import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BrokerEndpoints as _orbitmq_v1_BrokerEndpoints, BrokerEndpoints__Output as _orbitmq_v1_BrokerEndpoints__Output } from './orbitmq/v1/BrokerEndpoints';
import type { BrokerGroup as _orbitmq_v1_BrokerGroup, BrokerGroup__Output as _orbitmq_v1_BrokerGroup__Output } from './orbitmq/v1/BrokerGroup';
import type { BrokerIdentity as _orbitmq_v1_BrokerIdentity, BrokerIdentity__Output as _orbitmq_v1_BrokerIdentity__Output } from './orbitmq/v1/BrokerIdentity';
import type { BrokerMember as _orbitmq_v1_BrokerMember, BrokerMember__Output as _orbitmq_v1_BrokerMember__Output } from './orbitmq/v1/BrokerMember';
import type { ClusterInfo as _orbitmq_v1_ClusterInfo, ClusterInfo__Output as _orbitmq_v1_ClusterInfo__Output } from './orbitmq/v1/ClusterInfo';
import type { DeleteTopicRequest as _orbitmq_v1_DeleteTopicRequest, DeleteTopicRequest__Output as _orbitmq_v1_DeleteTopicRequest__Output } from './orbitmq/v1/DeleteTopicRequest';
import type { DeleteTopicResponse as _orbitmq_v1_DeleteTopicResponse, DeleteTopicResponse__Output as _orbitmq_v1_DeleteTopicResponse__Output } from './orbitmq/v1/DeleteTopicResponse';
import type { FilterServers as _orbitmq_v1_FilterServers, FilterServers__Output as _orbitmq_v1_FilterServers__Output } from './orbitmq/v1/FilterServers';
import type { GetClusterInfoRequest as _orbitmq_v1_GetClusterInfoRequest, GetClusterInfoRequest__Output as _orbitmq_v1_GetClusterInfoRequest__Output } from './orbitmq/v1/GetClusterInfoRequest';
import type { GetClusterInfoResponse as _orbitmq_v1_GetClusterInfoResponse, GetClusterInfoResponse__Output as _orbitmq_v1_GetClusterInfoResponse__Output } from './orbitmq/v1/GetClusterInfoResponse';
import type { GetRouteRequest as _orbitmq_v1_GetRouteRequest, GetRouteRequest__Output as _orbitmq_v1_GetRouteRequest__Output } from './orbitmq/v1/GetRouteRequest';
import type { GetRouteResponse as _orbitmq_v1_GetRouteResponse, GetRouteResponse__Output as _orbitmq_v1_GetRouteResponse__Output } from './orbitmq/v1/GetRouteResponse';
import type { GetTopicListRequest as _orbitmq_v1_GetTopicListRequest, GetTopicListRequest__Output as _orbitmq_v1_GetTopicListRequest__Output } from './orbitmq/v1/GetTopicListRequest';
import type { GetTopicListResponse as _orbitmq_v1_GetTopicListResponse, GetTopicListResponse__Output as _orbitmq_v1_GetTopicListResponse__Output } from './orbitmq/v1/GetTopicListResponse';
import type { LiveBroker as _orbitmq_v1_LiveBroker, LiveBroker__Output as _orbitmq_v1_LiveBroker__Output } from './orbitmq/v1/LiveBroker';
import type { NameServerClient as _orbitmq_v1_NameServerClient, NameServerDefinition as _orbitmq_v1_NameServerDefinition } from './orbitmq/v1/NameServer';
import type { QueueData as _orbitmq_v1_QueueData, QueueData__Output as _orbitmq_v1_QueueData__Output } from './orbitmq/v1/QueueData';
import type { RegisterBrokerRequest as _orbitmq_v1_RegisterBrokerRequest, RegisterBrokerRequest__Output as _orbitmq_v1_RegisterBrokerRequest__Output } from './orbitmq/v1/RegisterBrokerRequest';
import type { RegisterBrokerResponse as _orbitmq_v1_RegisterBrokerResponse, RegisterBrokerResponse__Output as _orbitmq_v1_RegisterBrokerResponse__Output } from './orbitmq/v1/RegisterBrokerResponse';
import type { TopicConfig as _orbitmq_v1_TopicConfig, TopicConfig__Output as _orbitmq_v1_TopicConfig__Output } from './orbitmq/v1/TopicConfig';
import type { TopicRoute as _orbitmq_v1_TopicRoute, TopicRoute__Output as _orbitmq_v1_TopicRoute__Output } from './orbitmq/v1/TopicRoute';
import type { UnregisterBrokerRequest as _orbitmq_v1_UnregisterBrokerRequest, UnregisterBrokerRequest__Output as _orbitmq_v1_UnregisterBrokerRequest__Output } from './orbitmq/v1/UnregisterBrokerRequest';
import type { UnregisterBrokerResponse as _orbitmq_v1_UnregisterBrokerResponse, UnregisterBrokerResponse__Output as _orbitmq_v1_UnregisterBrokerResponse__Output } from './orbitmq/v1/UnregisterBrokerResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  orbitmq: {
    v1: {
      BrokerEndpoints: MessageTypeDefinition<_orbitmq_v1_BrokerEndpoints, _orbitmq_v1_BrokerEndpoints__Output>
      BrokerGroup: MessageTypeDefinition<_orbitmq_v1_BrokerGroup, _orbitmq_v1_BrokerGroup__Output>
      BrokerIdentity: MessageTypeDefinition<_orbitmq_v1_BrokerIdentity, _orbitmq_v1_BrokerIdentity__Output>
      BrokerMember: MessageTypeDefinition<_orbitmq_v1_BrokerMember, _orbitmq_v1_BrokerMember__Output>
      ClusterInfo: MessageTypeDefinition<_orbitmq_v1_ClusterInfo, _orbitmq_v1_ClusterInfo__Output>
      DeleteTopicRequest: MessageTypeDefinition<_orbitmq_v1_DeleteTopicRequest, _orbitmq_v1_DeleteTopicRequest__Output>
      DeleteTopicResponse: MessageTypeDefinition<_orbitmq_v1_DeleteTopicResponse, _orbitmq_v1_DeleteTopicResponse__Output>
      FilterServers: MessageTypeDefinition<_orbitmq_v1_FilterServers, _orbitmq_v1_FilterServers__Output>
      GetClusterInfoRequest: MessageTypeDefinition<_orbitmq_v1_GetClusterInfoRequest, _orbitmq_v1_GetClusterInfoRequest__Output>
      GetClusterInfoResponse: MessageTypeDefinition<_orbitmq_v1_GetClusterInfoResponse, _orbitmq_v1_GetClusterInfoResponse__Output>
      GetRouteRequest: MessageTypeDefinition<_orbitmq_v1_GetRouteRequest, _orbitmq_v1_GetRouteRequest__Output>
      GetRouteResponse: MessageTypeDefinition<_orbitmq_v1_GetRouteResponse, _orbitmq_v1_GetRouteResponse__Output>
      GetTopicListRequest: MessageTypeDefinition<_orbitmq_v1_GetTopicListRequest, _orbitmq_v1_GetTopicListRequest__Output>
      GetTopicListResponse: MessageTypeDefinition<_orbitmq_v1_GetTopicListResponse, _orbitmq_v1_GetTopicListResponse__Output>
      LiveBroker: MessageTypeDefinition<_orbitmq_v1_LiveBroker, _orbitmq_v1_LiveBroker__Output>
      MessageType: EnumTypeDefinition
      NameServer: SubtypeConstructor<typeof grpc.Client, _orbitmq_v1_NameServerClient> & { service: _orbitmq_v1_NameServerDefinition }
      QueueData: MessageTypeDefinition<_orbitmq_v1_QueueData, _orbitmq_v1_QueueData__Output>
      RegisterBrokerRequest: MessageTypeDefinition<_orbitmq_v1_RegisterBrokerRequest, _orbitmq_v1_RegisterBrokerRequest__Output>
      RegisterBrokerResponse: MessageTypeDefinition<_orbitmq_v1_RegisterBrokerResponse, _orbitmq_v1_RegisterBrokerResponse__Output>
      TopicConfig: MessageTypeDefinition<_orbitmq_v1_TopicConfig, _orbitmq_v1_TopicConfig__Output>
      TopicRoute: MessageTypeDefinition<_orbitmq_v1_TopicRoute, _orbitmq_v1_TopicRoute__Output>
      UnregisterBrokerRequest: MessageTypeDefinition<_orbitmq_v1_UnregisterBrokerRequest, _orbitmq_v1_UnregisterBrokerRequest__Output>
      UnregisterBrokerResponse: MessageTypeDefinition<_orbitmq_v1_UnregisterBrokerResponse, _orbitmq_v1_UnregisterBrokerResponse__Output>
    }
  }
}

