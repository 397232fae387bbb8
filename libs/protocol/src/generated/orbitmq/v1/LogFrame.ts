// Original file: proto/orbitmq/v1/replication.proto

import type { Long } from '@grpc/proto-loader';

export interface LogFrame {
  'fromOffset'?: (string);
  'data'?: (Buffer | Uint8Array | string);
  'epoch'?: (number | string | Long);
  'masterEndOffset'?: (string);
  'confirmOffset'?: (string);
}

export interface LogFrame__Output {
  'fromOffset': (string);
  'data': (Buffer);
  'epoch': (string);
  'masterEndOffset': (string);
  'confirmOffset': (string);
}
