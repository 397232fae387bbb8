// Original file: proto/orbitmq/v1/broker_admin.proto


export interface ResendResult {
  'queueOffset'?: (string);
  'ok'?: (boolean);
  'toTopic'?: (string);
  'messageId'?: (string);
  'newQueueOffset'?: (string);
  'errorCode'?: (string);
  'error'?: (string);
}

export interface ResendResult__Output {
  'queueOffset': (string);
  'ok': (boolean);
  'toTopic': (string);
  'messageId': (string);
  'newQueueOffset': (string);
  'errorCode': (string);
  'error': (string);
}
