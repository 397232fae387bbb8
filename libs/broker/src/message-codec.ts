import { crc32 } from 'node:zlib';
import { OrbitError, checkTopicName, type v2 } from '@orbitmq/protocol';
import { type ClassicDelay, CLASSIC_DELAY_PROPERTIES, type DelayPolicy, checkDueMs, classicDueMs } from './delay-policy';
import { type DecodedProperties, decodeProperties, encodeProperties, type SystemProps } from './message-properties';
import { isSystemTopic } from './system-topics';
import type { StoreAppend, StoreRecord } from './store-port';

export type V2MessageType = 'NORMAL' | 'FIFO' | 'DELAY' | 'TRANSACTION';

/** Limits checked on every message a producer sends. */
export interface MessageLimits {
  maxMessageSize: number;
  maxPropertiesBytes: number;
  delay: DelayPolicy;
}

export const MAX_MESSAGE_ID_LENGTH = 128;
export const MAX_TAG_LENGTH = 255;
export const MAX_KEY_LENGTH = 255;
export const MAX_KEYS = 32;
export const MAX_MESSAGE_GROUP_LENGTH = 255;

/** Property names RocketMQ reserves for itself; a user property may not use them. */
const RESERVED_PROPERTY_KEYS = new Set([
  'KEYS', 'TAGS', 'WAIT', 'DELAY', 'RETRY_TOPIC', 'REAL_TOPIC', 'REAL_QID', 'TRAN_MSG', 'PGROUP', 'MIN_OFFSET', 'MAX_OFFSET',
  'BUYER_ID', 'ORIGIN_MESSAGE_ID', 'TRANSFER_FLAG', 'CORRECTION_FLAG', 'MQ2_FLAG', 'RECONSUME_TIME', 'MSG_REGION', 'TRACE_ON',
  'UNIQ_KEY', 'MAX_RECONSUME_TIMES', 'CONSUME_START_TIME', 'POP_CK', 'POP_CK_OFFSET', '1ST_POP_TIME', 'TRANSACTION_PREPARED',
  'CHECK_IMMUNITY_TIME_IN_SECONDS', 'SHARDING_KEY', '__SHARDINGKEY', 'TIMER_DELIVER_MS', 'TIMER_DELAY_SEC', 'TIMER_DELAY_MS',
]);

/** Message type in the record's sysFlag (low 3 bits), so readers need not decode properties. */
export const SYSFLAG_TYPE: Record<V2MessageType, number> = { NORMAL: 1, FIFO: 2, DELAY: 3, TRANSACTION: 4 };
const TYPE_OF_FLAG: Record<number, V2MessageType> = { 1: 'NORMAL', 2: 'FIFO', 3: 'DELAY', 4: 'TRANSACTION' };

export function messageTypeOfFlag(sysFlag: number): V2MessageType {
  return TYPE_OF_FLAG[sysFlag & 7] ?? 'NORMAL';
}

function tsMs(t: { seconds: string | number; nanos: number } | null | undefined): number | undefined {
  if (!t) return undefined;
  return Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
}

export function timestamp(ms: number): { seconds: string; nanos: number } {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

export function duration(ms: number): { seconds: string; nanos: number } {
  return timestamp(ms);
}

export function durationMs(d: { seconds: string | number; nanos: number } | null | undefined): number | undefined {
  return tsMs(d);
}

/** A message as received from a producer, checked and ready to append (queue chosen later). */
export interface IncomingMessage {
  topic: string;
  messageId: string;
  /** How the broker handles it: a classic delay property turns a NORMAL message into DELAY. */
  type: V2MessageType;
  /** The type the producer declared, which the topic's message type must accept. */
  declaredType: V2MessageType;
  messageGroup?: string;
  /** DELAY: when it becomes visible (already checked against the maximum delay). */
  deliveryTimestampMs?: number;
  /** The properties as encoded in `append`, kept for records that add system properties. */
  system: SystemProps;
  user: Record<string, string>;
  append: Omit<StoreAppend, 'queueId'>;
}

/** Takes the classic delay properties out of the user properties (they are not user data). */
function splitClassicDelay(user: Record<string, string>): { user: Record<string, string>; classic: ClassicDelay | undefined } {
  let classic: ClassicDelay | undefined;
  for (const k of CLASSIC_DELAY_PROPERTIES) if (user[k] !== undefined) (classic ??= {})[k] = user[k];
  if (!classic) return { user, classic };
  const rest: Record<string, string> = {};
  for (const [k, v] of Object.entries(user)) if (!(k in classic)) rest[k] = v;
  return { user: rest, classic };
}

/** Checks one SendMessage message; throws OrbitError with the code RocketMQ uses for each problem. */
export function decodeIncoming(m: v2.Message__Output, limits: MessageLimits, nowMs: number): IncomingMessage {
  const topic = m.topic?.name ?? '';
  checkTopicName(topic);
  if (isSystemTopic(topic)) throw new OrbitError('ILLEGAL_TOPIC', `topic ${topic} is reserved for the broker`);
  const sp = m.systemProperties;
  if (!sp) throw new OrbitError('BAD_REQUEST', 'message has no system properties');
  const messageId = sp.messageId ?? '';
  if (messageId.length === 0 || messageId.length > MAX_MESSAGE_ID_LENGTH || !/^[\x21-\x7e]+$/.test(messageId)) {
    throw new OrbitError('ILLEGAL_MESSAGE_ID', `message id '${messageId.slice(0, 40)}' must be 1-${MAX_MESSAGE_ID_LENGTH} printable characters`);
  }
  if (sp.tag !== undefined && (sp.tag.trim().length === 0 || sp.tag.length > MAX_TAG_LENGTH || sp.tag.includes('|') || /[\x00-\x1f]/.test(sp.tag))) {
    throw new OrbitError('ILLEGAL_MESSAGE_TAG', `tag '${sp.tag.slice(0, 40)}' must be non-blank, at most ${MAX_TAG_LENGTH} characters, without '|' or control characters`);
  }
  if (sp.keys.length > MAX_KEYS) throw new OrbitError('ILLEGAL_MESSAGE_KEY', `${sp.keys.length} keys exceed the limit ${MAX_KEYS}`);
  for (const k of sp.keys) {
    if (k.trim().length === 0 || k.length > MAX_KEY_LENGTH || /[\x00-\x1f]/.test(k)) {
      throw new OrbitError('ILLEGAL_MESSAGE_KEY', `key '${k.slice(0, 40)}' must be non-blank, at most ${MAX_KEY_LENGTH} characters, without control characters`);
    }
  }
  if (m.body.length > limits.maxMessageSize) {
    throw new OrbitError('MESSAGE_BODY_TOO_LARGE', `body is ${m.body.length} bytes, maxMessageSize is ${limits.maxMessageSize}`);
  }
  const { user, classic } = splitClassicDelay(m.userProperties);
  let propsBytes = 0;
  for (const [k, v] of Object.entries(user)) {
    if (k.length === 0 || RESERVED_PROPERTY_KEYS.has(k) || /[\x00-\x1f]/.test(k)) throw new OrbitError('ILLEGAL_MESSAGE_PROPERTY_KEY', `property key '${k}' is reserved or illegal`);
    propsBytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (propsBytes > limits.maxPropertiesBytes) {
    throw new OrbitError('MESSAGE_PROPERTIES_TOO_LARGE', `user properties take ${propsBytes} bytes, limit ${limits.maxPropertiesBytes}`);
  }
  const declaredType = (['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION'] as const).find((t) => t === sp.messageType) ?? 'NORMAL';
  const messageGroup = sp.messageGroup;
  if (declaredType === 'FIFO' && (!messageGroup || messageGroup.length > MAX_MESSAGE_GROUP_LENGTH)) {
    throw new OrbitError('ILLEGAL_MESSAGE_GROUP', `a FIFO message needs a message group of 1-${MAX_MESSAGE_GROUP_LENGTH} characters`);
  }
  const { type, deliveryTimestampMs } = deliveryOf(declaredType, tsMs(sp.deliveryTimestamp), classic, limits.delay, nowMs);
  const system: SystemProps = {
    ...(messageGroup ? { messageGroup } : {}),
    ...(deliveryTimestampMs !== undefined ? { deliveryTimestampMs: String(deliveryTimestampMs) } : {}),
    ...(sp.bornHost ? { bornHost: sp.bornHost } : {}),
    ...(sp.traceContext ? { traceContext: sp.traceContext } : {}),
  };
  return {
    topic,
    messageId,
    type,
    declaredType,
    ...(messageGroup ? { messageGroup } : {}),
    ...(deliveryTimestampMs !== undefined ? { deliveryTimestampMs } : {}),
    system,
    user,
    append: {
      topic,
      sysFlag: SYSFLAG_TYPE[type],
      bornTimestampMs: tsMs(sp.bornTimestamp) ?? Date.now(),
      messageId,
      tag: sp.tag,
      keys: sp.keys,
      properties: encodeProperties(system, user),
      body: m.body,
    },
  };
}

/**
 * When a message becomes visible. DELAY needs a delivery timestamp; a NORMAL message may ask for a
 * delay the classic way (level or timer property) and is then handled as DELAY. FIFO and
 * TRANSACTION messages cannot be delayed. Times beyond the maximum delay are refused.
 */
function deliveryOf(
  declared: V2MessageType,
  timestampMs: number | undefined,
  classic: ClassicDelay | undefined,
  policy: DelayPolicy,
  nowMs: number,
): { type: V2MessageType; deliveryTimestampMs?: number } {
  if (declared === 'DELAY') {
    if (timestampMs === undefined) throw new OrbitError('ILLEGAL_DELIVERY_TIME', 'a DELAY message needs a delivery timestamp');
    checkDueMs(timestampMs, policy, nowMs);
    return { type: 'DELAY', deliveryTimestampMs: timestampMs };
  }
  const classicDue = classic ? classicDueMs(classic, policy, nowMs) : undefined;
  if (timestampMs === undefined && classicDue === undefined) return { type: declared };
  if (declared !== 'NORMAL') throw new OrbitError('MESSAGE_PROPERTY_CONFLICT_WITH_TYPE', `a ${declared} message cannot carry a delivery time or delay`);
  const due = classicDue ?? (timestampMs as number);
  checkDueMs(due, policy, nowMs);
  return { type: 'DELAY', deliveryTimestampMs: due };
}

/**
 * The same message as a new record elsewhere (a delayed message's copy in its topic, a committed
 * half message, a dead letter): id, born time, tag, keys and body kept; where it goes, its flags
 * and (optionally) its properties given.
 */
export function copyRecord(r: StoreRecord, to: { topic: string; queueId: number; sysFlag: number; properties?: Buffer; reconsumeTimes?: number }): StoreAppend {
  return {
    topic: to.topic,
    queueId: to.queueId,
    sysFlag: to.sysFlag,
    bornTimestampMs: r.bornTimestampMs,
    ...(to.reconsumeTimes !== undefined ? { reconsumeTimes: to.reconsumeTimes } : {}),
    messageId: r.messageId,
    ...(r.tag ? { tag: r.tag } : {}),
    keys: r.keys,
    properties: to.properties ?? r.properties,
    body: r.body,
  };
}

/**
 * Properties of a record that completes a timer or half record: the system properties that only
 * the held-back record needs (real topic, producer) dropped, the origin's log offset added.
 */
export function completingProperties(r: StoreRecord, originOffset: number): Buffer {
  const props = decodeProperties(r.properties);
  const { realTopic: _topic, producerClientId: _producer, ...system } = props.system;
  return encodeProperties({ ...system, originOffset: String(originOffset) }, props.user);
}

/** What a consumer gets for one delivery. */
export interface Delivery {
  record: StoreRecord;
  queueId: number;
  receiptHandle: string;
  deliveryAttempt: number;
  invisibleMs: number;
}

/**
 * The body digest clients verify: CRC32 (IEEE) in decimal, as RocketMQ's proxy sends it (the
 * stored body CRC there). A fraction of MD5's cost per delivery; the official clients check all
 * three digest types and discard a message whose digest does not match.
 */
export function bodyCrc32(body: Buffer): string {
  return String(crc32(body) >>> 0);
}

export function toV2Message(d: Delivery, storeHost: string): v2.Message {
  const r = d.record;
  const props = decodeProperties(r.properties);
  const system = baseSystemProperties(r, props, storeHost);
  system.receiptHandle = d.receiptHandle;
  system.queueId = d.queueId;
  system.queueOffset = r.queueOffset;
  system.invisibleDuration = secondsAndNanos(d.invisibleMs);
  system.deliveryAttempt = d.deliveryAttempt;
  return { topic: { name: r.topic }, userProperties: props.user, systemProperties: system, body: r.body };
}

/**
 * A half message as sent in a transaction check-back: a complete message (the client drops a check
 * whose message lacks a message id or body digest) under its real topic, with no receipt.
 */
export function toCheckMessage(r: StoreRecord, storeHost: string): v2.Message {
  const props = decodeProperties(r.properties);
  const system = baseSystemProperties(r, props, storeHost);
  system.queueId = 0;
  system.queueOffset = r.queueOffset;
  return { topic: { name: props.system.realTopic ?? r.topic }, userProperties: props.user, systemProperties: system, body: r.body };
}

/** Timestamp/Duration with numeric seconds (the wire codec takes them without a string round trip). */
function secondsAndNanos(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

/**
 * Every field of SystemProperties, always in this order and always present (undefined when not
 * set): every delivered message then has one object shape, which keeps the encoder's property
 * reads monomorphic (spreads made a new shape per combination of optional fields).
 */
function baseSystemProperties(r: StoreRecord, props: DecodedProperties, storeHost: string): v2.SystemProperties {
  const deliveryTs = props.system.deliveryTimestampMs !== undefined ? Number(props.system.deliveryTimestampMs) : undefined;
  return {
    tag: r.tag ? r.tag : undefined,
    keys: r.keys,
    messageId: r.messageId,
    bodyDigest: { type: 'CRC32', checksum: bodyCrc32(r.body) },
    bodyEncoding: 'IDENTITY',
    messageType: messageTypeOfFlag(r.sysFlag),
    bornTimestamp: secondsAndNanos(r.bornTimestampMs),
    bornHost: props.system.bornHost ?? '',
    storeTimestamp: secondsAndNanos(r.storeTimestampMs),
    storeHost,
    deliveryTimestamp: deliveryTs !== undefined ? secondsAndNanos(deliveryTs) : undefined,
    receiptHandle: undefined,
    queueId: undefined,
    queueOffset: undefined,
    invisibleDuration: undefined,
    deliveryAttempt: undefined,
    messageGroup: props.system.messageGroup ? props.system.messageGroup : undefined,
    traceContext: props.system.traceContext ? props.system.traceContext : undefined,
    orphanedTransactionRecoveryDuration: undefined,
    deadLetterQueue: undefined,
    liteTopic: undefined,
    priority: undefined,
  };
}
