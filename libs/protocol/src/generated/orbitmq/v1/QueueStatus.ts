// Original file: proto/orbitmq/v1/broker_admin.proto


export interface QueueStatus {
  'queueId'?: (number);
  'minOffset'?: (string);
  'maxOffset'?: (string);
}

export interface QueueStatus__Output {
  'queueId': (number);
  'minOffset': (string);
  'maxOffset': (string);
}
