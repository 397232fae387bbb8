// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/service.proto

import type { Resource as _apache_rocketmq_v2_Resource, Resource__Output as _apache_rocketmq_v2_Resource__Output } from '../../../apache/rocketmq/v2/Resource';
import type { ClientType as _apache_rocketmq_v2_ClientType, ClientType__Output as _apache_rocketmq_v2_ClientType__Output } from '../../../apache/rocketmq/v2/ClientType';

export interface HeartbeatRequest {
  'group'?: (_apache_rocketmq_v2_Resource | null);
  'clientType'?: (_apache_rocketmq_v2_ClientType);
  '_group'?: "group";
}

export interface HeartbeatRequest__Output {
  'group'?: (_apache_rocketmq_v2_Resource__Output | null);
  'clientType': (_apache_rocketmq_v2_ClientType__Output);
  '_group'?: "group";
}
