// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface TopicLag {
  'topic'?: (string);
  'lag'?: (number | string | Long);
}

export interface TopicLag__Output {
  'topic': (string);
  'lag': (string);
}
