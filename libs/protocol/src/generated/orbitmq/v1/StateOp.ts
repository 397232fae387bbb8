// Original file: proto/orbitmq/v1/replication.proto


// Original file: proto/orbitmq/v1/replication.proto

export const _orbitmq_v1_StateOp_Kind = {
  PUT: 'PUT',
  DEL: 'DEL',
  CLEAR: 'CLEAR',
} as const;

export type _orbitmq_v1_StateOp_Kind =
  | 'PUT'
  | 0
  | 'DEL'
  | 1
  | 'CLEAR'
  | 2

export type _orbitmq_v1_StateOp_Kind__Output = typeof _orbitmq_v1_StateOp_Kind[keyof typeof _orbitmq_v1_StateOp_Kind]

export interface StateOp {
  'kind'?: (_orbitmq_v1_StateOp_Kind);
  'key'?: (Buffer | Uint8Array | string);
  'value'?: (Buffer | Uint8Array | string);
  'endKey'?: (Buffer | Uint8Array | string);
}

export interface StateOp__Output {
  'kind': (_orbitmq_v1_StateOp_Kind__Output);
  'key': (Buffer);
  'value': (Buffer);
  'endKey': (Buffer);
}
