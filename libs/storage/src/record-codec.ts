import { crc32 } from 'node:zlib';
import { crc32Combine } from './crc32-combine';
import { KEY_SEPARATOR } from './limits';
import { readU64, writeU64 } from './u64';

/*
 * Commit-log record, all integers big-endian. One record per message; records never span
 * segments (see BLANK below).
 *
 *   0        4        8        12       16       20                28                36
 *   +--------+--------+--------+--------+--------+-----------------+-----------------+
 *   | total  | magic  | crc32  | queue  | sys    | queueOffset u64 | physOffset u64  |
 *   | size   | ORB1   | 12..end| id     | flag   |                 |                 |
 *   +--------+--------+--------+--------+--------+-----------------+-----------------+
 *   36                44                52       56
 *   +-----------------+-----------------+--------+
 *   | bornTimeMs u64  | storeTimeMs u64 | recons |
 *   |                 |                 | times  |
 *   +-----------------+-----------------+--------+
 *   56: topicLen u8   | topic (utf8)
 *       msgIdLen u8   | messageId (utf8, the client's id; the msg-id index points here)
 *       tagLen u16    | tag (utf8)
 *       keysLen u16   | keys (utf8, joined by U+0001)
 *       propsLen u32  | properties (opaque bytes, the broker's encoding)
 *       bodyLen u32   | body
 *
 * crc32 covers bytes [12, totalSize), so a torn write anywhere after the header fails the check,
 * and totalSize/magic catch a torn header. physOffset lets recovery and replicas verify that a
 * record sits where it claims, which a copy shifted by a few bytes would not.
 *
 * End-of-segment BLANK: when a record (plus 8 spare bytes) does not fit in the rest of a segment,
 * the writer puts `totalSize = remaining bytes, magic = BLANK` there and moves to the next segment.
 *
 *   +--------+--------+
 *   | remain | BLANK  |     (the rest of the segment is not written)
 *   +--------+--------+
 */
const RECORD_MAGIC = 0x4f524231; // 'ORB1'
export const BLANK_MAGIC = 0x454f4621; // 'EOF!'
export const BLANK_BYTES = 8;
const RECORD_FIXED_BYTES = 56;
/** Fixed header plus the six length prefixes. */
export const RECORD_MIN_BYTES = RECORD_FIXED_BYTES + 1 + 1 + 2 + 2 + 4 + 4;

const CRC_FROM = 12;
/** Where physOffset sits in the header (see the layout above). */
const PHYS_OFFSET_AT = 28;

/** What a caller appends. Strings are validated by MessageStore before they reach the codec. */
export interface AppendMessage {
  topic: string;
  queueId: number;
  /** Opaque bit flags for the broker (message type, transaction state, ...). */
  sysFlag?: number;
  bornTimestampMs: number;
  reconsumeTimes?: number;
  messageId: string;
  tag?: string;
  keys?: readonly string[];
  properties?: Buffer;
  body: Buffer;
}

/** A record decoded from the log. Buffers are views into the read buffer: copy to keep long. */
export interface StoredRecord {
  totalSize: number;
  queueId: number;
  sysFlag: number;
  queueOffset: number;
  physicalOffset: number;
  bornTimestampMs: number;
  storeTimestampMs: number;
  reconsumeTimes: number;
  topic: string;
  messageId: string;
  tag: string;
  keys: string[];
  properties: Buffer;
  body: Buffer;
  /** CRC-32 (zlib) of the body, a by-product of a verified read (undefined when not verified). */
  bodyCrc32: number | undefined;
}

const EMPTY = Buffer.alloc(0);

/** Byte lengths of the variable parts, computed once per append and reused by encode. */
export interface RecordSizing {
  topicBytes: number;
  messageIdBytes: number;
  tagBytes: number;
  keysJoined: string;
  keysBytes: number;
  totalSize: number;
}

export function sizeRecord(msg: AppendMessage): RecordSizing {
  const keysJoined = msg.keys && msg.keys.length > 0 ? msg.keys.join(KEY_SEPARATOR) : '';
  const topicBytes = Buffer.byteLength(msg.topic, 'utf8');
  const messageIdBytes = Buffer.byteLength(msg.messageId, 'utf8');
  const tagBytes = msg.tag ? Buffer.byteLength(msg.tag, 'utf8') : 0;
  const keysBytes = keysJoined.length > 0 ? Buffer.byteLength(keysJoined, 'utf8') : 0;
  const totalSize = RECORD_MIN_BYTES + topicBytes + messageIdBytes + tagBytes + keysBytes + (msg.properties?.length ?? 0) + msg.body.length;
  return { topicBytes, messageIdBytes, tagBytes, keysJoined, keysBytes, totalSize };
}

/**
 * Encodes one record into `buf` at `at` (the caller reserved sizing.totalSize bytes there).
 * Writes straight into the batch buffer: no intermediate copies of body or properties.
 */
export function encodeRecord(
  buf: Buffer,
  at: number,
  msg: AppendMessage,
  sizing: RecordSizing,
  queueOffset: number,
  physicalOffset: number,
  storeTimestampMs: number,
): void {
  const end = at + sizing.totalSize;
  buf.writeUInt32BE(sizing.totalSize, at);
  buf.writeUInt32BE(RECORD_MAGIC, at + 4);
  buf.writeUInt32BE(msg.queueId, at + 12);
  buf.writeUInt32BE((msg.sysFlag ?? 0) >>> 0, at + 16);
  writeU64(buf, queueOffset, at + 20);
  writeU64(buf, physicalOffset, at + PHYS_OFFSET_AT);
  writeU64(buf, msg.bornTimestampMs, at + 36);
  writeU64(buf, storeTimestampMs, at + 44);
  buf.writeUInt32BE((msg.reconsumeTimes ?? 0) >>> 0, at + 52);
  let p = at + RECORD_FIXED_BYTES;
  buf[p++] = sizing.topicBytes;
  p += buf.write(msg.topic, p, sizing.topicBytes, 'utf8');
  buf[p++] = sizing.messageIdBytes;
  p += buf.write(msg.messageId, p, sizing.messageIdBytes, 'utf8');
  buf.writeUInt16BE(sizing.tagBytes, p);
  p += 2;
  if (sizing.tagBytes > 0) p += buf.write(msg.tag as string, p, sizing.tagBytes, 'utf8');
  buf.writeUInt16BE(sizing.keysBytes, p);
  p += 2;
  if (sizing.keysBytes > 0) p += buf.write(sizing.keysJoined, p, sizing.keysBytes, 'utf8');
  const props = msg.properties ?? EMPTY;
  buf.writeUInt32BE(props.length, p);
  p += 4;
  p += props.copy(buf, p);
  buf.writeUInt32BE(msg.body.length, p);
  p += 4;
  p += msg.body.copy(buf, p);
  if (p !== end) throw new Error(`record encode wrote ${p - at} bytes, sized ${sizing.totalSize}`);
  buf.writeUInt32BE(crc32(buf.subarray(at + CRC_FROM, end)) >>> 0, at + 8);
}

export function encodeBlank(buf: Buffer, at: number, remainingBytes: number): void {
  buf.writeUInt32BE(remainingBytes, at);
  buf.writeUInt32BE(BLANK_MAGIC, at + 4);
}

/** Outcome of looking at the bytes at one position: a record, a blank, or why neither. */
type Peek =
  | { kind: 'record'; totalSize: number; bodyCrc32: number | undefined }
  | { kind: 'blank'; totalSize: number }
  | { kind: 'incomplete'; needBytes: number }
  | { kind: 'corrupt'; reason: string };

/**
 * Checks the record at `at` without decoding its fields: magic, size bounds and CRC. `available`
 * is how many bytes after `at` are in `buf`; `maxRecordBytes` bounds a plausible size so a torn
 * size field cannot make recovery read gigabytes.
 */
export function peekRecord(buf: Buffer, at: number, available: number, maxRecordBytes: number): Peek {
  if (available < BLANK_BYTES) return { kind: 'incomplete', needBytes: BLANK_BYTES };
  const totalSize = buf.readUInt32BE(at);
  const magic = buf.readUInt32BE(at + 4);
  if (magic === BLANK_MAGIC) {
    return totalSize >= BLANK_BYTES ? { kind: 'blank', totalSize } : { kind: 'corrupt', reason: 'blank size too small' };
  }
  if (magic !== RECORD_MAGIC) return { kind: 'corrupt', reason: `bad magic 0x${magic.toString(16)}` };
  if (totalSize < RECORD_MIN_BYTES || totalSize > maxRecordBytes) {
    return { kind: 'corrupt', reason: `implausible size ${totalSize}` };
  }
  if (available < totalSize) return { kind: 'incomplete', needBytes: totalSize };
  const stored = buf.readUInt32BE(at + 8);
  const end = at + totalSize;
  const bodyAt = bodyStartOf(buf, at, end);
  let actual: number;
  let bodyCrc32: number | undefined;
  if (bodyAt === undefined) {
    actual = crc32(buf.subarray(at + CRC_FROM, end)) >>> 0; // lengths do not add up: the CRC decides
  } else {
    bodyCrc32 = crc32(buf.subarray(bodyAt, end)) >>> 0;
    actual = crc32Combine(crc32(buf.subarray(at + CRC_FROM, bodyAt)), bodyCrc32, end - bodyAt);
  }
  if (stored !== actual) return { kind: 'corrupt', reason: 'crc mismatch' };
  return { kind: 'record', totalSize, bodyCrc32 };
}

/** Where the body of the record in [at, end) starts, if its length fields add up to `end`. */
function bodyStartOf(buf: Buffer, at: number, end: number): number | undefined {
  let p = at + RECORD_FIXED_BYTES;
  p += 1 + (buf[p] as number); // topic (RECORD_MIN_BYTES: its length byte is inside the record)
  if (p + 1 > end) return undefined;
  p += 1 + (buf[p] as number); // message id
  if (p + 2 > end) return undefined;
  p += 2 + buf.readUInt16BE(p); // tag
  if (p + 2 > end) return undefined;
  p += 2 + buf.readUInt16BE(p); // keys
  if (p + 4 > end) return undefined;
  p += 4 + buf.readUInt32BE(p); // properties
  if (p + 4 > end) return undefined;
  const bodyBytes = buf.readUInt32BE(p);
  return p + 4 + bodyBytes === end ? p + 4 : undefined;
}

/**
 * Checks that the record at `at` (already accepted by peekRecord) is the one stored at log offset
 * `expectedOffset`: a copy shifted by a few bytes passes the CRC but claims another physOffset.
 * Returns why not, or undefined when it is.
 */
export function checkRecordAt(buf: Buffer, at: number, expectedOffset: number): string | undefined {
  const claimedOffset = readU64(buf, at + PHYS_OFFSET_AT);
  return claimedOffset === expectedOffset ? undefined : `record at ${expectedOffset} claims offset ${claimedOffset}`;
}

/** Decodes a record already checked by peekRecord (which gives its body CRC). Throws RangeError on inconsistent lengths. */
export function decodeRecord(buf: Buffer, at: number, bodyCrc32?: number): StoredRecord {
  const totalSize = buf.readUInt32BE(at);
  const end = at + totalSize;
  let p = at + RECORD_FIXED_BYTES;
  const topicLen = buf[p++] as number;
  const topic = buf.toString('utf8', p, p + topicLen);
  p += topicLen;
  const idLen = buf[p++] as number;
  const messageId = buf.toString('utf8', p, p + idLen);
  p += idLen;
  const tagLen = buf.readUInt16BE(p);
  p += 2;
  const tag = buf.toString('utf8', p, p + tagLen);
  p += tagLen;
  const keysLen = buf.readUInt16BE(p);
  p += 2;
  const keys = keysLen > 0 ? buf.toString('utf8', p, p + keysLen).split(KEY_SEPARATOR) : [];
  p += keysLen;
  const propsLen = buf.readUInt32BE(p);
  p += 4;
  const properties = buf.subarray(p, p + propsLen);
  p += propsLen;
  const bodyLen = buf.readUInt32BE(p);
  p += 4;
  const body = buf.subarray(p, p + bodyLen);
  p += bodyLen;
  if (p !== end) throw new RangeError(`record lengths add up to ${p - at}, header says ${totalSize}`);
  const r = new DecodedRecord(topic, messageId, tag, keys, properties, body);
  r.totalSize = totalSize;
  r.queueId = buf.readUInt32BE(at + 12);
  r.sysFlag = buf.readUInt32BE(at + 16);
  r.queueOffset = readU64(buf, at + 20);
  r.physicalOffset = readU64(buf, at + PHYS_OFFSET_AT);
  r.bornTimestampMs = readU64(buf, at + 36);
  r.storeTimestampMs = readU64(buf, at + 44);
  r.reconsumeTimes = buf.readUInt32BE(at + 52);
  r.bodyCrc32 = bodyCrc32;
  return r;
}

/**
 * Decoded records are class instances, not object literals: with a literal, V8 sometimes (one
 * broker run in two) sent every record's allocation through its slow path once a field's number
 * representation changed (15 % of a W3 read's main thread in `return {`, seen with --cpu-prof and
 * --trace-deopt), where a constructor's objects just move to the new shape.
 */
class DecodedRecord implements StoredRecord {
  totalSize = 0;
  queueId = 0;
  sysFlag = 0;
  queueOffset = 0;
  physicalOffset = 0;
  bornTimestampMs = 0;
  storeTimestampMs = 0;
  reconsumeTimes = 0;
  bodyCrc32: number | undefined = undefined;

  constructor(
    readonly topic: string,
    readonly messageId: string,
    readonly tag: string,
    readonly keys: string[],
    readonly properties: Buffer,
    readonly body: Buffer,
  ) {}
}

/** What the dispatcher needs from a record (properties are a view for dispatch extensions). */
interface IndexFields {
  topic: string;
  queueId: number;
  queueOffset: number;
  physicalOffset: number;
  storeTimestampMs: number;
  sysFlag: number;
  messageId: string;
  tag: string;
  keys: string[];
  properties: Buffer;
  totalSize: number;
}

export function decodeIndexFields(buf: Buffer, at: number): IndexFields {
  const r = decodeRecord(buf, at);
  return {
    topic: r.topic,
    queueId: r.queueId,
    queueOffset: r.queueOffset,
    physicalOffset: r.physicalOffset,
    storeTimestampMs: r.storeTimestampMs,
    sysFlag: r.sysFlag,
    messageId: r.messageId,
    tag: r.tag,
    keys: r.keys,
    properties: r.properties,
    totalSize: r.totalSize,
  };
}
