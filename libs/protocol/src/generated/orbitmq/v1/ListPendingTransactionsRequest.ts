// Original file: proto/orbitmq/v1/broker_admin.proto


export interface ListPendingTransactionsRequest {
  'topic'?: (string);
  'limit'?: (number);
}

export interface ListPendingTransactionsRequest__Output {
  'topic': (string);
  'limit': (number);
}
