// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface ScheduleBucket {
  'label'?: (string);
  'count'?: (number | string | Long);
}

export interface ScheduleBucket__Output {
  'label': (string);
  'count': (string);
}
