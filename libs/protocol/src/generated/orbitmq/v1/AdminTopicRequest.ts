// Original file: proto/orbitmq/v1/broker_admin.proto


export interface AdminTopicRequest {
  'topic'?: (string);
}

export interface AdminTopicRequest__Output {
  'topic': (string);
}
