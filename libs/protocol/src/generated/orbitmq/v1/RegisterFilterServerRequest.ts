// Original file: proto/orbitmq/v1/filter.proto


export interface RegisterFilterServerRequest {
  'endpoint'?: (string);
  'instanceId'?: (string);
}

export interface RegisterFilterServerRequest__Output {
  'endpoint': (string);
  'instanceId': (string);
}
