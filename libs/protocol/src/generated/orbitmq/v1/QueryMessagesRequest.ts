// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface QueryMessagesRequest {
  'messageId'?: (string);
  'topic'?: (string);
  'key'?: (string);
  'beginTimestampMs'?: (number | string | Long);
  'endTimestampMs'?: (number | string | Long);
  'maxResults'?: (number);
}

export interface QueryMessagesRequest__Output {
  'messageId': (string);
  'topic': (string);
  'key': (string);
  'beginTimestampMs': (string);
  'endTimestampMs': (string);
  'maxResults': (number);
}
