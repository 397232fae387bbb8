// Original file: proto/orbitmq/v1/replication.proto

import type { StateOp as _orbitmq_v1_StateOp, StateOp__Output as _orbitmq_v1_StateOp__Output } from '../../orbitmq/v1/StateOp';

export interface StateFrame {
  'snapshotBegin'?: (boolean);
  'snapshotEnd'?: (boolean);
  'ops'?: (_orbitmq_v1_StateOp)[];
}

export interface StateFrame__Output {
  'snapshotBegin': (boolean);
  'snapshotEnd': (boolean);
  'ops': (_orbitmq_v1_StateOp__Output)[];
}
