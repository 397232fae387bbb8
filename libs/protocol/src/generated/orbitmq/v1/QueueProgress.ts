// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface QueueProgress {
  'topic'?: (string);
  'queueId'?: (number);
  'brokerOffset'?: (string);
  'consumerOffset'?: (string);
  'inflight'?: (number | string | Long);
  'lag'?: (string);
  'nextStoreTimestampMs'?: (number | string | Long);
}

export interface QueueProgress__Output {
  'topic': (string);
  'queueId': (number);
  'brokerOffset': (string);
  'consumerOffset': (string);
  'inflight': (string);
  'lag': (string);
  'nextStoreTimestampMs': (string);
}
