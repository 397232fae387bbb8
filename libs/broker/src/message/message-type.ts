/** The four message types of the RocketMQ 5 protocol. */
export type V2MessageType = 'NORMAL' | 'FIFO' | 'DELAY' | 'TRANSACTION';

/** Message type in the record's sysFlag (low 3 bits), so readers need not decode properties. */
/** The sysFlag bits that hold the message type. */
export const SYSFLAG_TYPE_MASK = 7;

export const SYSFLAG_TYPE: Record<V2MessageType, number> = { NORMAL: 1, FIFO: 2, DELAY: 3, TRANSACTION: 4 };
const TYPE_OF_FLAG: Record<number, V2MessageType> = { 1: 'NORMAL', 2: 'FIFO', 3: 'DELAY', 4: 'TRANSACTION' };

export function messageTypeOfFlag(sysFlag: number): V2MessageType {
  return TYPE_OF_FLAG[sysFlag & SYSFLAG_TYPE_MASK] ?? 'NORMAL';
}
