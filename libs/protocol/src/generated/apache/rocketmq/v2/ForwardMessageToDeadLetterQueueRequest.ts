// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/service.proto

import type { Resource as _apache_rocketmq_v2_Resource, Resource__Output as _apache_rocketmq_v2_Resource__Output } from '../../../apache/rocketmq/v2/Resource';

export interface ForwardMessageToDeadLetterQueueRequest {
  'group'?: (_apache_rocketmq_v2_Resource | null);
  'topic'?: (_apache_rocketmq_v2_Resource | null);
  'receiptHandle'?: (string);
  'messageId'?: (string);
  'deliveryAttempt'?: (number);
  'maxDeliveryAttempts'?: (number);
  'liteTopic'?: (string);
  '_liteTopic'?: "liteTopic";
}

export interface ForwardMessageToDeadLetterQueueRequest__Output {
  'group': (_apache_rocketmq_v2_Resource__Output | null);
  'topic': (_apache_rocketmq_v2_Resource__Output | null);
  'receiptHandle': (string);
  'messageId': (string);
  'deliveryAttempt': (number);
  'maxDeliveryAttempts': (number);
  'liteTopic'?: (string);
  '_liteTopic'?: "liteTopic";
}
