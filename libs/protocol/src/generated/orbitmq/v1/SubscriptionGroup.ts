// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface SubscriptionGroup {
  'groupName'?: (string);
  'consumeEnable'?: (boolean);
  'maxDeliveryAttempts'?: (number);
  'ordering'?: (string);
  'consumeFromWhere'?: (string);
  'consumeTimestampMs'?: (number | string | Long);
  'retryBackoffMs'?: (number | string | Long)[];
}

export interface SubscriptionGroup__Output {
  'groupName': (string);
  'consumeEnable': (boolean);
  'maxDeliveryAttempts': (number);
  'ordering': (string);
  'consumeFromWhere': (string);
  'consumeTimestampMs': (string);
  'retryBackoffMs': (string)[];
}
