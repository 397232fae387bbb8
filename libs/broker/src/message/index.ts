/**
 * message/: what a message is on this broker — the record's property codec, message types in the
 * sysFlag, the broker's system topics, tag filters, and the mapping of stored records to the
 * RocketMQ 5 protocol's Message. No gRPC, no store access: the replica and filter servers may use it.
 */
export { type DecodedProperties, type SystemProps, SystemProp, decodeProperties, encodeProperties } from '@orbitmq/protocol';
export { SYSFLAG_TYPE, SYSFLAG_TYPE_MASK, type V2MessageType, messageTypeOfFlag } from './message-type';
export { HALF_TOPIC, OP_TAG_DISCARD, OP_TAG_ROLLBACK, OP_TOPIC, SYSFLAG_TIMER_MOVED, SYSFLAG_TXN_END, TIMER_TOPIC, isSystemTopic } from './system-topics';
export { type TagFilter, parseTagExpression } from './tag-filter';
export { readU64, writeU64 } from './u64';
export {
  type Delivery,
  bodyCrc32,
  completingProperties,
  copyRecord,
  duration,
  durationMs,
  timestamp,
  timestampMs,
  toCheckMessage,
  toV2Message,
} from './v2-message';
