// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/service.proto

import type { Resource as _apache_rocketmq_v2_Resource, Resource__Output as _apache_rocketmq_v2_Resource__Output } from '../../../apache/rocketmq/v2/Resource';
import type { MessageQueue as _apache_rocketmq_v2_MessageQueue, MessageQueue__Output as _apache_rocketmq_v2_MessageQueue__Output } from '../../../apache/rocketmq/v2/MessageQueue';

export interface GetOffsetRequest {
  'group'?: (_apache_rocketmq_v2_Resource | null);
  'messageQueue'?: (_apache_rocketmq_v2_MessageQueue | null);
}

export interface GetOffsetRequest__Output {
  'group': (_apache_rocketmq_v2_Resource__Output | null);
  'messageQueue': (_apache_rocketmq_v2_MessageQueue__Output | null);
}
