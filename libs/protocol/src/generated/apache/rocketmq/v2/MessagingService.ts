// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AckMessageRequest as _apache_rocketmq_v2_AckMessageRequest, AckMessageRequest__Output as _apache_rocketmq_v2_AckMessageRequest__Output } from '../../../apache/rocketmq/v2/AckMessageRequest';
import type { AckMessageResponse as _apache_rocketmq_v2_AckMessageResponse, AckMessageResponse__Output as _apache_rocketmq_v2_AckMessageResponse__Output } from '../../../apache/rocketmq/v2/AckMessageResponse';
import type { ChangeInvisibleDurationRequest as _apache_rocketmq_v2_ChangeInvisibleDurationRequest, ChangeInvisibleDurationRequest__Output as _apache_rocketmq_v2_ChangeInvisibleDurationRequest__Output } from '../../../apache/rocketmq/v2/ChangeInvisibleDurationRequest';
import type { ChangeInvisibleDurationResponse as _apache_rocketmq_v2_ChangeInvisibleDurationResponse, ChangeInvisibleDurationResponse__Output as _apache_rocketmq_v2_ChangeInvisibleDurationResponse__Output } from '../../../apache/rocketmq/v2/ChangeInvisibleDurationResponse';
import type { EndTransactionRequest as _apache_rocketmq_v2_EndTransactionRequest, EndTransactionRequest__Output as _apache_rocketmq_v2_EndTransactionRequest__Output } from '../../../apache/rocketmq/v2/EndTransactionRequest';
import type { EndTransactionResponse as _apache_rocketmq_v2_EndTransactionResponse, EndTransactionResponse__Output as _apache_rocketmq_v2_EndTransactionResponse__Output } from '../../../apache/rocketmq/v2/EndTransactionResponse';
import type { ForwardMessageToDeadLetterQueueRequest as _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueRequest, ForwardMessageToDeadLetterQueueRequest__Output as _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueRequest__Output } from '../../../apache/rocketmq/v2/ForwardMessageToDeadLetterQueueRequest';
import type { ForwardMessageToDeadLetterQueueResponse as _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueResponse, ForwardMessageToDeadLetterQueueResponse__Output as _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueResponse__Output } from '../../../apache/rocketmq/v2/ForwardMessageToDeadLetterQueueResponse';
import type { GetOffsetRequest as _apache_rocketmq_v2_GetOffsetRequest, GetOffsetRequest__Output as _apache_rocketmq_v2_GetOffsetRequest__Output } from '../../../apache/rocketmq/v2/GetOffsetRequest';
import type { GetOffsetResponse as _apache_rocketmq_v2_GetOffsetResponse, GetOffsetResponse__Output as _apache_rocketmq_v2_GetOffsetResponse__Output } from '../../../apache/rocketmq/v2/GetOffsetResponse';
import type { HeartbeatRequest as _apache_rocketmq_v2_HeartbeatRequest, HeartbeatRequest__Output as _apache_rocketmq_v2_HeartbeatRequest__Output } from '../../../apache/rocketmq/v2/HeartbeatRequest';
import type { HeartbeatResponse as _apache_rocketmq_v2_HeartbeatResponse, HeartbeatResponse__Output as _apache_rocketmq_v2_HeartbeatResponse__Output } from '../../../apache/rocketmq/v2/HeartbeatResponse';
import type { NotifyClientTerminationRequest as _apache_rocketmq_v2_NotifyClientTerminationRequest, NotifyClientTerminationRequest__Output as _apache_rocketmq_v2_NotifyClientTerminationRequest__Output } from '../../../apache/rocketmq/v2/NotifyClientTerminationRequest';
import type { NotifyClientTerminationResponse as _apache_rocketmq_v2_NotifyClientTerminationResponse, NotifyClientTerminationResponse__Output as _apache_rocketmq_v2_NotifyClientTerminationResponse__Output } from '../../../apache/rocketmq/v2/NotifyClientTerminationResponse';
import type { PullMessageRequest as _apache_rocketmq_v2_PullMessageRequest, PullMessageRequest__Output as _apache_rocketmq_v2_PullMessageRequest__Output } from '../../../apache/rocketmq/v2/PullMessageRequest';
import type { PullMessageResponse as _apache_rocketmq_v2_PullMessageResponse, PullMessageResponse__Output as _apache_rocketmq_v2_PullMessageResponse__Output } from '../../../apache/rocketmq/v2/PullMessageResponse';
import type { QueryAssignmentRequest as _apache_rocketmq_v2_QueryAssignmentRequest, QueryAssignmentRequest__Output as _apache_rocketmq_v2_QueryAssignmentRequest__Output } from '../../../apache/rocketmq/v2/QueryAssignmentRequest';
import type { QueryAssignmentResponse as _apache_rocketmq_v2_QueryAssignmentResponse, QueryAssignmentResponse__Output as _apache_rocketmq_v2_QueryAssignmentResponse__Output } from '../../../apache/rocketmq/v2/QueryAssignmentResponse';
import type { QueryOffsetRequest as _apache_rocketmq_v2_QueryOffsetRequest, QueryOffsetRequest__Output as _apache_rocketmq_v2_QueryOffsetRequest__Output } from '../../../apache/rocketmq/v2/QueryOffsetRequest';
import type { QueryOffsetResponse as _apache_rocketmq_v2_QueryOffsetResponse, QueryOffsetResponse__Output as _apache_rocketmq_v2_QueryOffsetResponse__Output } from '../../../apache/rocketmq/v2/QueryOffsetResponse';
import type { QueryRouteRequest as _apache_rocketmq_v2_QueryRouteRequest, QueryRouteRequest__Output as _apache_rocketmq_v2_QueryRouteRequest__Output } from '../../../apache/rocketmq/v2/QueryRouteRequest';
import type { QueryRouteResponse as _apache_rocketmq_v2_QueryRouteResponse, QueryRouteResponse__Output as _apache_rocketmq_v2_QueryRouteResponse__Output } from '../../../apache/rocketmq/v2/QueryRouteResponse';
import type { RecallMessageRequest as _apache_rocketmq_v2_RecallMessageRequest, RecallMessageRequest__Output as _apache_rocketmq_v2_RecallMessageRequest__Output } from '../../../apache/rocketmq/v2/RecallMessageRequest';
import type { RecallMessageResponse as _apache_rocketmq_v2_RecallMessageResponse, RecallMessageResponse__Output as _apache_rocketmq_v2_RecallMessageResponse__Output } from '../../../apache/rocketmq/v2/RecallMessageResponse';
import type { ReceiveMessageRequest as _apache_rocketmq_v2_ReceiveMessageRequest, ReceiveMessageRequest__Output as _apache_rocketmq_v2_ReceiveMessageRequest__Output } from '../../../apache/rocketmq/v2/ReceiveMessageRequest';
import type { ReceiveMessageResponse as _apache_rocketmq_v2_ReceiveMessageResponse, ReceiveMessageResponse__Output as _apache_rocketmq_v2_ReceiveMessageResponse__Output } from '../../../apache/rocketmq/v2/ReceiveMessageResponse';
import type { SendMessageRequest as _apache_rocketmq_v2_SendMessageRequest, SendMessageRequest__Output as _apache_rocketmq_v2_SendMessageRequest__Output } from '../../../apache/rocketmq/v2/SendMessageRequest';
import type { SendMessageResponse as _apache_rocketmq_v2_SendMessageResponse, SendMessageResponse__Output as _apache_rocketmq_v2_SendMessageResponse__Output } from '../../../apache/rocketmq/v2/SendMessageResponse';
import type { SyncLiteSubscriptionRequest as _apache_rocketmq_v2_SyncLiteSubscriptionRequest, SyncLiteSubscriptionRequest__Output as _apache_rocketmq_v2_SyncLiteSubscriptionRequest__Output } from '../../../apache/rocketmq/v2/SyncLiteSubscriptionRequest';
import type { SyncLiteSubscriptionResponse as _apache_rocketmq_v2_SyncLiteSubscriptionResponse, SyncLiteSubscriptionResponse__Output as _apache_rocketmq_v2_SyncLiteSubscriptionResponse__Output } from '../../../apache/rocketmq/v2/SyncLiteSubscriptionResponse';
import type { TelemetryCommand as _apache_rocketmq_v2_TelemetryCommand, TelemetryCommand__Output as _apache_rocketmq_v2_TelemetryCommand__Output } from '../../../apache/rocketmq/v2/TelemetryCommand';
import type { UpdateOffsetRequest as _apache_rocketmq_v2_UpdateOffsetRequest, UpdateOffsetRequest__Output as _apache_rocketmq_v2_UpdateOffsetRequest__Output } from '../../../apache/rocketmq/v2/UpdateOffsetRequest';
import type { UpdateOffsetResponse as _apache_rocketmq_v2_UpdateOffsetResponse, UpdateOffsetResponse__Output as _apache_rocketmq_v2_UpdateOffsetResponse__Output } from '../../../apache/rocketmq/v2/UpdateOffsetResponse';

export interface MessagingServiceClient extends grpc.Client {
  AckMessage(argument: _apache_rocketmq_v2_AckMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_AckMessageResponse__Output>): grpc.ClientUnaryCall;
  AckMessage(argument: _apache_rocketmq_v2_AckMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_AckMessageResponse__Output>): grpc.ClientUnaryCall;
  AckMessage(argument: _apache_rocketmq_v2_AckMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_AckMessageResponse__Output>): grpc.ClientUnaryCall;
  AckMessage(argument: _apache_rocketmq_v2_AckMessageRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_AckMessageResponse__Output>): grpc.ClientUnaryCall;
  ackMessage(argument: _apache_rocketmq_v2_AckMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_AckMessageResponse__Output>): grpc.ClientUnaryCall;
  ackMessage(argument: _apache_rocketmq_v2_AckMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_AckMessageResponse__Output>): grpc.ClientUnaryCall;
  ackMessage(argument: _apache_rocketmq_v2_AckMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_AckMessageResponse__Output>): grpc.ClientUnaryCall;
  ackMessage(argument: _apache_rocketmq_v2_AckMessageRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_AckMessageResponse__Output>): grpc.ClientUnaryCall;
  
  ChangeInvisibleDuration(argument: _apache_rocketmq_v2_ChangeInvisibleDurationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_ChangeInvisibleDurationResponse__Output>): grpc.ClientUnaryCall;
  ChangeInvisibleDuration(argument: _apache_rocketmq_v2_ChangeInvisibleDurationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_ChangeInvisibleDurationResponse__Output>): grpc.ClientUnaryCall;
  ChangeInvisibleDuration(argument: _apache_rocketmq_v2_ChangeInvisibleDurationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_ChangeInvisibleDurationResponse__Output>): grpc.ClientUnaryCall;
  ChangeInvisibleDuration(argument: _apache_rocketmq_v2_ChangeInvisibleDurationRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_ChangeInvisibleDurationResponse__Output>): grpc.ClientUnaryCall;
  changeInvisibleDuration(argument: _apache_rocketmq_v2_ChangeInvisibleDurationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_ChangeInvisibleDurationResponse__Output>): grpc.ClientUnaryCall;
  changeInvisibleDuration(argument: _apache_rocketmq_v2_ChangeInvisibleDurationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_ChangeInvisibleDurationResponse__Output>): grpc.ClientUnaryCall;
  changeInvisibleDuration(argument: _apache_rocketmq_v2_ChangeInvisibleDurationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_ChangeInvisibleDurationResponse__Output>): grpc.ClientUnaryCall;
  changeInvisibleDuration(argument: _apache_rocketmq_v2_ChangeInvisibleDurationRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_ChangeInvisibleDurationResponse__Output>): grpc.ClientUnaryCall;
  
  EndTransaction(argument: _apache_rocketmq_v2_EndTransactionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_EndTransactionResponse__Output>): grpc.ClientUnaryCall;
  EndTransaction(argument: _apache_rocketmq_v2_EndTransactionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_EndTransactionResponse__Output>): grpc.ClientUnaryCall;
  EndTransaction(argument: _apache_rocketmq_v2_EndTransactionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_EndTransactionResponse__Output>): grpc.ClientUnaryCall;
  EndTransaction(argument: _apache_rocketmq_v2_EndTransactionRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_EndTransactionResponse__Output>): grpc.ClientUnaryCall;
  endTransaction(argument: _apache_rocketmq_v2_EndTransactionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_EndTransactionResponse__Output>): grpc.ClientUnaryCall;
  endTransaction(argument: _apache_rocketmq_v2_EndTransactionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_EndTransactionResponse__Output>): grpc.ClientUnaryCall;
  endTransaction(argument: _apache_rocketmq_v2_EndTransactionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_EndTransactionResponse__Output>): grpc.ClientUnaryCall;
  endTransaction(argument: _apache_rocketmq_v2_EndTransactionRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_EndTransactionResponse__Output>): grpc.ClientUnaryCall;
  
  ForwardMessageToDeadLetterQueue(argument: _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_ForwardMessageToDeadLetterQueueResponse__Output>): grpc.ClientUnaryCall;
  ForwardMessageToDeadLetterQueue(argument: _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_ForwardMessageToDeadLetterQueueResponse__Output>): grpc.ClientUnaryCall;
  ForwardMessageToDeadLetterQueue(argument: _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_ForwardMessageToDeadLetterQueueResponse__Output>): grpc.ClientUnaryCall;
  ForwardMessageToDeadLetterQueue(argument: _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_ForwardMessageToDeadLetterQueueResponse__Output>): grpc.ClientUnaryCall;
  forwardMessageToDeadLetterQueue(argument: _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_ForwardMessageToDeadLetterQueueResponse__Output>): grpc.ClientUnaryCall;
  forwardMessageToDeadLetterQueue(argument: _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_ForwardMessageToDeadLetterQueueResponse__Output>): grpc.ClientUnaryCall;
  forwardMessageToDeadLetterQueue(argument: _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_ForwardMessageToDeadLetterQueueResponse__Output>): grpc.ClientUnaryCall;
  forwardMessageToDeadLetterQueue(argument: _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_ForwardMessageToDeadLetterQueueResponse__Output>): grpc.ClientUnaryCall;
  
  GetOffset(argument: _apache_rocketmq_v2_GetOffsetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  GetOffset(argument: _apache_rocketmq_v2_GetOffsetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  GetOffset(argument: _apache_rocketmq_v2_GetOffsetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  GetOffset(argument: _apache_rocketmq_v2_GetOffsetRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  getOffset(argument: _apache_rocketmq_v2_GetOffsetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  getOffset(argument: _apache_rocketmq_v2_GetOffsetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  getOffset(argument: _apache_rocketmq_v2_GetOffsetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  getOffset(argument: _apache_rocketmq_v2_GetOffsetRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_GetOffsetResponse__Output>): grpc.ClientUnaryCall;
  
  Heartbeat(argument: _apache_rocketmq_v2_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _apache_rocketmq_v2_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _apache_rocketmq_v2_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _apache_rocketmq_v2_HeartbeatRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _apache_rocketmq_v2_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _apache_rocketmq_v2_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _apache_rocketmq_v2_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _apache_rocketmq_v2_HeartbeatRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  
  NotifyClientTermination(argument: _apache_rocketmq_v2_NotifyClientTerminationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_NotifyClientTerminationResponse__Output>): grpc.ClientUnaryCall;
  NotifyClientTermination(argument: _apache_rocketmq_v2_NotifyClientTerminationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_NotifyClientTerminationResponse__Output>): grpc.ClientUnaryCall;
  NotifyClientTermination(argument: _apache_rocketmq_v2_NotifyClientTerminationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_NotifyClientTerminationResponse__Output>): grpc.ClientUnaryCall;
  NotifyClientTermination(argument: _apache_rocketmq_v2_NotifyClientTerminationRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_NotifyClientTerminationResponse__Output>): grpc.ClientUnaryCall;
  notifyClientTermination(argument: _apache_rocketmq_v2_NotifyClientTerminationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_NotifyClientTerminationResponse__Output>): grpc.ClientUnaryCall;
  notifyClientTermination(argument: _apache_rocketmq_v2_NotifyClientTerminationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_NotifyClientTerminationResponse__Output>): grpc.ClientUnaryCall;
  notifyClientTermination(argument: _apache_rocketmq_v2_NotifyClientTerminationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_NotifyClientTerminationResponse__Output>): grpc.ClientUnaryCall;
  notifyClientTermination(argument: _apache_rocketmq_v2_NotifyClientTerminationRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_NotifyClientTerminationResponse__Output>): grpc.ClientUnaryCall;
  
  PullMessage(argument: _apache_rocketmq_v2_PullMessageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_apache_rocketmq_v2_PullMessageResponse__Output>;
  PullMessage(argument: _apache_rocketmq_v2_PullMessageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_apache_rocketmq_v2_PullMessageResponse__Output>;
  pullMessage(argument: _apache_rocketmq_v2_PullMessageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_apache_rocketmq_v2_PullMessageResponse__Output>;
  pullMessage(argument: _apache_rocketmq_v2_PullMessageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_apache_rocketmq_v2_PullMessageResponse__Output>;
  
  QueryAssignment(argument: _apache_rocketmq_v2_QueryAssignmentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryAssignmentResponse__Output>): grpc.ClientUnaryCall;
  QueryAssignment(argument: _apache_rocketmq_v2_QueryAssignmentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryAssignmentResponse__Output>): grpc.ClientUnaryCall;
  QueryAssignment(argument: _apache_rocketmq_v2_QueryAssignmentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryAssignmentResponse__Output>): grpc.ClientUnaryCall;
  QueryAssignment(argument: _apache_rocketmq_v2_QueryAssignmentRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryAssignmentResponse__Output>): grpc.ClientUnaryCall;
  queryAssignment(argument: _apache_rocketmq_v2_QueryAssignmentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryAssignmentResponse__Output>): grpc.ClientUnaryCall;
  queryAssignment(argument: _apache_rocketmq_v2_QueryAssignmentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryAssignmentResponse__Output>): grpc.ClientUnaryCall;
  queryAssignment(argument: _apache_rocketmq_v2_QueryAssignmentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryAssignmentResponse__Output>): grpc.ClientUnaryCall;
  queryAssignment(argument: _apache_rocketmq_v2_QueryAssignmentRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryAssignmentResponse__Output>): grpc.ClientUnaryCall;
  
  QueryOffset(argument: _apache_rocketmq_v2_QueryOffsetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryOffsetResponse__Output>): grpc.ClientUnaryCall;
  QueryOffset(argument: _apache_rocketmq_v2_QueryOffsetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryOffsetResponse__Output>): grpc.ClientUnaryCall;
  QueryOffset(argument: _apache_rocketmq_v2_QueryOffsetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryOffsetResponse__Output>): grpc.ClientUnaryCall;
  QueryOffset(argument: _apache_rocketmq_v2_QueryOffsetRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryOffsetResponse__Output>): grpc.ClientUnaryCall;
  queryOffset(argument: _apache_rocketmq_v2_QueryOffsetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryOffsetResponse__Output>): grpc.ClientUnaryCall;
  queryOffset(argument: _apache_rocketmq_v2_QueryOffsetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryOffsetResponse__Output>): grpc.ClientUnaryCall;
  queryOffset(argument: _apache_rocketmq_v2_QueryOffsetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryOffsetResponse__Output>): grpc.ClientUnaryCall;
  queryOffset(argument: _apache_rocketmq_v2_QueryOffsetRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryOffsetResponse__Output>): grpc.ClientUnaryCall;
  
  QueryRoute(argument: _apache_rocketmq_v2_QueryRouteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryRouteResponse__Output>): grpc.ClientUnaryCall;
  QueryRoute(argument: _apache_rocketmq_v2_QueryRouteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryRouteResponse__Output>): grpc.ClientUnaryCall;
  QueryRoute(argument: _apache_rocketmq_v2_QueryRouteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryRouteResponse__Output>): grpc.ClientUnaryCall;
  QueryRoute(argument: _apache_rocketmq_v2_QueryRouteRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryRouteResponse__Output>): grpc.ClientUnaryCall;
  queryRoute(argument: _apache_rocketmq_v2_QueryRouteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryRouteResponse__Output>): grpc.ClientUnaryCall;
  queryRoute(argument: _apache_rocketmq_v2_QueryRouteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryRouteResponse__Output>): grpc.ClientUnaryCall;
  queryRoute(argument: _apache_rocketmq_v2_QueryRouteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryRouteResponse__Output>): grpc.ClientUnaryCall;
  queryRoute(argument: _apache_rocketmq_v2_QueryRouteRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_QueryRouteResponse__Output>): grpc.ClientUnaryCall;
  
  RecallMessage(argument: _apache_rocketmq_v2_RecallMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_RecallMessageResponse__Output>): grpc.ClientUnaryCall;
  RecallMessage(argument: _apache_rocketmq_v2_RecallMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_RecallMessageResponse__Output>): grpc.ClientUnaryCall;
  RecallMessage(argument: _apache_rocketmq_v2_RecallMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_RecallMessageResponse__Output>): grpc.ClientUnaryCall;
  RecallMessage(argument: _apache_rocketmq_v2_RecallMessageRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_RecallMessageResponse__Output>): grpc.ClientUnaryCall;
  recallMessage(argument: _apache_rocketmq_v2_RecallMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_RecallMessageResponse__Output>): grpc.ClientUnaryCall;
  recallMessage(argument: _apache_rocketmq_v2_RecallMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_RecallMessageResponse__Output>): grpc.ClientUnaryCall;
  recallMessage(argument: _apache_rocketmq_v2_RecallMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_RecallMessageResponse__Output>): grpc.ClientUnaryCall;
  recallMessage(argument: _apache_rocketmq_v2_RecallMessageRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_RecallMessageResponse__Output>): grpc.ClientUnaryCall;
  
  ReceiveMessage(argument: _apache_rocketmq_v2_ReceiveMessageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_apache_rocketmq_v2_ReceiveMessageResponse__Output>;
  ReceiveMessage(argument: _apache_rocketmq_v2_ReceiveMessageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_apache_rocketmq_v2_ReceiveMessageResponse__Output>;
  receiveMessage(argument: _apache_rocketmq_v2_ReceiveMessageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_apache_rocketmq_v2_ReceiveMessageResponse__Output>;
  receiveMessage(argument: _apache_rocketmq_v2_ReceiveMessageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_apache_rocketmq_v2_ReceiveMessageResponse__Output>;
  
  SendMessage(argument: _apache_rocketmq_v2_SendMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  SendMessage(argument: _apache_rocketmq_v2_SendMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  SendMessage(argument: _apache_rocketmq_v2_SendMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  SendMessage(argument: _apache_rocketmq_v2_SendMessageRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  sendMessage(argument: _apache_rocketmq_v2_SendMessageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  sendMessage(argument: _apache_rocketmq_v2_SendMessageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  sendMessage(argument: _apache_rocketmq_v2_SendMessageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  sendMessage(argument: _apache_rocketmq_v2_SendMessageRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_SendMessageResponse__Output>): grpc.ClientUnaryCall;
  
  SyncLiteSubscription(argument: _apache_rocketmq_v2_SyncLiteSubscriptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_SyncLiteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  SyncLiteSubscription(argument: _apache_rocketmq_v2_SyncLiteSubscriptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_SyncLiteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  SyncLiteSubscription(argument: _apache_rocketmq_v2_SyncLiteSubscriptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_SyncLiteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  SyncLiteSubscription(argument: _apache_rocketmq_v2_SyncLiteSubscriptionRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_SyncLiteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  syncLiteSubscription(argument: _apache_rocketmq_v2_SyncLiteSubscriptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_SyncLiteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  syncLiteSubscription(argument: _apache_rocketmq_v2_SyncLiteSubscriptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_SyncLiteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  syncLiteSubscription(argument: _apache_rocketmq_v2_SyncLiteSubscriptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_SyncLiteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  syncLiteSubscription(argument: _apache_rocketmq_v2_SyncLiteSubscriptionRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_SyncLiteSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  
  Telemetry(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_apache_rocketmq_v2_TelemetryCommand, _apache_rocketmq_v2_TelemetryCommand__Output>;
  Telemetry(options?: grpc.CallOptions): grpc.ClientDuplexStream<_apache_rocketmq_v2_TelemetryCommand, _apache_rocketmq_v2_TelemetryCommand__Output>;
  telemetry(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_apache_rocketmq_v2_TelemetryCommand, _apache_rocketmq_v2_TelemetryCommand__Output>;
  telemetry(options?: grpc.CallOptions): grpc.ClientDuplexStream<_apache_rocketmq_v2_TelemetryCommand, _apache_rocketmq_v2_TelemetryCommand__Output>;
  
  UpdateOffset(argument: _apache_rocketmq_v2_UpdateOffsetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_UpdateOffsetResponse__Output>): grpc.ClientUnaryCall;
  UpdateOffset(argument: _apache_rocketmq_v2_UpdateOffsetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_UpdateOffsetResponse__Output>): grpc.ClientUnaryCall;
  UpdateOffset(argument: _apache_rocketmq_v2_UpdateOffsetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_UpdateOffsetResponse__Output>): grpc.ClientUnaryCall;
  UpdateOffset(argument: _apache_rocketmq_v2_UpdateOffsetRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_UpdateOffsetResponse__Output>): grpc.ClientUnaryCall;
  updateOffset(argument: _apache_rocketmq_v2_UpdateOffsetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_UpdateOffsetResponse__Output>): grpc.ClientUnaryCall;
  updateOffset(argument: _apache_rocketmq_v2_UpdateOffsetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_apache_rocketmq_v2_UpdateOffsetResponse__Output>): grpc.ClientUnaryCall;
  updateOffset(argument: _apache_rocketmq_v2_UpdateOffsetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_apache_rocketmq_v2_UpdateOffsetResponse__Output>): grpc.ClientUnaryCall;
  updateOffset(argument: _apache_rocketmq_v2_UpdateOffsetRequest, callback: grpc.requestCallback<_apache_rocketmq_v2_UpdateOffsetResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface MessagingServiceHandlers extends grpc.UntypedServiceImplementation {
  AckMessage: grpc.handleUnaryCall<_apache_rocketmq_v2_AckMessageRequest__Output, _apache_rocketmq_v2_AckMessageResponse>;
  
  ChangeInvisibleDuration: grpc.handleUnaryCall<_apache_rocketmq_v2_ChangeInvisibleDurationRequest__Output, _apache_rocketmq_v2_ChangeInvisibleDurationResponse>;
  
  EndTransaction: grpc.handleUnaryCall<_apache_rocketmq_v2_EndTransactionRequest__Output, _apache_rocketmq_v2_EndTransactionResponse>;
  
  ForwardMessageToDeadLetterQueue: grpc.handleUnaryCall<_apache_rocketmq_v2_ForwardMessageToDeadLetterQueueRequest__Output, _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueResponse>;
  
  GetOffset: grpc.handleUnaryCall<_apache_rocketmq_v2_GetOffsetRequest__Output, _apache_rocketmq_v2_GetOffsetResponse>;
  
  Heartbeat: grpc.handleUnaryCall<_apache_rocketmq_v2_HeartbeatRequest__Output, _apache_rocketmq_v2_HeartbeatResponse>;
  
  NotifyClientTermination: grpc.handleUnaryCall<_apache_rocketmq_v2_NotifyClientTerminationRequest__Output, _apache_rocketmq_v2_NotifyClientTerminationResponse>;
  
  PullMessage: grpc.handleServerStreamingCall<_apache_rocketmq_v2_PullMessageRequest__Output, _apache_rocketmq_v2_PullMessageResponse>;
  
  QueryAssignment: grpc.handleUnaryCall<_apache_rocketmq_v2_QueryAssignmentRequest__Output, _apache_rocketmq_v2_QueryAssignmentResponse>;
  
  QueryOffset: grpc.handleUnaryCall<_apache_rocketmq_v2_QueryOffsetRequest__Output, _apache_rocketmq_v2_QueryOffsetResponse>;
  
  QueryRoute: grpc.handleUnaryCall<_apache_rocketmq_v2_QueryRouteRequest__Output, _apache_rocketmq_v2_QueryRouteResponse>;
  
  RecallMessage: grpc.handleUnaryCall<_apache_rocketmq_v2_RecallMessageRequest__Output, _apache_rocketmq_v2_RecallMessageResponse>;
  
  ReceiveMessage: grpc.handleServerStreamingCall<_apache_rocketmq_v2_ReceiveMessageRequest__Output, _apache_rocketmq_v2_ReceiveMessageResponse>;
  
  SendMessage: grpc.handleUnaryCall<_apache_rocketmq_v2_SendMessageRequest__Output, _apache_rocketmq_v2_SendMessageResponse>;
  
  SyncLiteSubscription: grpc.handleUnaryCall<_apache_rocketmq_v2_SyncLiteSubscriptionRequest__Output, _apache_rocketmq_v2_SyncLiteSubscriptionResponse>;
  
  Telemetry: grpc.handleBidiStreamingCall<_apache_rocketmq_v2_TelemetryCommand__Output, _apache_rocketmq_v2_TelemetryCommand>;
  
  UpdateOffset: grpc.handleUnaryCall<_apache_rocketmq_v2_UpdateOffsetRequest__Output, _apache_rocketmq_v2_UpdateOffsetResponse>;
  
}

export interface MessagingServiceDefinition extends grpc.ServiceDefinition {
  AckMessage: MethodDefinition<_apache_rocketmq_v2_AckMessageRequest, _apache_rocketmq_v2_AckMessageResponse, _apache_rocketmq_v2_AckMessageRequest__Output, _apache_rocketmq_v2_AckMessageResponse__Output>
  ChangeInvisibleDuration: MethodDefinition<_apache_rocketmq_v2_ChangeInvisibleDurationRequest, _apache_rocketmq_v2_ChangeInvisibleDurationResponse, _apache_rocketmq_v2_ChangeInvisibleDurationRequest__Output, _apache_rocketmq_v2_ChangeInvisibleDurationResponse__Output>
  EndTransaction: MethodDefinition<_apache_rocketmq_v2_EndTransactionRequest, _apache_rocketmq_v2_EndTransactionResponse, _apache_rocketmq_v2_EndTransactionRequest__Output, _apache_rocketmq_v2_EndTransactionResponse__Output>
  ForwardMessageToDeadLetterQueue: MethodDefinition<_apache_rocketmq_v2_ForwardMessageToDeadLetterQueueRequest, _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueResponse, _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueRequest__Output, _apache_rocketmq_v2_ForwardMessageToDeadLetterQueueResponse__Output>
  GetOffset: MethodDefinition<_apache_rocketmq_v2_GetOffsetRequest, _apache_rocketmq_v2_GetOffsetResponse, _apache_rocketmq_v2_GetOffsetRequest__Output, _apache_rocketmq_v2_GetOffsetResponse__Output>
  Heartbeat: MethodDefinition<_apache_rocketmq_v2_HeartbeatRequest, _apache_rocketmq_v2_HeartbeatResponse, _apache_rocketmq_v2_HeartbeatRequest__Output, _apache_rocketmq_v2_HeartbeatResponse__Output>
  NotifyClientTermination: MethodDefinition<_apache_rocketmq_v2_NotifyClientTerminationRequest, _apache_rocketmq_v2_NotifyClientTerminationResponse, _apache_rocketmq_v2_NotifyClientTerminationRequest__Output, _apache_rocketmq_v2_NotifyClientTerminationResponse__Output>
  PullMessage: MethodDefinition<_apache_rocketmq_v2_PullMessageRequest, _apache_rocketmq_v2_PullMessageResponse, _apache_rocketmq_v2_PullMessageRequest__Output, _apache_rocketmq_v2_PullMessageResponse__Output>
  QueryAssignment: MethodDefinition<_apache_rocketmq_v2_QueryAssignmentRequest, _apache_rocketmq_v2_QueryAssignmentResponse, _apache_rocketmq_v2_QueryAssignmentRequest__Output, _apache_rocketmq_v2_QueryAssignmentResponse__Output>
  QueryOffset: MethodDefinition<_apache_rocketmq_v2_QueryOffsetRequest, _apache_rocketmq_v2_QueryOffsetResponse, _apache_rocketmq_v2_QueryOffsetRequest__Output, _apache_rocketmq_v2_QueryOffsetResponse__Output>
  QueryRoute: MethodDefinition<_apache_rocketmq_v2_QueryRouteRequest, _apache_rocketmq_v2_QueryRouteResponse, _apache_rocketmq_v2_QueryRouteRequest__Output, _apache_rocketmq_v2_QueryRouteResponse__Output>
  RecallMessage: MethodDefinition<_apache_rocketmq_v2_RecallMessageRequest, _apache_rocketmq_v2_RecallMessageResponse, _apache_rocketmq_v2_RecallMessageRequest__Output, _apache_rocketmq_v2_RecallMessageResponse__Output>
  ReceiveMessage: MethodDefinition<_apache_rocketmq_v2_ReceiveMessageRequest, _apache_rocketmq_v2_ReceiveMessageResponse, _apache_rocketmq_v2_ReceiveMessageRequest__Output, _apache_rocketmq_v2_ReceiveMessageResponse__Output>
  SendMessage: MethodDefinition<_apache_rocketmq_v2_SendMessageRequest, _apache_rocketmq_v2_SendMessageResponse, _apache_rocketmq_v2_SendMessageRequest__Output, _apache_rocketmq_v2_SendMessageResponse__Output>
  SyncLiteSubscription: MethodDefinition<_apache_rocketmq_v2_SyncLiteSubscriptionRequest, _apache_rocketmq_v2_SyncLiteSubscriptionResponse, _apache_rocketmq_v2_SyncLiteSubscriptionRequest__Output, _apache_rocketmq_v2_SyncLiteSubscriptionResponse__Output>
  Telemetry: MethodDefinition<_apache_rocketmq_v2_TelemetryCommand, _apache_rocketmq_v2_TelemetryCommand, _apache_rocketmq_v2_TelemetryCommand__Output, _apache_rocketmq_v2_TelemetryCommand__Output>
  UpdateOffset: MethodDefinition<_apache_rocketmq_v2_UpdateOffsetRequest, _apache_rocketmq_v2_UpdateOffsetResponse, _apache_rocketmq_v2_UpdateOffsetRequest__Output, _apache_rocketmq_v2_UpdateOffsetResponse__Output>
}
