// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface BrowseMessagesRequest {
  'topic'?: (string);
  'queueId'?: (number);
  'startOffset'?: (string);
  'beginTimestampMs'?: (number | string | Long);
  'endTimestampMs'?: (number | string | Long);
  'maxMessages'?: (number);
  'filterType'?: (string);
  'filterExpression'?: (string);
}

export interface BrowseMessagesRequest__Output {
  'topic': (string);
  'queueId': (number);
  'startOffset': (string);
  'beginTimestampMs': (string);
  'endTimestampMs': (string);
  'maxMessages': (number);
  'filterType': (string);
  'filterExpression': (string);
}
