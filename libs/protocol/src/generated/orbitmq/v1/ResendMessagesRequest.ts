// Original file: proto/orbitmq/v1/broker_admin.proto


export interface ResendMessagesRequest {
  'topic'?: (string);
  'queueId'?: (number);
  'offsets'?: (string)[];
  'toTopic'?: (string);
}

export interface ResendMessagesRequest__Output {
  'topic': (string);
  'queueId': (number);
  'offsets': (string)[];
  'toTopic': (string);
}
