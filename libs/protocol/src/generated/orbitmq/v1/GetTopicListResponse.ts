// Original file: proto/orbitmq/v1/namesrv.proto


export interface GetTopicListResponse {
  'topics'?: (string)[];
}

export interface GetTopicListResponse__Output {
  'topics': (string)[];
}
