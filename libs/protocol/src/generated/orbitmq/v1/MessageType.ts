// Original file: proto/orbitmq/v1/common.proto

export const MessageType = {
  MESSAGE_TYPE_UNSPECIFIED: 'MESSAGE_TYPE_UNSPECIFIED',
  NORMAL: 'NORMAL',
  FIFO: 'FIFO',
  DELAY: 'DELAY',
  TRANSACTION: 'TRANSACTION',
  MIXED: 'MIXED',
} as const;

export type MessageType =
  | 'MESSAGE_TYPE_UNSPECIFIED'
  | 0
  | 'NORMAL'
  | 1
  | 'FIFO'
  | 2
  | 'DELAY'
  | 3
  | 'TRANSACTION'
  | 4
  | 'MIXED'
  | 5

export type MessageType__Output = typeof MessageType[keyof typeof MessageType]
