/**
 * Topics the broker writes for itself (RocketMQ's names), and the sysFlag bits that mark records
 * completing one of them. Clients may not send to these topics.
 *
 *  - TIMER_TOPIC: delayed messages wait here (indexed by due time) until the timer service copies
 *    them into their real topic.
 *  - HALF_TOPIC: transactional half messages, invisible to consumers until committed.
 *  - OP_TOPIC: rollback and discard records, which end a half message without delivering it.
 */
export const TIMER_TOPIC = 'rmq_sys_wheel_timer';
export const HALF_TOPIC = 'RMQ_SYS_TRANS_HALF_TOPIC';
export const OP_TOPIC = 'RMQ_SYS_TRANS_OP_HALF_TOPIC';

const SYSTEM_TOPICS = new Set([TIMER_TOPIC, HALF_TOPIC, OP_TOPIC]);

export function isSystemTopic(topic: string): boolean {
  return SYSTEM_TOPICS.has(topic) || topic.startsWith('rmq_sys_');
}

/*
 * sysFlag (u32 in the record): bits 0-2 message type (message-codec SYSFLAG_TYPE), then:
 *   bit 3 TIMER_MOVED  the record is a delayed message copied into its real topic; its properties
 *                      carry originOffset (the timer record) and deliveryTimestampMs
 *   bit 4 TXN_END      the record ends a half message (a commit in the real topic, or a rollback /
 *                      discard in OP_TOPIC); its properties carry originOffset (the half record)
 * Dispatch extensions test these bits, so ordinary records are never decoded on the hot path.
 */
export const SYSFLAG_TIMER_MOVED = 1 << 3;
export const SYSFLAG_TXN_END = 1 << 4;

/** Tags of OP_TOPIC records. */
export const OP_TAG_ROLLBACK = 'r';
export const OP_TAG_DISCARD = 'd';
