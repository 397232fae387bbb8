// Original file: proto/orbitmq/v1/broker_admin.proto


export interface ListTopicStatsRequest {
  'topics'?: (string)[];
}

export interface ListTopicStatsRequest__Output {
  'topics': (string)[];
}
