// Original file: proto/orbitmq/v1/broker_admin.proto


export interface GetConnectionsRequest {
  'group'?: (string);
  'topic'?: (string);
  'clientType'?: (string);
}

export interface GetConnectionsRequest__Output {
  'group': (string);
  'topic': (string);
  'clientType': (string);
}
