// Original file: proto/orbitmq/v1/namesrv.proto


export interface DeleteTopicRequest {
  'topic'?: (string);
}

export interface DeleteTopicRequest__Output {
  'topic': (string);
}
