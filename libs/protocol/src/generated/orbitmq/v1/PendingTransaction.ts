// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface PendingTransaction {
  'topic'?: (string);
  'messageId'?: (string);
  'transactionId'?: (string);
  'producerClientId'?: (string);
  'storeTimestampMs'?: (number | string | Long);
}

export interface PendingTransaction__Output {
  'topic': (string);
  'messageId': (string);
  'transactionId': (string);
  'producerClientId': (string);
  'storeTimestampMs': (string);
}
