// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition.proto

export const TransactionResolution = {
  TRANSACTION_RESOLUTION_UNSPECIFIED: 'TRANSACTION_RESOLUTION_UNSPECIFIED',
  COMMIT: 'COMMIT',
  ROLLBACK: 'ROLLBACK',
} as const;

export type TransactionResolution =
  | 'TRANSACTION_RESOLUTION_UNSPECIFIED'
  | 0
  | 'COMMIT'
  | 1
  | 'ROLLBACK'
  | 2

export type TransactionResolution__Output = typeof TransactionResolution[keyof typeof TransactionResolution]
