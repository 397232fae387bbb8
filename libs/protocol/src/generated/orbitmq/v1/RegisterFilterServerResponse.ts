// Original file: proto/orbitmq/v1/filter.proto

import type { Long } from '@grpc/proto-loader';

export interface RegisterFilterServerResponse {
  'brokerName'?: (string);
  'brokerId'?: (number);
  'expiresAfterMs'?: (number | string | Long);
}

export interface RegisterFilterServerResponse__Output {
  'brokerName': (string);
  'brokerId': (number);
  'expiresAfterMs': (string);
}
