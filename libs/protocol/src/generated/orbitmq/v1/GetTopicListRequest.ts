// Original file: proto/orbitmq/v1/namesrv.proto


export interface GetTopicListRequest {
  'clusterName'?: (string);
}

export interface GetTopicListRequest__Output {
  'clusterName': (string);
}
