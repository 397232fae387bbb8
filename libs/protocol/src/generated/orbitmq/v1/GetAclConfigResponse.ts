// Original file: proto/orbitmq/v1/broker_admin.proto

import type { AclAccountView as _orbitmq_v1_AclAccountView, AclAccountView__Output as _orbitmq_v1_AclAccountView__Output } from '../../orbitmq/v1/AclAccountView';

export interface GetAclConfigResponse {
  'aclEnabled'?: (boolean);
  'globalWhiteRemoteAddresses'?: (string)[];
  'accounts'?: (_orbitmq_v1_AclAccountView)[];
}

export interface GetAclConfigResponse__Output {
  'aclEnabled': (boolean);
  'globalWhiteRemoteAddresses': (string)[];
  'accounts': (_orbitmq_v1_AclAccountView__Output)[];
}
