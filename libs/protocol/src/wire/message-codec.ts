import { isUtf8 } from 'node:buffer';
import type * as v2 from '../generated/rocketmq-v2';
import { ProtoReader } from './proto-reader';
import { type ProtoWriter, WIRE_LENGTH_DELIMITED } from './proto-writer';

/*
 * apache.rocketmq.v2.Message, the bytes of every send and every delivery, by hand: protobufjs's
 * fromObject/toObject (enum names, 64-bit strings, defaults) cost more than the rest of a send.
 * Same bytes as protobufjs writes (fields in declaration order, present fields only), and the
 * same decoded shape as proto-loader's (LOADER_OPTIONS) – the golden tests hold both to that.
 *
 *   Message           1 topic: Resource   2 user_properties: map<string,string> (entry: 1 key, 2 value)
 *                     3 system_properties: SystemProperties   4 body: bytes
 *   Resource          1 resource_namespace   2 name
 *   SystemProperties  1 tag?  2 keys[]  3 message_id  4 body_digest: Digest  5 body_encoding: enum
 *                     6 message_type: enum  7 born_timestamp: Timestamp  8 born_host
 *                     9 store_timestamp?  10 store_host  11 delivery_timestamp?  12 receipt_handle?
 *                     13 queue_id: int32  14 queue_offset?: int64  15 invisible_duration?: Duration
 *                     16 delivery_attempt?: int32  17 message_group?  18 trace_context?
 *                     19 orphaned_transaction_recovery_duration?: Duration
 *                     20 dead_letter_queue?: {1 topic, 2 message_id}  21 lite_topic?  22 priority?: int32
 *   Timestamp/Duration 1 seconds: int64  2 nanos: int32       Digest 1 type: enum  2 checksum
 *   (? = proto3 optional: decoded only when present, with proto-loader's virtual `_name` field)
 *
 * Strings are checked, never repaired: protobufjs (and Buffer#toString) turn invalid UTF-8 into
 * U+FFFD silently, protobuf-java refuses it. A decoded message whose string field was not valid
 * UTF-8 carries `invalidUtf8` naming the first such field; the broker refuses it with that
 * field's code. Valid messages have no such property (same shape as proto-loader's).
 */

/** The string fields of a Message, as `invalidUtf8` names them. */
export type InvalidUtf8Field =
  | 'topic'
  | 'resourceNamespace'
  | 'userPropertyKey'
  | 'userPropertyValue'
  | 'tag'
  | 'keys'
  | 'messageId'
  | 'bodyDigest'
  | 'bornHost'
  | 'storeHost'
  | 'receiptHandle'
  | 'messageGroup'
  | 'traceContext'
  | 'deadLetterQueue'
  | 'liteTopic';

/** A Message as readMessage decodes it. */
export type DecodedMessage = v2.Message__Output & { invalidUtf8?: InvalidUtf8Field };

/** The first invalid field of the message being read (readMessage is synchronous and not re-entrant). */
let invalidUtf8: InvalidUtf8Field | undefined;

/**
 * A string field, decoded as before, its bytes checked. Node's decoder replaces every invalid
 * sequence by U+FFFD, so a result without U+FFFD came from valid bytes: ASCII and ordinary text
 * pass on one indexOf (constant time on one-byte strings) with no allocation. Only a U+FFFD,
 * sent by the client or made by the decoder, costs an isUtf8 over a view of the bytes.
 */
function str(r: ProtoReader, field: InvalidUtf8Field): string {
  const end = r.delimitedEnd();
  const start = r.pos;
  const s = r.buf.toString('utf8', start, end);
  r.pos = end;
  if (s.indexOf('\ufffd') !== -1 && invalidUtf8 === undefined && !isUtf8(r.buf.subarray(start, end))) invalidUtf8 = field;
  return s;
}

const ENCODING = ['ENCODING_UNSPECIFIED', 'IDENTITY', 'GZIP'] as const;
const MESSAGE_TYPE = ['MESSAGE_TYPE_UNSPECIFIED', 'NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'LITE', 'PRIORITY'] as const;
const DIGEST_TYPE = ['DIGEST_TYPE_UNSPECIFIED', 'CRC32', 'MD5', 'SHA1'] as const;

function enumNumber(names: readonly string[], v: string | number): number {
  if (typeof v === 'number') return v;
  const i = names.indexOf(v);
  return i < 0 ? 0 : i;
}

/** proto-loader's `enums: String`: the name, or the number itself when it has none. */
function enumName(names: readonly string[], n: number): string {
  return names[n] ?? (n as unknown as string);
}

type Time = { seconds?: number | string | { toString(): string } | null; nanos?: number | null } | null | undefined;

function writeTime(w: ProtoWriter, field: number, t: Time): void {
  if (t == null) return;
  const at = w.begin(field);
  if (t.seconds != null) w.int64Field(1, typeof t.seconds === 'object' ? t.seconds.toString() : t.seconds);
  if (t.nanos != null) w.int32Field(2, t.nanos);
  w.end(at);
}

function writeOptionalString(w: ProtoWriter, field: number, s: string | null | undefined): void {
  if (s != null) w.stringField(field, s);
}

/** Writes `m` as field `field` of the enclosing message. */
export function writeMessage(w: ProtoWriter, field: number, m: v2.Message): void {
  const at = w.begin(field);
  if (m.topic != null) {
    const t = w.begin(1);
    writeOptionalString(w, 1, m.topic.resourceNamespace);
    writeOptionalString(w, 2, m.topic.name);
    w.end(t);
  }
  if (m.userProperties != null) {
    for (const k of Object.keys(m.userProperties)) {
      const e = w.begin(2);
      w.stringField(1, k);
      w.stringField(2, m.userProperties[k] as string);
      w.end(e);
    }
  }
  if (m.systemProperties != null) writeSystemProperties(w, 3, m.systemProperties);
  if (m.body != null) w.bytesField(4, typeof m.body === 'string' ? Buffer.from(m.body, 'base64') : m.body);
  w.end(at);
}

function writeSystemProperties(w: ProtoWriter, field: number, p: v2.SystemProperties): void {
  const at = w.begin(field);
  writeOptionalString(w, 1, p.tag);
  if (p.keys != null) for (const k of p.keys) w.stringField(2, k);
  writeOptionalString(w, 3, p.messageId);
  if (p.bodyDigest != null) {
    const d = w.begin(4);
    if (p.bodyDigest.type != null) w.int32Field(1, enumNumber(DIGEST_TYPE, p.bodyDigest.type));
    writeOptionalString(w, 2, p.bodyDigest.checksum);
    w.end(d);
  }
  if (p.bodyEncoding != null) w.int32Field(5, enumNumber(ENCODING, p.bodyEncoding));
  if (p.messageType != null) w.int32Field(6, enumNumber(MESSAGE_TYPE, p.messageType));
  writeTime(w, 7, p.bornTimestamp as Time);
  writeOptionalString(w, 8, p.bornHost);
  writeTime(w, 9, p.storeTimestamp as Time);
  writeOptionalString(w, 10, p.storeHost);
  writeTime(w, 11, p.deliveryTimestamp as Time);
  writeOptionalString(w, 12, p.receiptHandle);
  if (p.queueId != null) w.int32Field(13, p.queueId);
  if (p.queueOffset != null) w.int64Field(14, typeof p.queueOffset === 'object' ? p.queueOffset.toString() : p.queueOffset);
  writeTime(w, 15, p.invisibleDuration as Time);
  if (p.deliveryAttempt != null) w.int32Field(16, p.deliveryAttempt);
  writeOptionalString(w, 17, p.messageGroup);
  writeOptionalString(w, 18, p.traceContext);
  writeTime(w, 19, p.orphanedTransactionRecoveryDuration as Time);
  if (p.deadLetterQueue != null) {
    const d = w.begin(20);
    writeOptionalString(w, 1, p.deadLetterQueue.topic);
    writeOptionalString(w, 2, p.deadLetterQueue.messageId);
    w.end(d);
  }
  writeOptionalString(w, 21, p.liteTopic);
  if (p.priority != null) w.int32Field(22, p.priority);
  w.end(at);
}

/** Reads a Message whose length prefix is next in `r`, in proto-loader's output shape (plus `invalidUtf8`). */
export function readMessage(r: ProtoReader): DecodedMessage {
  const end = r.delimitedEnd();
  const m: DecodedMessage = { topic: null, userProperties: {}, systemProperties: null, body: EMPTY };
  invalidUtf8 = undefined;
  while (r.pos < end) {
    const tag = r.varint();
    switch (tag) {
      case 0x0a:
        m.topic = readResource(r);
        break;
      case 0x12: {
        const [key, value] = readStringPair(r, 'userPropertyKey', 'userPropertyValue');
        // `__proto__` by assignment would set the prototype (a string: ignored) and lose the entry silently.
        if (key === '__proto__') Object.defineProperty(m.userProperties, key, { value, enumerable: true, writable: true, configurable: true });
        else m.userProperties[key] = value;
        break;
      }
      case 0x1a:
        m.systemProperties = readSystemProperties(r);
        break;
      case 0x22:
        m.body = r.bytes();
        break;
      default:
        r.skip(tag & 7);
    }
  }
  r.pos = end;
  if (invalidUtf8 !== undefined) m.invalidUtf8 = invalidUtf8;
  return m;
}

const EMPTY = Buffer.alloc(0);

/** A nested message of two strings, fields 1 and 2: Resource, DeadLetterQueue, a map entry. */
function readStringPair(r: ProtoReader, firstField: InvalidUtf8Field, secondField: InvalidUtf8Field): [string, string] {
  const end = r.delimitedEnd();
  let first = '';
  let second = '';
  while (r.pos < end) {
    const tag = r.varint();
    if (tag === 0x0a) first = str(r, firstField);
    else if (tag === 0x12) second = str(r, secondField);
    else r.skip(tag & 7);
  }
  return [first, second];
}

function readResource(r: ProtoReader): v2.Resource__Output {
  const [resourceNamespace, name] = readStringPair(r, 'resourceNamespace', 'topic');
  return { resourceNamespace, name };
}

function readTime(r: ProtoReader): { seconds: string; nanos: number } {
  const end = r.delimitedEnd();
  const out = { seconds: '0', nanos: 0 };
  while (r.pos < end) {
    const tag = r.varint();
    if (tag === 0x08) out.seconds = r.int64String();
    else if (tag === 0x10) out.nanos = r.int32();
    else r.skip(tag & 7);
  }
  return out;
}

// One case per SystemProperties field in one loop: splitting it would add a call per field on the
// hot path of every send and delivery, so the length rule is waived here only.
// eslint-disable-next-line max-lines-per-function
function readSystemProperties(r: ProtoReader): v2.SystemProperties__Output {
  const end = r.delimitedEnd();
  const p = {
    keys: [] as string[],
    messageId: '',
    bodyDigest: null as v2.Digest__Output | null,
    bodyEncoding: 'ENCODING_UNSPECIFIED' as string,
    messageType: 'MESSAGE_TYPE_UNSPECIFIED' as string,
    bornTimestamp: null as { seconds: string; nanos: number } | null,
    bornHost: '',
    storeHost: '',
    queueId: 0,
  } as Record<string, unknown>;
  const optional = (name: string, value: unknown) => {
    p[name] = value;
    p[`_${name}`] = name;
  };
  while (r.pos < end) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    const delimited = wireType === WIRE_LENGTH_DELIMITED;
    switch (delimited ? field : -field) {
      case 1:
        optional('tag', str(r, 'tag'));
        break;
      case 2:
        (p.keys as string[]).push(str(r, 'keys'));
        break;
      case 3:
        p.messageId = str(r, 'messageId');
        break;
      case 4:
        p.bodyDigest = readDigest(r);
        break;
      case -5:
        p.bodyEncoding = enumName(ENCODING, r.int32());
        break;
      case -6:
        p.messageType = enumName(MESSAGE_TYPE, r.int32());
        break;
      case 7:
        p.bornTimestamp = readTime(r);
        break;
      case 8:
        p.bornHost = str(r, 'bornHost');
        break;
      case 9:
        optional('storeTimestamp', readTime(r));
        break;
      case 10:
        p.storeHost = str(r, 'storeHost');
        break;
      case 11:
        optional('deliveryTimestamp', readTime(r));
        break;
      case 12:
        optional('receiptHandle', str(r, 'receiptHandle'));
        break;
      case -13:
        p.queueId = r.int32();
        break;
      case -14:
        optional('queueOffset', r.int64String());
        break;
      case 15:
        optional('invisibleDuration', readTime(r));
        break;
      case -16:
        optional('deliveryAttempt', r.int32());
        break;
      case 17:
        optional('messageGroup', str(r, 'messageGroup'));
        break;
      case 18:
        optional('traceContext', str(r, 'traceContext'));
        break;
      case 19:
        optional('orphanedTransactionRecoveryDuration', readTime(r));
        break;
      case 20:
        optional('deadLetterQueue', readDeadLetterQueue(r));
        break;
      case 21:
        optional('liteTopic', str(r, 'liteTopic'));
        break;
      case -22:
        optional('priority', r.int32());
        break;
      default:
        r.skip(wireType);
    }
  }
  return p as unknown as v2.SystemProperties__Output;
}

function readDigest(r: ProtoReader): v2.Digest__Output {
  const end = r.delimitedEnd();
  const out: v2.Digest__Output = { type: 'DIGEST_TYPE_UNSPECIFIED', checksum: '' };
  while (r.pos < end) {
    const tag = r.varint();
    if (tag === 0x08) out.type = enumName(DIGEST_TYPE, r.int32()) as v2.Digest__Output['type'];
    else if (tag === 0x12) out.checksum = str(r, 'bodyDigest');
    else r.skip(tag & 7);
  }
  return out;
}

function readDeadLetterQueue(r: ProtoReader): { topic: string; messageId: string } {
  const [topic, messageId] = readStringPair(r, 'deadLetterQueue', 'deadLetterQueue');
  return { topic, messageId };
}
