// Original file: proto/orbitmq/v1/namesrv.proto

import type { MessageType as _orbitmq_v1_MessageType, MessageType__Output as _orbitmq_v1_MessageType__Output } from '../../orbitmq/v1/MessageType';

export interface QueueData {
  'brokerName'?: (string);
  'readQueueNums'?: (number);
  'writeQueueNums'?: (number);
  'perm'?: (number);
  'messageType'?: (_orbitmq_v1_MessageType);
}

export interface QueueData__Output {
  'brokerName': (string);
  'readQueueNums': (number);
  'writeQueueNums': (number);
  'perm': (number);
  'messageType': (_orbitmq_v1_MessageType__Output);
}
