// Original file: proto/orbitmq/v1/namesrv.proto


export interface GetRouteRequest {
  'topic'?: (string);
}

export interface GetRouteRequest__Output {
  'topic': (string);
}
