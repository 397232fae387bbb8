// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/service.proto

import type { Status as _apache_rocketmq_v2_Status, Status__Output as _apache_rocketmq_v2_Status__Output } from '../../../apache/rocketmq/v2/Status';
import type { Long } from '@grpc/proto-loader';

export interface SendResultEntry {
  'status'?: (_apache_rocketmq_v2_Status | null);
  'messageId'?: (string);
  'transactionId'?: (string);
  'offset'?: (number | string | Long);
  'recallHandle'?: (string);
}

export interface SendResultEntry__Output {
  'status': (_apache_rocketmq_v2_Status__Output | null);
  'messageId': (string);
  'transactionId': (string);
  'offset': (string);
  'recallHandle': (string);
}
