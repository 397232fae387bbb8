import { type DecodedMessage, type ErrorCode, type InvalidUtf8Field, OrbitError, checkTopicName } from '@orbitmq/protocol';
import { SYSFLAG_TYPE, type SystemProps, type V2MessageType, encodeProperties, isSystemTopic, timestampMs } from '../message';
import { type ClassicDelay, CLASSIC_DELAY_PROPERTIES, type DelayPolicy, checkDueMs, classicDueMs } from '../schedule';
import type { StoreAppend } from '../store-port';

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
  'KEYS',
  'TAGS',
  'WAIT',
  'DELAY',
  'RETRY_TOPIC',
  'REAL_TOPIC',
  'REAL_QID',
  'TRAN_MSG',
  'PGROUP',
  'MIN_OFFSET',
  'MAX_OFFSET',
  'BUYER_ID',
  'ORIGIN_MESSAGE_ID',
  'TRANSFER_FLAG',
  'CORRECTION_FLAG',
  'MQ2_FLAG',
  'RECONSUME_TIME',
  'MSG_REGION',
  'TRACE_ON',
  'UNIQ_KEY',
  'MAX_RECONSUME_TIMES',
  'CONSUME_START_TIME',
  'POP_CK',
  'POP_CK_OFFSET',
  '1ST_POP_TIME',
  'TRANSACTION_PREPARED',
  'CHECK_IMMUNITY_TIME_IN_SECONDS',
  'SHARDING_KEY',
  '__SHARDINGKEY',
  'TIMER_DELIVER_MS',
  'TIMER_DELAY_SEC',
  'TIMER_DELAY_MS',
]);

/**
 * A string field the codec found not valid UTF-8 (DecodedMessage.invalidUtf8): its code and its
 * name for the message. The bytes are refused, never stored repaired. RocketMQ's proxy uses the
 * property-key code for a bad property value too; system strings without a code of their own
 * are BAD_REQUEST.
 */
const INVALID_UTF8: Record<InvalidUtf8Field, [ErrorCode, string]> = {
  topic: ['ILLEGAL_TOPIC', 'topic'],
  resourceNamespace: ['ILLEGAL_TOPIC', 'topic namespace'],
  messageId: ['ILLEGAL_MESSAGE_ID', 'message id'],
  tag: ['ILLEGAL_MESSAGE_TAG', 'tag'],
  keys: ['ILLEGAL_MESSAGE_KEY', 'a key'],
  messageGroup: ['ILLEGAL_MESSAGE_GROUP', 'message group'],
  userPropertyKey: ['ILLEGAL_MESSAGE_PROPERTY_KEY', 'a user property key'],
  userPropertyValue: ['ILLEGAL_MESSAGE_PROPERTY_KEY', 'a user property value'],
  liteTopic: ['ILLEGAL_TOPIC', 'lite topic'],
  bodyDigest: ['BAD_REQUEST', 'body digest'],
  bornHost: ['BAD_REQUEST', 'born host'],
  storeHost: ['BAD_REQUEST', 'store host'],
  receiptHandle: ['BAD_REQUEST', 'receipt handle'],
  traceContext: ['BAD_REQUEST', 'trace context'],
  deadLetterQueue: ['BAD_REQUEST', 'dead letter queue'],
};

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
/** A message to send: a v5 one, or a 4.x one with the system properties only 4.x has. */
export type SendableMessage = DecodedMessage & { extraSystem?: SystemProps };

export function decodeIncoming(m: SendableMessage, limits: MessageLimits, nowMs: number): IncomingMessage {
  if (m.invalidUtf8) {
    const [code, what] = INVALID_UTF8[m.invalidUtf8] ?? ['BAD_REQUEST', m.invalidUtf8];
    throw new OrbitError(code, `${what} is not valid UTF-8`);
  }
  const topic = m.topic?.name ?? '';
  checkTopicName(topic);
  if (isSystemTopic(topic)) throw new OrbitError('ILLEGAL_TOPIC', `topic ${topic} is reserved for the broker`);
  const sp = m.systemProperties;
  if (!sp) throw new OrbitError('BAD_REQUEST', 'message has no system properties');
  const messageId = sp.messageId ?? '';
  checkMessageFields(messageId, sp.tag, sp.keys, m.body, limits);
  // The codec keeps a `__proto__` key as an own property; copying it into another object would drop it silently.
  if (Object.prototype.hasOwnProperty.call(m.userProperties, '__proto__'))
    throw new OrbitError('ILLEGAL_MESSAGE_PROPERTY_KEY', "property key '__proto__' is illegal");
  const { user, classic } = splitClassicDelay(m.userProperties);
  checkUserProperties(user, limits);
  const declaredType = (['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION'] as const).find((t) => t === sp.messageType) ?? 'NORMAL';
  const messageGroup = sp.messageGroup;
  if (declaredType === 'FIFO' && (!messageGroup || messageGroup.length > MAX_MESSAGE_GROUP_LENGTH)) {
    throw new OrbitError('ILLEGAL_MESSAGE_GROUP', `a FIFO message needs a message group of 1-${MAX_MESSAGE_GROUP_LENGTH} characters`);
  }
  const { type, deliveryTimestampMs } = deliveryOf(declaredType, timestampMs(sp.deliveryTimestamp), classic, limits.delay, nowMs);
  const system: SystemProps = {
    ...(messageGroup ? { messageGroup } : {}),
    ...(deliveryTimestampMs !== undefined ? { deliveryTimestampMs: String(deliveryTimestampMs) } : {}),
    ...(sp.bornHost ? { bornHost: sp.bornHost } : {}),
    ...(sp.traceContext ? { traceContext: sp.traceContext } : {}),
    ...m.extraSystem,
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
      bornTimestampMs: timestampMs(sp.bornTimestamp) ?? Date.now(),
      messageId,
      tag: sp.tag,
      keys: sp.keys,
      properties: encodeProperties(system, user),
      body: m.body,
    },
  };
}

/** The checks of a message's id, tag, keys and body size, whichever protocol brought it. */
export function checkMessageFields(messageId: string, tag: string | undefined, keys: readonly string[], body: Buffer, limits: MessageLimits): void {
  if (messageId.length === 0 || messageId.length > MAX_MESSAGE_ID_LENGTH || !/^[\x21-\x7e]+$/.test(messageId)) {
    throw new OrbitError('ILLEGAL_MESSAGE_ID', `message id '${messageId.slice(0, 40)}' must be 1-${MAX_MESSAGE_ID_LENGTH} printable characters`);
  }
  if (tag !== undefined && (tag.trim().length === 0 || tag.length > MAX_TAG_LENGTH || tag.includes('|') || /[\x00-\x1f]/.test(tag))) {
    throw new OrbitError(
      'ILLEGAL_MESSAGE_TAG',
      `tag '${tag.slice(0, 40)}' must be non-blank, at most ${MAX_TAG_LENGTH} characters, without '|' or control characters`,
    );
  }
  if (keys.length > MAX_KEYS) throw new OrbitError('ILLEGAL_MESSAGE_KEY', `${keys.length} keys exceed the limit ${MAX_KEYS}`);
  for (const k of keys) {
    if (k.trim().length === 0 || k.length > MAX_KEY_LENGTH || /[\x00-\x1f]/.test(k)) {
      throw new OrbitError(
        'ILLEGAL_MESSAGE_KEY',
        `key '${k.slice(0, 40)}' must be non-blank, at most ${MAX_KEY_LENGTH} characters, without control characters`,
      );
    }
  }
  if (body.length > limits.maxMessageSize) {
    throw new OrbitError('MESSAGE_BODY_TOO_LARGE', `body is ${body.length} bytes, maxMessageSize is ${limits.maxMessageSize}`);
  }
}

/** User property names must be legal and not reserved; their bytes are bounded. */
export function checkUserProperties(user: Record<string, string>, limits: MessageLimits): void {
  let propsBytes = 0;
  for (const [k, v] of Object.entries(user)) {
    if (k.length === 0 || RESERVED_PROPERTY_KEYS.has(k) || /[\x00-\x1f]/.test(k))
      throw new OrbitError('ILLEGAL_MESSAGE_PROPERTY_KEY', `property key '${k}' is reserved or illegal`);
    propsBytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (propsBytes > limits.maxPropertiesBytes) {
    throw new OrbitError('MESSAGE_PROPERTIES_TOO_LARGE', `user properties take ${propsBytes} bytes, limit ${limits.maxPropertiesBytes}`);
  }
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
