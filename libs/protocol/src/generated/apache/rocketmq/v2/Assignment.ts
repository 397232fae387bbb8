// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition.proto

import type { MessageQueue as _apache_rocketmq_v2_MessageQueue, MessageQueue__Output as _apache_rocketmq_v2_MessageQueue__Output } from '../../../apache/rocketmq/v2/MessageQueue';

export interface Assignment {
  'messageQueue'?: (_apache_rocketmq_v2_MessageQueue | null);
}

export interface Assignment__Output {
  'messageQueue': (_apache_rocketmq_v2_MessageQueue__Output | null);
}
