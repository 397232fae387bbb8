// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface GroupDelivery {
  'group'?: (string);
  'state'?: (string);
  'attempt'?: (number);
  'untilMs'?: (number | string | Long);
  'consumerOffset'?: (string);
  'copyTopic'?: (string);
  'copyQueueOffset'?: (string);
}

export interface GroupDelivery__Output {
  'group': (string);
  'state': (string);
  'attempt': (number);
  'untilMs': (string);
  'consumerOffset': (string);
  'copyTopic': (string);
  'copyQueueOffset': (string);
}
