// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/service.proto

import type { Status as _apache_rocketmq_v2_Status, Status__Output as _apache_rocketmq_v2_Status__Output } from '../../../apache/rocketmq/v2/Status';
import type { MessageQueue as _apache_rocketmq_v2_MessageQueue, MessageQueue__Output as _apache_rocketmq_v2_MessageQueue__Output } from '../../../apache/rocketmq/v2/MessageQueue';

export interface QueryRouteResponse {
  'status'?: (_apache_rocketmq_v2_Status | null);
  'messageQueues'?: (_apache_rocketmq_v2_MessageQueue)[];
}

export interface QueryRouteResponse__Output {
  'status': (_apache_rocketmq_v2_Status__Output | null);
  'messageQueues': (_apache_rocketmq_v2_MessageQueue__Output)[];
}
