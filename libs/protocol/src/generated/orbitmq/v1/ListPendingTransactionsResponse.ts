// Original file: proto/orbitmq/v1/broker_admin.proto

import type { PendingTransaction as _orbitmq_v1_PendingTransaction, PendingTransaction__Output as _orbitmq_v1_PendingTransaction__Output } from '../../orbitmq/v1/PendingTransaction';
import type { Long } from '@grpc/proto-loader';

export interface ListPendingTransactionsResponse {
  'transactions'?: (_orbitmq_v1_PendingTransaction)[];
  'totalPending'?: (number | string | Long);
}

export interface ListPendingTransactionsResponse__Output {
  'transactions': (_orbitmq_v1_PendingTransaction__Output)[];
  'totalPending': (string);
}
