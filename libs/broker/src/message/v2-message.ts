import { crc32 } from 'node:zlib';
import { type DecodedProperties, decodeProperties, encodeProperties, type v2 } from '@orbitmq/protocol';
import { messageTypeOfFlag } from './message-type';
import type { StoreAppend, StoreRecord } from '../store-port';

/**
 * Stored records as the RocketMQ 5 protocol shows them: deliveries, check-back messages,
 * timestamps and durations; and copies of a record (timer, half message, dead letter).
 */

export function timestampMs(t: { seconds: string | number; nanos: number } | null | undefined): number | undefined {
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
  return timestampMs(d);
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
    bodyDigest: { type: 'CRC32', checksum: r.bodyCrc32 !== undefined ? String(r.bodyCrc32) : bodyCrc32(r.body) },
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
