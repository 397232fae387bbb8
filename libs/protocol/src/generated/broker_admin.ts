import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AclAccountView as _orbitmq_v1_AclAccountView, AclAccountView__Output as _orbitmq_v1_AclAccountView__Output } from './orbitmq/v1/AclAccountView';
import type { AclResourcePerm as _orbitmq_v1_AclResourcePerm, AclResourcePerm__Output as _orbitmq_v1_AclResourcePerm__Output } from './orbitmq/v1/AclResourcePerm';
import type { AdminDeleteTopicResponse as _orbitmq_v1_AdminDeleteTopicResponse, AdminDeleteTopicResponse__Output as _orbitmq_v1_AdminDeleteTopicResponse__Output } from './orbitmq/v1/AdminDeleteTopicResponse';
import type { AdminGroupRequest as _orbitmq_v1_AdminGroupRequest, AdminGroupRequest__Output as _orbitmq_v1_AdminGroupRequest__Output } from './orbitmq/v1/AdminGroupRequest';
import type { AdminMessage as _orbitmq_v1_AdminMessage, AdminMessage__Output as _orbitmq_v1_AdminMessage__Output } from './orbitmq/v1/AdminMessage';
import type { AdminTopicRequest as _orbitmq_v1_AdminTopicRequest, AdminTopicRequest__Output as _orbitmq_v1_AdminTopicRequest__Output } from './orbitmq/v1/AdminTopicRequest';
import type { BrokerAdminClient as _orbitmq_v1_BrokerAdminClient, BrokerAdminDefinition as _orbitmq_v1_BrokerAdminDefinition } from './orbitmq/v1/BrokerAdmin';
import type { BrokerEndpoints as _orbitmq_v1_BrokerEndpoints, BrokerEndpoints__Output as _orbitmq_v1_BrokerEndpoints__Output } from './orbitmq/v1/BrokerEndpoints';
import type { BrokerIdentity as _orbitmq_v1_BrokerIdentity, BrokerIdentity__Output as _orbitmq_v1_BrokerIdentity__Output } from './orbitmq/v1/BrokerIdentity';
import type { BrowseMessagesChunk as _orbitmq_v1_BrowseMessagesChunk, BrowseMessagesChunk__Output as _orbitmq_v1_BrowseMessagesChunk__Output } from './orbitmq/v1/BrowseMessagesChunk';
import type { BrowseMessagesRequest as _orbitmq_v1_BrowseMessagesRequest, BrowseMessagesRequest__Output as _orbitmq_v1_BrowseMessagesRequest__Output } from './orbitmq/v1/BrowseMessagesRequest';
import type { BrowseProgress as _orbitmq_v1_BrowseProgress, BrowseProgress__Output as _orbitmq_v1_BrowseProgress__Output } from './orbitmq/v1/BrowseProgress';
import type { Connection as _orbitmq_v1_Connection, Connection__Output as _orbitmq_v1_Connection__Output } from './orbitmq/v1/Connection';
import type { DeleteSubscriptionGroupResponse as _orbitmq_v1_DeleteSubscriptionGroupResponse, DeleteSubscriptionGroupResponse__Output as _orbitmq_v1_DeleteSubscriptionGroupResponse__Output } from './orbitmq/v1/DeleteSubscriptionGroupResponse';
import type { GetAclConfigRequest as _orbitmq_v1_GetAclConfigRequest, GetAclConfigRequest__Output as _orbitmq_v1_GetAclConfigRequest__Output } from './orbitmq/v1/GetAclConfigRequest';
import type { GetAclConfigResponse as _orbitmq_v1_GetAclConfigResponse, GetAclConfigResponse__Output as _orbitmq_v1_GetAclConfigResponse__Output } from './orbitmq/v1/GetAclConfigResponse';
import type { GetBrokerStatusRequest as _orbitmq_v1_GetBrokerStatusRequest, GetBrokerStatusRequest__Output as _orbitmq_v1_GetBrokerStatusRequest__Output } from './orbitmq/v1/GetBrokerStatusRequest';
import type { GetBrokerStatusResponse as _orbitmq_v1_GetBrokerStatusResponse, GetBrokerStatusResponse__Output as _orbitmq_v1_GetBrokerStatusResponse__Output } from './orbitmq/v1/GetBrokerStatusResponse';
import type { GetConnectionsRequest as _orbitmq_v1_GetConnectionsRequest, GetConnectionsRequest__Output as _orbitmq_v1_GetConnectionsRequest__Output } from './orbitmq/v1/GetConnectionsRequest';
import type { GetConnectionsResponse as _orbitmq_v1_GetConnectionsResponse, GetConnectionsResponse__Output as _orbitmq_v1_GetConnectionsResponse__Output } from './orbitmq/v1/GetConnectionsResponse';
import type { GetConsumerProgressResponse as _orbitmq_v1_GetConsumerProgressResponse, GetConsumerProgressResponse__Output as _orbitmq_v1_GetConsumerProgressResponse__Output } from './orbitmq/v1/GetConsumerProgressResponse';
import type { GetDeliveryStateRequest as _orbitmq_v1_GetDeliveryStateRequest, GetDeliveryStateRequest__Output as _orbitmq_v1_GetDeliveryStateRequest__Output } from './orbitmq/v1/GetDeliveryStateRequest';
import type { GetDeliveryStateResponse as _orbitmq_v1_GetDeliveryStateResponse, GetDeliveryStateResponse__Output as _orbitmq_v1_GetDeliveryStateResponse__Output } from './orbitmq/v1/GetDeliveryStateResponse';
import type { GetHaStatusRequest as _orbitmq_v1_GetHaStatusRequest, GetHaStatusRequest__Output as _orbitmq_v1_GetHaStatusRequest__Output } from './orbitmq/v1/GetHaStatusRequest';
import type { GetHaStatusResponse as _orbitmq_v1_GetHaStatusResponse, GetHaStatusResponse__Output as _orbitmq_v1_GetHaStatusResponse__Output } from './orbitmq/v1/GetHaStatusResponse';
import type { GetScheduleStatsRequest as _orbitmq_v1_GetScheduleStatsRequest, GetScheduleStatsRequest__Output as _orbitmq_v1_GetScheduleStatsRequest__Output } from './orbitmq/v1/GetScheduleStatsRequest';
import type { GetScheduleStatsResponse as _orbitmq_v1_GetScheduleStatsResponse, GetScheduleStatsResponse__Output as _orbitmq_v1_GetScheduleStatsResponse__Output } from './orbitmq/v1/GetScheduleStatsResponse';
import type { GetTopicStatusResponse as _orbitmq_v1_GetTopicStatusResponse, GetTopicStatusResponse__Output as _orbitmq_v1_GetTopicStatusResponse__Output } from './orbitmq/v1/GetTopicStatusResponse';
import type { GroupDelivery as _orbitmq_v1_GroupDelivery, GroupDelivery__Output as _orbitmq_v1_GroupDelivery__Output } from './orbitmq/v1/GroupDelivery';
import type { GroupSummary as _orbitmq_v1_GroupSummary, GroupSummary__Output as _orbitmq_v1_GroupSummary__Output } from './orbitmq/v1/GroupSummary';
import type { HaFollowerStatus as _orbitmq_v1_HaFollowerStatus, HaFollowerStatus__Output as _orbitmq_v1_HaFollowerStatus__Output } from './orbitmq/v1/HaFollowerStatus';
import type { HaReplicaStatus as _orbitmq_v1_HaReplicaStatus, HaReplicaStatus__Output as _orbitmq_v1_HaReplicaStatus__Output } from './orbitmq/v1/HaReplicaStatus';
import type { ListPendingTransactionsRequest as _orbitmq_v1_ListPendingTransactionsRequest, ListPendingTransactionsRequest__Output as _orbitmq_v1_ListPendingTransactionsRequest__Output } from './orbitmq/v1/ListPendingTransactionsRequest';
import type { ListPendingTransactionsResponse as _orbitmq_v1_ListPendingTransactionsResponse, ListPendingTransactionsResponse__Output as _orbitmq_v1_ListPendingTransactionsResponse__Output } from './orbitmq/v1/ListPendingTransactionsResponse';
import type { ListSubscriptionGroupsRequest as _orbitmq_v1_ListSubscriptionGroupsRequest, ListSubscriptionGroupsRequest__Output as _orbitmq_v1_ListSubscriptionGroupsRequest__Output } from './orbitmq/v1/ListSubscriptionGroupsRequest';
import type { ListSubscriptionGroupsResponse as _orbitmq_v1_ListSubscriptionGroupsResponse, ListSubscriptionGroupsResponse__Output as _orbitmq_v1_ListSubscriptionGroupsResponse__Output } from './orbitmq/v1/ListSubscriptionGroupsResponse';
import type { ListTopicStatsRequest as _orbitmq_v1_ListTopicStatsRequest, ListTopicStatsRequest__Output as _orbitmq_v1_ListTopicStatsRequest__Output } from './orbitmq/v1/ListTopicStatsRequest';
import type { ListTopicStatsResponse as _orbitmq_v1_ListTopicStatsResponse, ListTopicStatsResponse__Output as _orbitmq_v1_ListTopicStatsResponse__Output } from './orbitmq/v1/ListTopicStatsResponse';
import type { PendingTransaction as _orbitmq_v1_PendingTransaction, PendingTransaction__Output as _orbitmq_v1_PendingTransaction__Output } from './orbitmq/v1/PendingTransaction';
import type { QueryMessagesRequest as _orbitmq_v1_QueryMessagesRequest, QueryMessagesRequest__Output as _orbitmq_v1_QueryMessagesRequest__Output } from './orbitmq/v1/QueryMessagesRequest';
import type { QueryMessagesResponse as _orbitmq_v1_QueryMessagesResponse, QueryMessagesResponse__Output as _orbitmq_v1_QueryMessagesResponse__Output } from './orbitmq/v1/QueryMessagesResponse';
import type { QueueOffset as _orbitmq_v1_QueueOffset, QueueOffset__Output as _orbitmq_v1_QueueOffset__Output } from './orbitmq/v1/QueueOffset';
import type { QueueProgress as _orbitmq_v1_QueueProgress, QueueProgress__Output as _orbitmq_v1_QueueProgress__Output } from './orbitmq/v1/QueueProgress';
import type { QueueStatus as _orbitmq_v1_QueueStatus, QueueStatus__Output as _orbitmq_v1_QueueStatus__Output } from './orbitmq/v1/QueueStatus';
import type { ResendMessagesRequest as _orbitmq_v1_ResendMessagesRequest, ResendMessagesRequest__Output as _orbitmq_v1_ResendMessagesRequest__Output } from './orbitmq/v1/ResendMessagesRequest';
import type { ResendMessagesResponse as _orbitmq_v1_ResendMessagesResponse, ResendMessagesResponse__Output as _orbitmq_v1_ResendMessagesResponse__Output } from './orbitmq/v1/ResendMessagesResponse';
import type { ResendResult as _orbitmq_v1_ResendResult, ResendResult__Output as _orbitmq_v1_ResendResult__Output } from './orbitmq/v1/ResendResult';
import type { ResetOffsetByTimeRequest as _orbitmq_v1_ResetOffsetByTimeRequest, ResetOffsetByTimeRequest__Output as _orbitmq_v1_ResetOffsetByTimeRequest__Output } from './orbitmq/v1/ResetOffsetByTimeRequest';
import type { ResetOffsetByTimeResponse as _orbitmq_v1_ResetOffsetByTimeResponse, ResetOffsetByTimeResponse__Output as _orbitmq_v1_ResetOffsetByTimeResponse__Output } from './orbitmq/v1/ResetOffsetByTimeResponse';
import type { ScheduleBucket as _orbitmq_v1_ScheduleBucket, ScheduleBucket__Output as _orbitmq_v1_ScheduleBucket__Output } from './orbitmq/v1/ScheduleBucket';
import type { SubscriptionGroup as _orbitmq_v1_SubscriptionGroup, SubscriptionGroup__Output as _orbitmq_v1_SubscriptionGroup__Output } from './orbitmq/v1/SubscriptionGroup';
import type { TopicConfig as _orbitmq_v1_TopicConfig, TopicConfig__Output as _orbitmq_v1_TopicConfig__Output } from './orbitmq/v1/TopicConfig';
import type { TopicLag as _orbitmq_v1_TopicLag, TopicLag__Output as _orbitmq_v1_TopicLag__Output } from './orbitmq/v1/TopicLag';
import type { TopicStats as _orbitmq_v1_TopicStats, TopicStats__Output as _orbitmq_v1_TopicStats__Output } from './orbitmq/v1/TopicStats';
import type { UpdateBrokerConfigRequest as _orbitmq_v1_UpdateBrokerConfigRequest, UpdateBrokerConfigRequest__Output as _orbitmq_v1_UpdateBrokerConfigRequest__Output } from './orbitmq/v1/UpdateBrokerConfigRequest';
import type { UpdateBrokerConfigResponse as _orbitmq_v1_UpdateBrokerConfigResponse, UpdateBrokerConfigResponse__Output as _orbitmq_v1_UpdateBrokerConfigResponse__Output } from './orbitmq/v1/UpdateBrokerConfigResponse';
import type { UpdateSubscriptionGroupRequest as _orbitmq_v1_UpdateSubscriptionGroupRequest, UpdateSubscriptionGroupRequest__Output as _orbitmq_v1_UpdateSubscriptionGroupRequest__Output } from './orbitmq/v1/UpdateSubscriptionGroupRequest';
import type { UpdateSubscriptionGroupResponse as _orbitmq_v1_UpdateSubscriptionGroupResponse, UpdateSubscriptionGroupResponse__Output as _orbitmq_v1_UpdateSubscriptionGroupResponse__Output } from './orbitmq/v1/UpdateSubscriptionGroupResponse';
import type { UpdateTopicRequest as _orbitmq_v1_UpdateTopicRequest, UpdateTopicRequest__Output as _orbitmq_v1_UpdateTopicRequest__Output } from './orbitmq/v1/UpdateTopicRequest';
import type { UpdateTopicResponse as _orbitmq_v1_UpdateTopicResponse, UpdateTopicResponse__Output as _orbitmq_v1_UpdateTopicResponse__Output } from './orbitmq/v1/UpdateTopicResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  orbitmq: {
    v1: {
      AclAccountView: MessageTypeDefinition<_orbitmq_v1_AclAccountView, _orbitmq_v1_AclAccountView__Output>
      AclResourcePerm: MessageTypeDefinition<_orbitmq_v1_AclResourcePerm, _orbitmq_v1_AclResourcePerm__Output>
      AdminDeleteTopicResponse: MessageTypeDefinition<_orbitmq_v1_AdminDeleteTopicResponse, _orbitmq_v1_AdminDeleteTopicResponse__Output>
      AdminGroupRequest: MessageTypeDefinition<_orbitmq_v1_AdminGroupRequest, _orbitmq_v1_AdminGroupRequest__Output>
      AdminMessage: MessageTypeDefinition<_orbitmq_v1_AdminMessage, _orbitmq_v1_AdminMessage__Output>
      AdminTopicRequest: MessageTypeDefinition<_orbitmq_v1_AdminTopicRequest, _orbitmq_v1_AdminTopicRequest__Output>
      BrokerAdmin: SubtypeConstructor<typeof grpc.Client, _orbitmq_v1_BrokerAdminClient> & { service: _orbitmq_v1_BrokerAdminDefinition }
      BrokerEndpoints: MessageTypeDefinition<_orbitmq_v1_BrokerEndpoints, _orbitmq_v1_BrokerEndpoints__Output>
      BrokerIdentity: MessageTypeDefinition<_orbitmq_v1_BrokerIdentity, _orbitmq_v1_BrokerIdentity__Output>
      BrowseMessagesChunk: MessageTypeDefinition<_orbitmq_v1_BrowseMessagesChunk, _orbitmq_v1_BrowseMessagesChunk__Output>
      BrowseMessagesRequest: MessageTypeDefinition<_orbitmq_v1_BrowseMessagesRequest, _orbitmq_v1_BrowseMessagesRequest__Output>
      BrowseProgress: MessageTypeDefinition<_orbitmq_v1_BrowseProgress, _orbitmq_v1_BrowseProgress__Output>
      Connection: MessageTypeDefinition<_orbitmq_v1_Connection, _orbitmq_v1_Connection__Output>
      DeleteSubscriptionGroupResponse: MessageTypeDefinition<_orbitmq_v1_DeleteSubscriptionGroupResponse, _orbitmq_v1_DeleteSubscriptionGroupResponse__Output>
      GetAclConfigRequest: MessageTypeDefinition<_orbitmq_v1_GetAclConfigRequest, _orbitmq_v1_GetAclConfigRequest__Output>
      GetAclConfigResponse: MessageTypeDefinition<_orbitmq_v1_GetAclConfigResponse, _orbitmq_v1_GetAclConfigResponse__Output>
      GetBrokerStatusRequest: MessageTypeDefinition<_orbitmq_v1_GetBrokerStatusRequest, _orbitmq_v1_GetBrokerStatusRequest__Output>
      GetBrokerStatusResponse: MessageTypeDefinition<_orbitmq_v1_GetBrokerStatusResponse, _orbitmq_v1_GetBrokerStatusResponse__Output>
      GetConnectionsRequest: MessageTypeDefinition<_orbitmq_v1_GetConnectionsRequest, _orbitmq_v1_GetConnectionsRequest__Output>
      GetConnectionsResponse: MessageTypeDefinition<_orbitmq_v1_GetConnectionsResponse, _orbitmq_v1_GetConnectionsResponse__Output>
      GetConsumerProgressResponse: MessageTypeDefinition<_orbitmq_v1_GetConsumerProgressResponse, _orbitmq_v1_GetConsumerProgressResponse__Output>
      GetDeliveryStateRequest: MessageTypeDefinition<_orbitmq_v1_GetDeliveryStateRequest, _orbitmq_v1_GetDeliveryStateRequest__Output>
      GetDeliveryStateResponse: MessageTypeDefinition<_orbitmq_v1_GetDeliveryStateResponse, _orbitmq_v1_GetDeliveryStateResponse__Output>
      GetHaStatusRequest: MessageTypeDefinition<_orbitmq_v1_GetHaStatusRequest, _orbitmq_v1_GetHaStatusRequest__Output>
      GetHaStatusResponse: MessageTypeDefinition<_orbitmq_v1_GetHaStatusResponse, _orbitmq_v1_GetHaStatusResponse__Output>
      GetScheduleStatsRequest: MessageTypeDefinition<_orbitmq_v1_GetScheduleStatsRequest, _orbitmq_v1_GetScheduleStatsRequest__Output>
      GetScheduleStatsResponse: MessageTypeDefinition<_orbitmq_v1_GetScheduleStatsResponse, _orbitmq_v1_GetScheduleStatsResponse__Output>
      GetTopicStatusResponse: MessageTypeDefinition<_orbitmq_v1_GetTopicStatusResponse, _orbitmq_v1_GetTopicStatusResponse__Output>
      GroupDelivery: MessageTypeDefinition<_orbitmq_v1_GroupDelivery, _orbitmq_v1_GroupDelivery__Output>
      GroupSummary: MessageTypeDefinition<_orbitmq_v1_GroupSummary, _orbitmq_v1_GroupSummary__Output>
      HaFollowerStatus: MessageTypeDefinition<_orbitmq_v1_HaFollowerStatus, _orbitmq_v1_HaFollowerStatus__Output>
      HaReplicaStatus: MessageTypeDefinition<_orbitmq_v1_HaReplicaStatus, _orbitmq_v1_HaReplicaStatus__Output>
      ListPendingTransactionsRequest: MessageTypeDefinition<_orbitmq_v1_ListPendingTransactionsRequest, _orbitmq_v1_ListPendingTransactionsRequest__Output>
      ListPendingTransactionsResponse: MessageTypeDefinition<_orbitmq_v1_ListPendingTransactionsResponse, _orbitmq_v1_ListPendingTransactionsResponse__Output>
      ListSubscriptionGroupsRequest: MessageTypeDefinition<_orbitmq_v1_ListSubscriptionGroupsRequest, _orbitmq_v1_ListSubscriptionGroupsRequest__Output>
      ListSubscriptionGroupsResponse: MessageTypeDefinition<_orbitmq_v1_ListSubscriptionGroupsResponse, _orbitmq_v1_ListSubscriptionGroupsResponse__Output>
      ListTopicStatsRequest: MessageTypeDefinition<_orbitmq_v1_ListTopicStatsRequest, _orbitmq_v1_ListTopicStatsRequest__Output>
      ListTopicStatsResponse: MessageTypeDefinition<_orbitmq_v1_ListTopicStatsResponse, _orbitmq_v1_ListTopicStatsResponse__Output>
      MessageType: EnumTypeDefinition
      PendingTransaction: MessageTypeDefinition<_orbitmq_v1_PendingTransaction, _orbitmq_v1_PendingTransaction__Output>
      QueryMessagesRequest: MessageTypeDefinition<_orbitmq_v1_QueryMessagesRequest, _orbitmq_v1_QueryMessagesRequest__Output>
      QueryMessagesResponse: MessageTypeDefinition<_orbitmq_v1_QueryMessagesResponse, _orbitmq_v1_QueryMessagesResponse__Output>
      QueueOffset: MessageTypeDefinition<_orbitmq_v1_QueueOffset, _orbitmq_v1_QueueOffset__Output>
      QueueProgress: MessageTypeDefinition<_orbitmq_v1_QueueProgress, _orbitmq_v1_QueueProgress__Output>
      QueueStatus: MessageTypeDefinition<_orbitmq_v1_QueueStatus, _orbitmq_v1_QueueStatus__Output>
      ResendMessagesRequest: MessageTypeDefinition<_orbitmq_v1_ResendMessagesRequest, _orbitmq_v1_ResendMessagesRequest__Output>
      ResendMessagesResponse: MessageTypeDefinition<_orbitmq_v1_ResendMessagesResponse, _orbitmq_v1_ResendMessagesResponse__Output>
      ResendResult: MessageTypeDefinition<_orbitmq_v1_ResendResult, _orbitmq_v1_ResendResult__Output>
      ResetOffsetByTimeRequest: MessageTypeDefinition<_orbitmq_v1_ResetOffsetByTimeRequest, _orbitmq_v1_ResetOffsetByTimeRequest__Output>
      ResetOffsetByTimeResponse: MessageTypeDefinition<_orbitmq_v1_ResetOffsetByTimeResponse, _orbitmq_v1_ResetOffsetByTimeResponse__Output>
      ScheduleBucket: MessageTypeDefinition<_orbitmq_v1_ScheduleBucket, _orbitmq_v1_ScheduleBucket__Output>
      SubscriptionGroup: MessageTypeDefinition<_orbitmq_v1_SubscriptionGroup, _orbitmq_v1_SubscriptionGroup__Output>
      TopicConfig: MessageTypeDefinition<_orbitmq_v1_TopicConfig, _orbitmq_v1_TopicConfig__Output>
      TopicLag: MessageTypeDefinition<_orbitmq_v1_TopicLag, _orbitmq_v1_TopicLag__Output>
      TopicStats: MessageTypeDefinition<_orbitmq_v1_TopicStats, _orbitmq_v1_TopicStats__Output>
      UpdateBrokerConfigRequest: MessageTypeDefinition<_orbitmq_v1_UpdateBrokerConfigRequest, _orbitmq_v1_UpdateBrokerConfigRequest__Output>
      UpdateBrokerConfigResponse: MessageTypeDefinition<_orbitmq_v1_UpdateBrokerConfigResponse, _orbitmq_v1_UpdateBrokerConfigResponse__Output>
      UpdateSubscriptionGroupRequest: MessageTypeDefinition<_orbitmq_v1_UpdateSubscriptionGroupRequest, _orbitmq_v1_UpdateSubscriptionGroupRequest__Output>
      UpdateSubscriptionGroupResponse: MessageTypeDefinition<_orbitmq_v1_UpdateSubscriptionGroupResponse, _orbitmq_v1_UpdateSubscriptionGroupResponse__Output>
      UpdateTopicRequest: MessageTypeDefinition<_orbitmq_v1_UpdateTopicRequest, _orbitmq_v1_UpdateTopicRequest__Output>
      UpdateTopicResponse: MessageTypeDefinition<_orbitmq_v1_UpdateTopicResponse, _orbitmq_v1_UpdateTopicResponse__Output>
    }
  }
}

