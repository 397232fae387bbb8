// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface Connection {
  'clientId'?: (string);
  'clientType'?: (string);
  'language'?: (string);
  'version'?: (string);
  'remoteAddress'?: (string);
  'groups'?: (string)[];
  'topics'?: (string)[];
  'lastSeenMs'?: (number | string | Long);
}

export interface Connection__Output {
  'clientId': (string);
  'clientType': (string);
  'language': (string);
  'version': (string);
  'remoteAddress': (string);
  'groups': (string)[];
  'topics': (string)[];
  'lastSeenMs': (string);
}
