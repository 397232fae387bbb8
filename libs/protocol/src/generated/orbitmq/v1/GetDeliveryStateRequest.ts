// Original file: proto/orbitmq/v1/broker_admin.proto


export interface GetDeliveryStateRequest {
  'topic'?: (string);
  'queueId'?: (number);
  'queueOffset'?: (string);
}

export interface GetDeliveryStateRequest__Output {
  'topic': (string);
  'queueId': (number);
  'queueOffset': (string);
}
