// Original file: proto/orbitmq/v1/broker_admin.proto

import type { Connection as _orbitmq_v1_Connection, Connection__Output as _orbitmq_v1_Connection__Output } from '../../orbitmq/v1/Connection';

export interface GetConnectionsResponse {
  'connections'?: (_orbitmq_v1_Connection)[];
}

export interface GetConnectionsResponse__Output {
  'connections': (_orbitmq_v1_Connection__Output)[];
}
