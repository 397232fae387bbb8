// Original file: proto/orbitmq/v1/broker_admin.proto

import type { AclResourcePerm as _orbitmq_v1_AclResourcePerm, AclResourcePerm__Output as _orbitmq_v1_AclResourcePerm__Output } from '../../orbitmq/v1/AclResourcePerm';

export interface AclAccountView {
  'accessKey'?: (string);
  'admin'?: (boolean);
  'whiteRemoteAddress'?: (string)[];
  'defaultTopicPerm'?: (string);
  'defaultGroupPerm'?: (string);
  'topicPerms'?: (_orbitmq_v1_AclResourcePerm)[];
  'groupPerms'?: (_orbitmq_v1_AclResourcePerm)[];
}

export interface AclAccountView__Output {
  'accessKey': (string);
  'admin': (boolean);
  'whiteRemoteAddress': (string)[];
  'defaultTopicPerm': (string);
  'defaultGroupPerm': (string);
  'topicPerms': (_orbitmq_v1_AclResourcePerm__Output)[];
  'groupPerms': (_orbitmq_v1_AclResourcePerm__Output)[];
}
