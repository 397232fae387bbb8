// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/service.proto

import type { Message as _apache_rocketmq_v2_Message, Message__Output as _apache_rocketmq_v2_Message__Output } from '../../../apache/rocketmq/v2/Message';

export interface SendMessageRequest {
  'messages'?: (_apache_rocketmq_v2_Message)[];
}

export interface SendMessageRequest__Output {
  'messages': (_apache_rocketmq_v2_Message__Output)[];
}
