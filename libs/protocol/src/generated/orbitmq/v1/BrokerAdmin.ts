// Original file: proto/orbitmq/v1/broker_admin.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AdminDeleteTopicResponse as _orbitmq_v1_AdminDeleteTopicResponse, AdminDeleteTopicResponse__Output as _orbitmq_v1_AdminDeleteTopicResponse__Output } from '../../orbitmq/v1/AdminDeleteTopicResponse';
import type { AdminGroupRequest as _orbitmq_v1_AdminGroupRequest, AdminGroupRequest__Output as _orbitmq_v1_AdminGroupRequest__Output } from '../../orbitmq/v1/AdminGroupRequest';
import type { AdminTopicRequest as _orbitmq_v1_AdminTopicRequest, AdminTopicRequest__Output as _orbitmq_v1_AdminTopicRequest__Output } from '../../orbitmq/v1/AdminTopicRequest';
import type { BrowseMessagesChunk as _orbitmq_v1_BrowseMessagesChunk, BrowseMessagesChunk__Output as _orbitmq_v1_BrowseMessagesChunk__Output } from '../../orbitmq/v1/BrowseMessagesChunk';
import type { BrowseMessagesRequest as _orbitmq_v1_BrowseMessagesRequest, BrowseMessagesRequest__Output as _orbitmq_v1_BrowseMessagesRequest__Output } from '../../orbitmq/v1/BrowseMessagesRequest';
import type { DeleteSubscriptionGroupResponse as _orbitmq_v1_DeleteSubscriptionGroupResponse, DeleteSubscriptionGroupResponse__Output as _orbitmq_v1_DeleteSubscriptionGroupResponse__Output } from '../../orbitmq/v1/DeleteSubscriptionGroupResponse';
import type { GetAclConfigRequest as _orbitmq_v1_GetAclConfigRequest, GetAclConfigRequest__Output as _orbitmq_v1_GetAclConfigRequest__Output } from '../../orbitmq/v1/GetAclConfigRequest';
import type { GetAclConfigResponse as _orbitmq_v1_GetAclConfigResponse, GetAclConfigResponse__Output as _orbitmq_v1_GetAclConfigResponse__Output } from '../../orbitmq/v1/GetAclConfigResponse';
import type { GetBrokerStatusRequest as _orbitmq_v1_GetBrokerStatusRequest, GetBrokerStatusRequest__Output as _orbitmq_v1_GetBrokerStatusRequest__Output } from '../../orbitmq/v1/GetBrokerStatusRequest';
import type { GetBrokerStatusResponse as _orbitmq_v1_GetBrokerStatusResponse, GetBrokerStatusResponse__Output as _orbitmq_v1_GetBrokerStatusResponse__Output } from '../../orbitmq/v1/GetBrokerStatusResponse';
import type { GetConnectionsRequest as _orbitmq_v1_GetConnectionsRequest, GetConnectionsRequest__Output as _orbitmq_v1_GetConnectionsRequest__Output } from '../../orbitmq/v1/GetConnectionsRequest';
import type { GetConnectionsResponse as _orbitmq_v1_GetConnectionsResponse, GetConnectionsResponse__Output as _orbitmq_v1_GetConnectionsResponse__Output } from '../../orbitmq/v1/GetConnectionsResponse';
import type { GetConsumerProgressResponse as _orbitmq_v1_GetConsumerProgressResponse, GetConsumerProgressResponse__Output as _orbitmq_v1_GetConsumerProgressResponse__Output } from '../../orbitmq/v1/GetConsumerProgressResponse';
import type { GetDeliveryStateRequest as _orbitmq_v1_GetDeliveryStateRequest, GetDeliveryStateRequest__Output as _orbitmq_v1_GetDeliveryStateRequest__Output } from '../../orbitmq/v1/GetDeliveryStateRequest';
import type { GetDeliveryStateResponse as _orbitmq_v1_GetDeliveryStateResponse, GetDeliveryStateResponse__Output as _orbitmq_v1_GetDeliveryStateResponse__Output } from '../../orbitmq/v1/GetDeliveryStateResponse';
import type { GetHaStatusRequest as _orbitmq_v1_GetHaStatusRequest, GetHaStatusRequest__Output as _orbitmq_v1_GetHaStatusRequest__Output } from '../../orbitmq/v1/GetHaStatusRequest';
import type { GetHaStatusResponse as _orbitmq_v1_GetHaStatusResponse, GetHaStatusResponse__Output as _orbitmq_v1_GetHaStatusResponse__Output } from '../../orbitmq/v1/GetHaStatusResponse';
import type { GetScheduleStatsRequest as _orbitmq_v1_GetScheduleStatsRequest, GetScheduleStatsRequest__Output as _orbitmq_v1_GetScheduleStatsRequest__Output } from '../../orbitmq/v1/GetScheduleStatsRequest';
import type { GetScheduleStatsResponse as _orbitmq_v1_GetScheduleStatsResponse, GetScheduleStatsResponse__Output as _orbitmq_v1_GetScheduleStatsResponse__Output } from '../../orbitmq/v1/GetScheduleStatsResponse';
import type { GetTopicStatusResponse as _orbitmq_v1_GetTopicStatusResponse, GetTopicStatusResponse__Output as _orbitmq_v1_GetTopicStatusResponse__Output } from '../../orbitmq/v1/GetTopicStatusResponse';
import type { ListPendingTransactionsRequest as _orbitmq_v1_ListPendingTransactionsRequest, ListPendingTransactionsRequest__Output as _orbitmq_v1_ListPendingTransactionsRequest__Output } from '../../orbitmq/v1/ListPendingTransactionsRequest';
import type { ListPendingTransactionsResponse as _orbitmq_v1_ListPendingTransactionsResponse, ListPendingTransactionsResponse__Output as _orbitmq_v1_ListPendingTransactionsResponse__Output } from '../../orbitmq/v1/ListPendingTransactionsResponse';
import type { ListSubscriptionGroupsRequest as _orbitmq_v1_ListSubscriptionGroupsRequest, ListSubscriptionGroupsRequest__Output as _orbitmq_v1_ListSubscriptionGroupsRequest__Output } from '../../orbitmq/v1/ListSubscriptionGroupsRequest';
import type { ListSubscriptionGroupsResponse as _orbitmq_v1_ListSubscriptionGroupsResponse, ListSubscriptionGroupsResponse__Output as _orbitmq_v1_ListSubscriptionGroupsResponse__Output } from '../../orbitmq/v1/ListSubscriptionGroupsResponse';
import type { ListTopicStatsRequest as _orbitmq_v1_ListTopicStatsRequest, ListTopicStatsRequest__Output as _orbitmq_v1_ListTopicStatsRequest__Output } from '../../orbitmq/v1/ListTopicStatsRequest';
import type { ListTopicStatsResponse as _orbitmq_v1_ListTopicStatsResponse, ListTopicStatsResponse__Output as _orbitmq_v1_ListTopicStatsResponse__Output } from '../../orbitmq/v1/ListTopicStatsResponse';
import type { QueryMessagesRequest as _orbitmq_v1_QueryMessagesRequest, QueryMessagesRequest__Output as _orbitmq_v1_QueryMessagesRequest__Output } from '../../orbitmq/v1/QueryMessagesRequest';
import type { QueryMessagesResponse as _orbitmq_v1_QueryMessagesResponse, QueryMessagesResponse__Output as _orbitmq_v1_QueryMessagesResponse__Output } from '../../orbitmq/v1/QueryMessagesResponse';
import type { ResendMessagesRequest as _orbitmq_v1_ResendMessagesRequest, ResendMessagesRequest__Output as _orbitmq_v1_ResendMessagesRequest__Output } from '../../orbitmq/v1/ResendMessagesRequest';
import type { ResendMessagesResponse as _orbitmq_v1_ResendMessagesResponse, ResendMessagesResponse__Output as _orbitmq_v1_ResendMessagesResponse__Output } from '../../orbitmq/v1/ResendMessagesResponse';
import type { ResetOffsetByTimeRequest as _orbitmq_v1_ResetOffsetByTimeRequest, ResetOffsetByTimeRequest__Output as _orbitmq_v1_ResetOffsetByTimeRequest__Output } from '../../orbitmq/v1/ResetOffsetByTimeRequest';
import type { ResetOffsetByTimeResponse as _orbitmq_v1_ResetOffsetByTimeResponse, ResetOffsetByTimeResponse__Output as _orbitmq_v1_ResetOffsetByTimeResponse__Output } from '../../orbitmq/v1/ResetOffsetByTimeResponse';
import type { UpdateBrokerConfigRequest as _orbitmq_v1_UpdateBrokerConfigRequest, UpdateBrokerConfigRequest__Output as _orbitmq_v1_UpdateBrokerConfigRequest__Output } from '../../orbitmq/v1/UpdateBrokerConfigRequest';
import type { UpdateBrokerConfigResponse as _orbitmq_v1_UpdateBrokerConfigResponse, UpdateBrokerConfigResponse__Output as _orbitmq_v1_UpdateBrokerConfigResponse__Output } from '../../orbitmq/v1/UpdateBrokerConfigResponse';
import type { UpdateSubscriptionGroupRequest as _orbitmq_v1_UpdateSubscriptionGroupRequest, UpdateSubscriptionGroupRequest__Output as _orbitmq_v1_UpdateSubscriptionGroupRequest__Output } from '../../orbitmq/v1/UpdateSubscriptionGroupRequest';
import type { UpdateSubscriptionGroupResponse as _orbitmq_v1_UpdateSubscriptionGroupResponse, UpdateSubscriptionGroupResponse__Output as _orbitmq_v1_UpdateSubscriptionGroupResponse__Output } from '../../orbitmq/v1/UpdateSubscriptionGroupResponse';
import type { UpdateTopicRequest as _orbitmq_v1_UpdateTopicRequest, UpdateTopicRequest__Output as _orbitmq_v1_UpdateTopicRequest__Output } from '../../orbitmq/v1/UpdateTopicRequest';
import type { UpdateTopicResponse as _orbitmq_v1_UpdateTopicResponse, UpdateTopicResponse__Output as _orbitmq_v1_UpdateTopicResponse__Output } from '../../orbitmq/v1/UpdateTopicResponse';

export interface BrokerAdminClient extends grpc.Client {
  BrowseMessages(argument: _orbitmq_v1_BrowseMessagesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_orbitmq_v1_BrowseMessagesChunk__Output>;
  BrowseMessages(argument: _orbitmq_v1_BrowseMessagesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_orbitmq_v1_BrowseMessagesChunk__Output>;
  browseMessages(argument: _orbitmq_v1_BrowseMessagesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_orbitmq_v1_BrowseMessagesChunk__Output>;
  browseMessages(argument: _orbitmq_v1_BrowseMessagesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_orbitmq_v1_BrowseMessagesChunk__Output>;
  
  DeleteSubscriptionGroup(argument: _orbitmq_v1_AdminGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_DeleteSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  DeleteSubscriptionGroup(argument: _orbitmq_v1_AdminGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_DeleteSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  DeleteSubscriptionGroup(argument: _orbitmq_v1_AdminGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_DeleteSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  DeleteSubscriptionGroup(argument: _orbitmq_v1_AdminGroupRequest, callback: grpc.requestCallback<_orbitmq_v1_DeleteSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  deleteSubscriptionGroup(argument: _orbitmq_v1_AdminGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_DeleteSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  deleteSubscriptionGroup(argument: _orbitmq_v1_AdminGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_DeleteSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  deleteSubscriptionGroup(argument: _orbitmq_v1_AdminGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_DeleteSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  deleteSubscriptionGroup(argument: _orbitmq_v1_AdminGroupRequest, callback: grpc.requestCallback<_orbitmq_v1_DeleteSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteTopic(argument: _orbitmq_v1_AdminTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_AdminDeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _orbitmq_v1_AdminTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_AdminDeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _orbitmq_v1_AdminTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_AdminDeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  DeleteTopic(argument: _orbitmq_v1_AdminTopicRequest, callback: grpc.requestCallback<_orbitmq_v1_AdminDeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _orbitmq_v1_AdminTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_AdminDeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _orbitmq_v1_AdminTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_AdminDeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _orbitmq_v1_AdminTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_AdminDeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  deleteTopic(argument: _orbitmq_v1_AdminTopicRequest, callback: grpc.requestCallback<_orbitmq_v1_AdminDeleteTopicResponse__Output>): grpc.ClientUnaryCall;
  
  GetAclConfig(argument: _orbitmq_v1_GetAclConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetAclConfigResponse__Output>): grpc.ClientUnaryCall;
  GetAclConfig(argument: _orbitmq_v1_GetAclConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetAclConfigResponse__Output>): grpc.ClientUnaryCall;
  GetAclConfig(argument: _orbitmq_v1_GetAclConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetAclConfigResponse__Output>): grpc.ClientUnaryCall;
  GetAclConfig(argument: _orbitmq_v1_GetAclConfigRequest, callback: grpc.requestCallback<_orbitmq_v1_GetAclConfigResponse__Output>): grpc.ClientUnaryCall;
  getAclConfig(argument: _orbitmq_v1_GetAclConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetAclConfigResponse__Output>): grpc.ClientUnaryCall;
  getAclConfig(argument: _orbitmq_v1_GetAclConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetAclConfigResponse__Output>): grpc.ClientUnaryCall;
  getAclConfig(argument: _orbitmq_v1_GetAclConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetAclConfigResponse__Output>): grpc.ClientUnaryCall;
  getAclConfig(argument: _orbitmq_v1_GetAclConfigRequest, callback: grpc.requestCallback<_orbitmq_v1_GetAclConfigResponse__Output>): grpc.ClientUnaryCall;
  
  GetBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  GetBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  GetBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  GetBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  getBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  getBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  getBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  getBrokerStatus(argument: _orbitmq_v1_GetBrokerStatusRequest, callback: grpc.requestCallback<_orbitmq_v1_GetBrokerStatusResponse__Output>): grpc.ClientUnaryCall;
  
  GetConnections(argument: _orbitmq_v1_GetConnectionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetConnectionsResponse__Output>): grpc.ClientUnaryCall;
  GetConnections(argument: _orbitmq_v1_GetConnectionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetConnectionsResponse__Output>): grpc.ClientUnaryCall;
  GetConnections(argument: _orbitmq_v1_GetConnectionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetConnectionsResponse__Output>): grpc.ClientUnaryCall;
  GetConnections(argument: _orbitmq_v1_GetConnectionsRequest, callback: grpc.requestCallback<_orbitmq_v1_GetConnectionsResponse__Output>): grpc.ClientUnaryCall;
  getConnections(argument: _orbitmq_v1_GetConnectionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetConnectionsResponse__Output>): grpc.ClientUnaryCall;
  getConnections(argument: _orbitmq_v1_GetConnectionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetConnectionsResponse__Output>): grpc.ClientUnaryCall;
  getConnections(argument: _orbitmq_v1_GetConnectionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetConnectionsResponse__Output>): grpc.ClientUnaryCall;
  getConnections(argument: _orbitmq_v1_GetConnectionsRequest, callback: grpc.requestCallback<_orbitmq_v1_GetConnectionsResponse__Output>): grpc.ClientUnaryCall;
  
  GetConsumerProgress(argument: _orbitmq_v1_AdminGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetConsumerProgressResponse__Output>): grpc.ClientUnaryCall;
  GetConsumerProgress(argument: _orbitmq_v1_AdminGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetConsumerProgressResponse__Output>): grpc.ClientUnaryCall;
  GetConsumerProgress(argument: _orbitmq_v1_AdminGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetConsumerProgressResponse__Output>): grpc.ClientUnaryCall;
  GetConsumerProgress(argument: _orbitmq_v1_AdminGroupRequest, callback: grpc.requestCallback<_orbitmq_v1_GetConsumerProgressResponse__Output>): grpc.ClientUnaryCall;
  getConsumerProgress(argument: _orbitmq_v1_AdminGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetConsumerProgressResponse__Output>): grpc.ClientUnaryCall;
  getConsumerProgress(argument: _orbitmq_v1_AdminGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetConsumerProgressResponse__Output>): grpc.ClientUnaryCall;
  getConsumerProgress(argument: _orbitmq_v1_AdminGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetConsumerProgressResponse__Output>): grpc.ClientUnaryCall;
  getConsumerProgress(argument: _orbitmq_v1_AdminGroupRequest, callback: grpc.requestCallback<_orbitmq_v1_GetConsumerProgressResponse__Output>): grpc.ClientUnaryCall;
  
  GetDeliveryState(argument: _orbitmq_v1_GetDeliveryStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetDeliveryStateResponse__Output>): grpc.ClientUnaryCall;
  GetDeliveryState(argument: _orbitmq_v1_GetDeliveryStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetDeliveryStateResponse__Output>): grpc.ClientUnaryCall;
  GetDeliveryState(argument: _orbitmq_v1_GetDeliveryStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetDeliveryStateResponse__Output>): grpc.ClientUnaryCall;
  GetDeliveryState(argument: _orbitmq_v1_GetDeliveryStateRequest, callback: grpc.requestCallback<_orbitmq_v1_GetDeliveryStateResponse__Output>): grpc.ClientUnaryCall;
  getDeliveryState(argument: _orbitmq_v1_GetDeliveryStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetDeliveryStateResponse__Output>): grpc.ClientUnaryCall;
  getDeliveryState(argument: _orbitmq_v1_GetDeliveryStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetDeliveryStateResponse__Output>): grpc.ClientUnaryCall;
  getDeliveryState(argument: _orbitmq_v1_GetDeliveryStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetDeliveryStateResponse__Output>): grpc.ClientUnaryCall;
  getDeliveryState(argument: _orbitmq_v1_GetDeliveryStateRequest, callback: grpc.requestCallback<_orbitmq_v1_GetDeliveryStateResponse__Output>): grpc.ClientUnaryCall;
  
  GetHaStatus(argument: _orbitmq_v1_GetHaStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetHaStatusResponse__Output>): grpc.ClientUnaryCall;
  GetHaStatus(argument: _orbitmq_v1_GetHaStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetHaStatusResponse__Output>): grpc.ClientUnaryCall;
  GetHaStatus(argument: _orbitmq_v1_GetHaStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetHaStatusResponse__Output>): grpc.ClientUnaryCall;
  GetHaStatus(argument: _orbitmq_v1_GetHaStatusRequest, callback: grpc.requestCallback<_orbitmq_v1_GetHaStatusResponse__Output>): grpc.ClientUnaryCall;
  getHaStatus(argument: _orbitmq_v1_GetHaStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetHaStatusResponse__Output>): grpc.ClientUnaryCall;
  getHaStatus(argument: _orbitmq_v1_GetHaStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetHaStatusResponse__Output>): grpc.ClientUnaryCall;
  getHaStatus(argument: _orbitmq_v1_GetHaStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetHaStatusResponse__Output>): grpc.ClientUnaryCall;
  getHaStatus(argument: _orbitmq_v1_GetHaStatusRequest, callback: grpc.requestCallback<_orbitmq_v1_GetHaStatusResponse__Output>): grpc.ClientUnaryCall;
  
  GetScheduleStats(argument: _orbitmq_v1_GetScheduleStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetScheduleStatsResponse__Output>): grpc.ClientUnaryCall;
  GetScheduleStats(argument: _orbitmq_v1_GetScheduleStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetScheduleStatsResponse__Output>): grpc.ClientUnaryCall;
  GetScheduleStats(argument: _orbitmq_v1_GetScheduleStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetScheduleStatsResponse__Output>): grpc.ClientUnaryCall;
  GetScheduleStats(argument: _orbitmq_v1_GetScheduleStatsRequest, callback: grpc.requestCallback<_orbitmq_v1_GetScheduleStatsResponse__Output>): grpc.ClientUnaryCall;
  getScheduleStats(argument: _orbitmq_v1_GetScheduleStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetScheduleStatsResponse__Output>): grpc.ClientUnaryCall;
  getScheduleStats(argument: _orbitmq_v1_GetScheduleStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetScheduleStatsResponse__Output>): grpc.ClientUnaryCall;
  getScheduleStats(argument: _orbitmq_v1_GetScheduleStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetScheduleStatsResponse__Output>): grpc.ClientUnaryCall;
  getScheduleStats(argument: _orbitmq_v1_GetScheduleStatsRequest, callback: grpc.requestCallback<_orbitmq_v1_GetScheduleStatsResponse__Output>): grpc.ClientUnaryCall;
  
  GetTopicStatus(argument: _orbitmq_v1_AdminTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetTopicStatusResponse__Output>): grpc.ClientUnaryCall;
  GetTopicStatus(argument: _orbitmq_v1_AdminTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetTopicStatusResponse__Output>): grpc.ClientUnaryCall;
  GetTopicStatus(argument: _orbitmq_v1_AdminTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetTopicStatusResponse__Output>): grpc.ClientUnaryCall;
  GetTopicStatus(argument: _orbitmq_v1_AdminTopicRequest, callback: grpc.requestCallback<_orbitmq_v1_GetTopicStatusResponse__Output>): grpc.ClientUnaryCall;
  getTopicStatus(argument: _orbitmq_v1_AdminTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetTopicStatusResponse__Output>): grpc.ClientUnaryCall;
  getTopicStatus(argument: _orbitmq_v1_AdminTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_GetTopicStatusResponse__Output>): grpc.ClientUnaryCall;
  getTopicStatus(argument: _orbitmq_v1_AdminTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_GetTopicStatusResponse__Output>): grpc.ClientUnaryCall;
  getTopicStatus(argument: _orbitmq_v1_AdminTopicRequest, callback: grpc.requestCallback<_orbitmq_v1_GetTopicStatusResponse__Output>): grpc.ClientUnaryCall;
  
  ListPendingTransactions(argument: _orbitmq_v1_ListPendingTransactionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ListPendingTransactionsResponse__Output>): grpc.ClientUnaryCall;
  ListPendingTransactions(argument: _orbitmq_v1_ListPendingTransactionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_ListPendingTransactionsResponse__Output>): grpc.ClientUnaryCall;
  ListPendingTransactions(argument: _orbitmq_v1_ListPendingTransactionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ListPendingTransactionsResponse__Output>): grpc.ClientUnaryCall;
  ListPendingTransactions(argument: _orbitmq_v1_ListPendingTransactionsRequest, callback: grpc.requestCallback<_orbitmq_v1_ListPendingTransactionsResponse__Output>): grpc.ClientUnaryCall;
  listPendingTransactions(argument: _orbitmq_v1_ListPendingTransactionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ListPendingTransactionsResponse__Output>): grpc.ClientUnaryCall;
  listPendingTransactions(argument: _orbitmq_v1_ListPendingTransactionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_ListPendingTransactionsResponse__Output>): grpc.ClientUnaryCall;
  listPendingTransactions(argument: _orbitmq_v1_ListPendingTransactionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ListPendingTransactionsResponse__Output>): grpc.ClientUnaryCall;
  listPendingTransactions(argument: _orbitmq_v1_ListPendingTransactionsRequest, callback: grpc.requestCallback<_orbitmq_v1_ListPendingTransactionsResponse__Output>): grpc.ClientUnaryCall;
  
  ListSubscriptionGroups(argument: _orbitmq_v1_ListSubscriptionGroupsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ListSubscriptionGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListSubscriptionGroups(argument: _orbitmq_v1_ListSubscriptionGroupsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_ListSubscriptionGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListSubscriptionGroups(argument: _orbitmq_v1_ListSubscriptionGroupsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ListSubscriptionGroupsResponse__Output>): grpc.ClientUnaryCall;
  ListSubscriptionGroups(argument: _orbitmq_v1_ListSubscriptionGroupsRequest, callback: grpc.requestCallback<_orbitmq_v1_ListSubscriptionGroupsResponse__Output>): grpc.ClientUnaryCall;
  listSubscriptionGroups(argument: _orbitmq_v1_ListSubscriptionGroupsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ListSubscriptionGroupsResponse__Output>): grpc.ClientUnaryCall;
  listSubscriptionGroups(argument: _orbitmq_v1_ListSubscriptionGroupsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_ListSubscriptionGroupsResponse__Output>): grpc.ClientUnaryCall;
  listSubscriptionGroups(argument: _orbitmq_v1_ListSubscriptionGroupsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ListSubscriptionGroupsResponse__Output>): grpc.ClientUnaryCall;
  listSubscriptionGroups(argument: _orbitmq_v1_ListSubscriptionGroupsRequest, callback: grpc.requestCallback<_orbitmq_v1_ListSubscriptionGroupsResponse__Output>): grpc.ClientUnaryCall;
  
  ListTopicStats(argument: _orbitmq_v1_ListTopicStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ListTopicStatsResponse__Output>): grpc.ClientUnaryCall;
  ListTopicStats(argument: _orbitmq_v1_ListTopicStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_ListTopicStatsResponse__Output>): grpc.ClientUnaryCall;
  ListTopicStats(argument: _orbitmq_v1_ListTopicStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ListTopicStatsResponse__Output>): grpc.ClientUnaryCall;
  ListTopicStats(argument: _orbitmq_v1_ListTopicStatsRequest, callback: grpc.requestCallback<_orbitmq_v1_ListTopicStatsResponse__Output>): grpc.ClientUnaryCall;
  listTopicStats(argument: _orbitmq_v1_ListTopicStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ListTopicStatsResponse__Output>): grpc.ClientUnaryCall;
  listTopicStats(argument: _orbitmq_v1_ListTopicStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_ListTopicStatsResponse__Output>): grpc.ClientUnaryCall;
  listTopicStats(argument: _orbitmq_v1_ListTopicStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ListTopicStatsResponse__Output>): grpc.ClientUnaryCall;
  listTopicStats(argument: _orbitmq_v1_ListTopicStatsRequest, callback: grpc.requestCallback<_orbitmq_v1_ListTopicStatsResponse__Output>): grpc.ClientUnaryCall;
  
  QueryMessages(argument: _orbitmq_v1_QueryMessagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_QueryMessagesResponse__Output>): grpc.ClientUnaryCall;
  QueryMessages(argument: _orbitmq_v1_QueryMessagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_QueryMessagesResponse__Output>): grpc.ClientUnaryCall;
  QueryMessages(argument: _orbitmq_v1_QueryMessagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_QueryMessagesResponse__Output>): grpc.ClientUnaryCall;
  QueryMessages(argument: _orbitmq_v1_QueryMessagesRequest, callback: grpc.requestCallback<_orbitmq_v1_QueryMessagesResponse__Output>): grpc.ClientUnaryCall;
  queryMessages(argument: _orbitmq_v1_QueryMessagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_QueryMessagesResponse__Output>): grpc.ClientUnaryCall;
  queryMessages(argument: _orbitmq_v1_QueryMessagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_QueryMessagesResponse__Output>): grpc.ClientUnaryCall;
  queryMessages(argument: _orbitmq_v1_QueryMessagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_QueryMessagesResponse__Output>): grpc.ClientUnaryCall;
  queryMessages(argument: _orbitmq_v1_QueryMessagesRequest, callback: grpc.requestCallback<_orbitmq_v1_QueryMessagesResponse__Output>): grpc.ClientUnaryCall;
  
  ResendMessages(argument: _orbitmq_v1_ResendMessagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ResendMessagesResponse__Output>): grpc.ClientUnaryCall;
  ResendMessages(argument: _orbitmq_v1_ResendMessagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_ResendMessagesResponse__Output>): grpc.ClientUnaryCall;
  ResendMessages(argument: _orbitmq_v1_ResendMessagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ResendMessagesResponse__Output>): grpc.ClientUnaryCall;
  ResendMessages(argument: _orbitmq_v1_ResendMessagesRequest, callback: grpc.requestCallback<_orbitmq_v1_ResendMessagesResponse__Output>): grpc.ClientUnaryCall;
  resendMessages(argument: _orbitmq_v1_ResendMessagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ResendMessagesResponse__Output>): grpc.ClientUnaryCall;
  resendMessages(argument: _orbitmq_v1_ResendMessagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_ResendMessagesResponse__Output>): grpc.ClientUnaryCall;
  resendMessages(argument: _orbitmq_v1_ResendMessagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ResendMessagesResponse__Output>): grpc.ClientUnaryCall;
  resendMessages(argument: _orbitmq_v1_ResendMessagesRequest, callback: grpc.requestCallback<_orbitmq_v1_ResendMessagesResponse__Output>): grpc.ClientUnaryCall;
  
  ResetOffsetByTime(argument: _orbitmq_v1_ResetOffsetByTimeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ResetOffsetByTimeResponse__Output>): grpc.ClientUnaryCall;
  ResetOffsetByTime(argument: _orbitmq_v1_ResetOffsetByTimeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_ResetOffsetByTimeResponse__Output>): grpc.ClientUnaryCall;
  ResetOffsetByTime(argument: _orbitmq_v1_ResetOffsetByTimeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ResetOffsetByTimeResponse__Output>): grpc.ClientUnaryCall;
  ResetOffsetByTime(argument: _orbitmq_v1_ResetOffsetByTimeRequest, callback: grpc.requestCallback<_orbitmq_v1_ResetOffsetByTimeResponse__Output>): grpc.ClientUnaryCall;
  resetOffsetByTime(argument: _orbitmq_v1_ResetOffsetByTimeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ResetOffsetByTimeResponse__Output>): grpc.ClientUnaryCall;
  resetOffsetByTime(argument: _orbitmq_v1_ResetOffsetByTimeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_ResetOffsetByTimeResponse__Output>): grpc.ClientUnaryCall;
  resetOffsetByTime(argument: _orbitmq_v1_ResetOffsetByTimeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_ResetOffsetByTimeResponse__Output>): grpc.ClientUnaryCall;
  resetOffsetByTime(argument: _orbitmq_v1_ResetOffsetByTimeRequest, callback: grpc.requestCallback<_orbitmq_v1_ResetOffsetByTimeResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateBrokerConfig(argument: _orbitmq_v1_UpdateBrokerConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UpdateBrokerConfigResponse__Output>): grpc.ClientUnaryCall;
  UpdateBrokerConfig(argument: _orbitmq_v1_UpdateBrokerConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_UpdateBrokerConfigResponse__Output>): grpc.ClientUnaryCall;
  UpdateBrokerConfig(argument: _orbitmq_v1_UpdateBrokerConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UpdateBrokerConfigResponse__Output>): grpc.ClientUnaryCall;
  UpdateBrokerConfig(argument: _orbitmq_v1_UpdateBrokerConfigRequest, callback: grpc.requestCallback<_orbitmq_v1_UpdateBrokerConfigResponse__Output>): grpc.ClientUnaryCall;
  updateBrokerConfig(argument: _orbitmq_v1_UpdateBrokerConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UpdateBrokerConfigResponse__Output>): grpc.ClientUnaryCall;
  updateBrokerConfig(argument: _orbitmq_v1_UpdateBrokerConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_UpdateBrokerConfigResponse__Output>): grpc.ClientUnaryCall;
  updateBrokerConfig(argument: _orbitmq_v1_UpdateBrokerConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UpdateBrokerConfigResponse__Output>): grpc.ClientUnaryCall;
  updateBrokerConfig(argument: _orbitmq_v1_UpdateBrokerConfigRequest, callback: grpc.requestCallback<_orbitmq_v1_UpdateBrokerConfigResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateSubscriptionGroup(argument: _orbitmq_v1_UpdateSubscriptionGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UpdateSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  UpdateSubscriptionGroup(argument: _orbitmq_v1_UpdateSubscriptionGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_UpdateSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  UpdateSubscriptionGroup(argument: _orbitmq_v1_UpdateSubscriptionGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UpdateSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  UpdateSubscriptionGroup(argument: _orbitmq_v1_UpdateSubscriptionGroupRequest, callback: grpc.requestCallback<_orbitmq_v1_UpdateSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  updateSubscriptionGroup(argument: _orbitmq_v1_UpdateSubscriptionGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UpdateSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  updateSubscriptionGroup(argument: _orbitmq_v1_UpdateSubscriptionGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_UpdateSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  updateSubscriptionGroup(argument: _orbitmq_v1_UpdateSubscriptionGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UpdateSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  updateSubscriptionGroup(argument: _orbitmq_v1_UpdateSubscriptionGroupRequest, callback: grpc.requestCallback<_orbitmq_v1_UpdateSubscriptionGroupResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateTopic(argument: _orbitmq_v1_UpdateTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UpdateTopicResponse__Output>): grpc.ClientUnaryCall;
  UpdateTopic(argument: _orbitmq_v1_UpdateTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_UpdateTopicResponse__Output>): grpc.ClientUnaryCall;
  UpdateTopic(argument: _orbitmq_v1_UpdateTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UpdateTopicResponse__Output>): grpc.ClientUnaryCall;
  UpdateTopic(argument: _orbitmq_v1_UpdateTopicRequest, callback: grpc.requestCallback<_orbitmq_v1_UpdateTopicResponse__Output>): grpc.ClientUnaryCall;
  updateTopic(argument: _orbitmq_v1_UpdateTopicRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UpdateTopicResponse__Output>): grpc.ClientUnaryCall;
  updateTopic(argument: _orbitmq_v1_UpdateTopicRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orbitmq_v1_UpdateTopicResponse__Output>): grpc.ClientUnaryCall;
  updateTopic(argument: _orbitmq_v1_UpdateTopicRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orbitmq_v1_UpdateTopicResponse__Output>): grpc.ClientUnaryCall;
  updateTopic(argument: _orbitmq_v1_UpdateTopicRequest, callback: grpc.requestCallback<_orbitmq_v1_UpdateTopicResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface BrokerAdminHandlers extends grpc.UntypedServiceImplementation {
  BrowseMessages: grpc.handleServerStreamingCall<_orbitmq_v1_BrowseMessagesRequest__Output, _orbitmq_v1_BrowseMessagesChunk>;
  
  DeleteSubscriptionGroup: grpc.handleUnaryCall<_orbitmq_v1_AdminGroupRequest__Output, _orbitmq_v1_DeleteSubscriptionGroupResponse>;
  
  DeleteTopic: grpc.handleUnaryCall<_orbitmq_v1_AdminTopicRequest__Output, _orbitmq_v1_AdminDeleteTopicResponse>;
  
  GetAclConfig: grpc.handleUnaryCall<_orbitmq_v1_GetAclConfigRequest__Output, _orbitmq_v1_GetAclConfigResponse>;
  
  GetBrokerStatus: grpc.handleUnaryCall<_orbitmq_v1_GetBrokerStatusRequest__Output, _orbitmq_v1_GetBrokerStatusResponse>;
  
  GetConnections: grpc.handleUnaryCall<_orbitmq_v1_GetConnectionsRequest__Output, _orbitmq_v1_GetConnectionsResponse>;
  
  GetConsumerProgress: grpc.handleUnaryCall<_orbitmq_v1_AdminGroupRequest__Output, _orbitmq_v1_GetConsumerProgressResponse>;
  
  GetDeliveryState: grpc.handleUnaryCall<_orbitmq_v1_GetDeliveryStateRequest__Output, _orbitmq_v1_GetDeliveryStateResponse>;
  
  GetHaStatus: grpc.handleUnaryCall<_orbitmq_v1_GetHaStatusRequest__Output, _orbitmq_v1_GetHaStatusResponse>;
  
  GetScheduleStats: grpc.handleUnaryCall<_orbitmq_v1_GetScheduleStatsRequest__Output, _orbitmq_v1_GetScheduleStatsResponse>;
  
  GetTopicStatus: grpc.handleUnaryCall<_orbitmq_v1_AdminTopicRequest__Output, _orbitmq_v1_GetTopicStatusResponse>;
  
  ListPendingTransactions: grpc.handleUnaryCall<_orbitmq_v1_ListPendingTransactionsRequest__Output, _orbitmq_v1_ListPendingTransactionsResponse>;
  
  ListSubscriptionGroups: grpc.handleUnaryCall<_orbitmq_v1_ListSubscriptionGroupsRequest__Output, _orbitmq_v1_ListSubscriptionGroupsResponse>;
  
  ListTopicStats: grpc.handleUnaryCall<_orbitmq_v1_ListTopicStatsRequest__Output, _orbitmq_v1_ListTopicStatsResponse>;
  
  QueryMessages: grpc.handleUnaryCall<_orbitmq_v1_QueryMessagesRequest__Output, _orbitmq_v1_QueryMessagesResponse>;
  
  ResendMessages: grpc.handleUnaryCall<_orbitmq_v1_ResendMessagesRequest__Output, _orbitmq_v1_ResendMessagesResponse>;
  
  ResetOffsetByTime: grpc.handleUnaryCall<_orbitmq_v1_ResetOffsetByTimeRequest__Output, _orbitmq_v1_ResetOffsetByTimeResponse>;
  
  UpdateBrokerConfig: grpc.handleUnaryCall<_orbitmq_v1_UpdateBrokerConfigRequest__Output, _orbitmq_v1_UpdateBrokerConfigResponse>;
  
  UpdateSubscriptionGroup: grpc.handleUnaryCall<_orbitmq_v1_UpdateSubscriptionGroupRequest__Output, _orbitmq_v1_UpdateSubscriptionGroupResponse>;
  
  UpdateTopic: grpc.handleUnaryCall<_orbitmq_v1_UpdateTopicRequest__Output, _orbitmq_v1_UpdateTopicResponse>;
  
}

export interface BrokerAdminDefinition extends grpc.ServiceDefinition {
  BrowseMessages: MethodDefinition<_orbitmq_v1_BrowseMessagesRequest, _orbitmq_v1_BrowseMessagesChunk, _orbitmq_v1_BrowseMessagesRequest__Output, _orbitmq_v1_BrowseMessagesChunk__Output>
  DeleteSubscriptionGroup: MethodDefinition<_orbitmq_v1_AdminGroupRequest, _orbitmq_v1_DeleteSubscriptionGroupResponse, _orbitmq_v1_AdminGroupRequest__Output, _orbitmq_v1_DeleteSubscriptionGroupResponse__Output>
  DeleteTopic: MethodDefinition<_orbitmq_v1_AdminTopicRequest, _orbitmq_v1_AdminDeleteTopicResponse, _orbitmq_v1_AdminTopicRequest__Output, _orbitmq_v1_AdminDeleteTopicResponse__Output>
  GetAclConfig: MethodDefinition<_orbitmq_v1_GetAclConfigRequest, _orbitmq_v1_GetAclConfigResponse, _orbitmq_v1_GetAclConfigRequest__Output, _orbitmq_v1_GetAclConfigResponse__Output>
  GetBrokerStatus: MethodDefinition<_orbitmq_v1_GetBrokerStatusRequest, _orbitmq_v1_GetBrokerStatusResponse, _orbitmq_v1_GetBrokerStatusRequest__Output, _orbitmq_v1_GetBrokerStatusResponse__Output>
  GetConnections: MethodDefinition<_orbitmq_v1_GetConnectionsRequest, _orbitmq_v1_GetConnectionsResponse, _orbitmq_v1_GetConnectionsRequest__Output, _orbitmq_v1_GetConnectionsResponse__Output>
  GetConsumerProgress: MethodDefinition<_orbitmq_v1_AdminGroupRequest, _orbitmq_v1_GetConsumerProgressResponse, _orbitmq_v1_AdminGroupRequest__Output, _orbitmq_v1_GetConsumerProgressResponse__Output>
  GetDeliveryState: MethodDefinition<_orbitmq_v1_GetDeliveryStateRequest, _orbitmq_v1_GetDeliveryStateResponse, _orbitmq_v1_GetDeliveryStateRequest__Output, _orbitmq_v1_GetDeliveryStateResponse__Output>
  GetHaStatus: MethodDefinition<_orbitmq_v1_GetHaStatusRequest, _orbitmq_v1_GetHaStatusResponse, _orbitmq_v1_GetHaStatusRequest__Output, _orbitmq_v1_GetHaStatusResponse__Output>
  GetScheduleStats: MethodDefinition<_orbitmq_v1_GetScheduleStatsRequest, _orbitmq_v1_GetScheduleStatsResponse, _orbitmq_v1_GetScheduleStatsRequest__Output, _orbitmq_v1_GetScheduleStatsResponse__Output>
  GetTopicStatus: MethodDefinition<_orbitmq_v1_AdminTopicRequest, _orbitmq_v1_GetTopicStatusResponse, _orbitmq_v1_AdminTopicRequest__Output, _orbitmq_v1_GetTopicStatusResponse__Output>
  ListPendingTransactions: MethodDefinition<_orbitmq_v1_ListPendingTransactionsRequest, _orbitmq_v1_ListPendingTransactionsResponse, _orbitmq_v1_ListPendingTransactionsRequest__Output, _orbitmq_v1_ListPendingTransactionsResponse__Output>
  ListSubscriptionGroups: MethodDefinition<_orbitmq_v1_ListSubscriptionGroupsRequest, _orbitmq_v1_ListSubscriptionGroupsResponse, _orbitmq_v1_ListSubscriptionGroupsRequest__Output, _orbitmq_v1_ListSubscriptionGroupsResponse__Output>
  ListTopicStats: MethodDefinition<_orbitmq_v1_ListTopicStatsRequest, _orbitmq_v1_ListTopicStatsResponse, _orbitmq_v1_ListTopicStatsRequest__Output, _orbitmq_v1_ListTopicStatsResponse__Output>
  QueryMessages: MethodDefinition<_orbitmq_v1_QueryMessagesRequest, _orbitmq_v1_QueryMessagesResponse, _orbitmq_v1_QueryMessagesRequest__Output, _orbitmq_v1_QueryMessagesResponse__Output>
  ResendMessages: MethodDefinition<_orbitmq_v1_ResendMessagesRequest, _orbitmq_v1_ResendMessagesResponse, _orbitmq_v1_ResendMessagesRequest__Output, _orbitmq_v1_ResendMessagesResponse__Output>
  ResetOffsetByTime: MethodDefinition<_orbitmq_v1_ResetOffsetByTimeRequest, _orbitmq_v1_ResetOffsetByTimeResponse, _orbitmq_v1_ResetOffsetByTimeRequest__Output, _orbitmq_v1_ResetOffsetByTimeResponse__Output>
  UpdateBrokerConfig: MethodDefinition<_orbitmq_v1_UpdateBrokerConfigRequest, _orbitmq_v1_UpdateBrokerConfigResponse, _orbitmq_v1_UpdateBrokerConfigRequest__Output, _orbitmq_v1_UpdateBrokerConfigResponse__Output>
  UpdateSubscriptionGroup: MethodDefinition<_orbitmq_v1_UpdateSubscriptionGroupRequest, _orbitmq_v1_UpdateSubscriptionGroupResponse, _orbitmq_v1_UpdateSubscriptionGroupRequest__Output, _orbitmq_v1_UpdateSubscriptionGroupResponse__Output>
  UpdateTopic: MethodDefinition<_orbitmq_v1_UpdateTopicRequest, _orbitmq_v1_UpdateTopicResponse, _orbitmq_v1_UpdateTopicRequest__Output, _orbitmq_v1_UpdateTopicResponse__Output>
}
