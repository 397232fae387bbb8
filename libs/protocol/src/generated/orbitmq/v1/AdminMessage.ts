// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Long } from '@grpc/proto-loader';

export interface AdminMessage {
  'topic'?: (string);
  'queueId'?: (number);
  'queueOffset'?: (string);
  'commitLogOffset'?: (string);
  'messageId'?: (string);
  'tag'?: (string);
  'keys'?: (string)[];
  'properties'?: ({[key: string]: string});
  'bornTimestampMs'?: (number | string | Long);
  'storeTimestampMs'?: (number | string | Long);
  'reconsumeTimes'?: (number);
  'body'?: (Buffer | Uint8Array | string);
  'messageGroup'?: (string);
  'originTopic'?: (string);
}

export interface AdminMessage__Output {
  'topic': (string);
  'queueId': (number);
  'queueOffset': (string);
  'commitLogOffset': (string);
  'messageId': (string);
  'tag': (string);
  'keys': (string)[];
  'properties': ({[key: string]: string});
  'bornTimestampMs': (string);
  'storeTimestampMs': (string);
  'reconsumeTimes': (number);
  'body': (Buffer);
  'messageGroup': (string);
  'originTopic': (string);
}
