// Original file: proto/orbitmq/v1/namesrv.proto

import type { ClusterInfo as _orbitmq_v1_ClusterInfo, ClusterInfo__Output as _orbitmq_v1_ClusterInfo__Output } from '../../orbitmq/v1/ClusterInfo';

export interface GetClusterInfoResponse {
  'clusters'?: (_orbitmq_v1_ClusterInfo)[];
}

export interface GetClusterInfoResponse__Output {
  'clusters': (_orbitmq_v1_ClusterInfo__Output)[];
}
