// Original file: proto/orbitmq/v1/broker_admin.proto


export interface AdminGroupRequest {
  'group'?: (string);
  'topic'?: (string);
}

export interface AdminGroupRequest__Output {
  'group': (string);
  'topic': (string);
}
