// Original file: proto/orbitmq/v1/broker_admin.proto


export interface AclResourcePerm {
  'resource'?: (string);
  'perm'?: (string);
}

export interface AclResourcePerm__Output {
  'resource': (string);
  'perm': (string);
}
