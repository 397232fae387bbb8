// Original file: proto/orbitmq/v1/broker_admin.proto

import type { QueueProgress as _orbitmq_v1_QueueProgress, QueueProgress__Output as _orbitmq_v1_QueueProgress__Output } from '../../orbitmq/v1/QueueProgress';

export interface GetConsumerProgressResponse {
  'queues'?: (_orbitmq_v1_QueueProgress)[];
  'totalLag'?: (string);
}

export interface GetConsumerProgressResponse__Output {
  'queues': (_orbitmq_v1_QueueProgress__Output)[];
  'totalLag': (string);
}
