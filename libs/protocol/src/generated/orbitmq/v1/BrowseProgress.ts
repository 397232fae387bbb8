// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface BrowseProgress {
  'queueId'?: (number);
  'nextOffset'?: (string);
  'maxOffset'?: (string);
  'scanned'?: (number | string | Long);
  'matched'?: (number | string | Long);
  'queuesDone'?: (number);
  'queues'?: (number);
  'finished'?: (string);
}

export interface BrowseProgress__Output {
  'queueId': (number);
  'nextOffset': (string);
  'maxOffset': (string);
  'scanned': (string);
  'matched': (string);
  'queuesDone': (number);
  'queues': (number);
  'finished': (string);
}
