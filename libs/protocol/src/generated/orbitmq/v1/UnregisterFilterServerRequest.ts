// Original file: proto/orbitmq/v1/filter.proto


export interface UnregisterFilterServerRequest {
  'endpoint'?: (string);
  'instanceId'?: (string);
}

export interface UnregisterFilterServerRequest__Output {
  'endpoint': (string);
  'instanceId': (string);
}
