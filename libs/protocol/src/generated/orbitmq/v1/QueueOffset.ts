// Original file: proto/orbitmq/v1/broker_admin.proto


export interface QueueOffset {
  'queueId'?: (number);
  'offset'?: (string);
  'previousOffset'?: (string);
}

export interface QueueOffset__Output {
  'queueId': (number);
  'offset': (string);
  'previousOffset': (string);
}
