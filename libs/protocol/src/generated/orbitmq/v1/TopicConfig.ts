// Original file: proto/orbitmq/v1/common.proto

import type { MessageType as _orbitmq_v1_MessageType, MessageType__Output as _orbitmq_v1_MessageType__Output } from '../../orbitmq/v1/MessageType';

export interface TopicConfig {
  'topicName'?: (string);
  'readQueueNums'?: (number);
  'writeQueueNums'?: (number);
  'perm'?: (number);
  'messageType'?: (_orbitmq_v1_MessageType);
}

export interface TopicConfig__Output {
  'topicName': (string);
  'readQueueNums': (number);
  'writeQueueNums': (number);
  'perm': (number);
  'messageType': (_orbitmq_v1_MessageType__Output);
}
