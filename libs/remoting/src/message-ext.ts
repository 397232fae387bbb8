// Stored-message records in RocketMQ's MessageExt layout: the commit-log record, and the body of a
// PULL_MESSAGE response (records back to back). Offsets are for IPv4 hosts; an IPv6 born host
// (sysFlag 0x10) or store host (0x20) takes 16 address bytes instead of 4.
//
//   off  field                        bytes        off  field                          bytes
//   0    TOTALSIZE                    i32          56   STORETIMESTAMP                 i64
//   4    MAGIC V1 0xDAA320A7 | V2 AB  i32          64   STOREHOST ip | port            4 | i32
//   8    BODYCRC (crc32 & 0x7FFFFFFF) i32          72   RECONSUMETIMES                 i32
//   12   QUEUEID                      i32          76   PREPARED TRANSACTION OFFSET    i64
//   16   FLAG                         i32          84   BODYLEN | BODY                 i32 | n
//   20   QUEUEOFFSET                  i64          ..   TOPICLEN | TOPIC               i8 (V2: i16) | n
//   28   PHYSICALOFFSET               i64          ..   PROPSLEN | PROPERTIES          i16 | n
//   36   SYSFLAG                      i32
//   40   BORNTIMESTAMP                i64          fixed part (IPv4, V1) = 91 bytes
//   48   BORNHOST ip | port           4 | i32
//
// Encoding is split into measure + write so a pull response of many records fills one buffer.
import * as zlib from 'node:zlib';
import { MessageSysFlag } from './codes';
import { RemotingProtocolError } from './errors';
import { formatIp, type HostAddress } from './ip';
import { readInt64 } from './int64';
import { createOffsetMsgId } from './message-id';
import { decodeProperties } from './properties';

export const MESSAGE_MAGIC_V1 = 0xdaa320a7 | 0;
export const MESSAGE_MAGIC_V2 = 0xdaa320ab | 0;
/** Topics longer than this (in bytes) need magic V2 and a 2-byte topic length. */
export const MAX_V1_TOPIC_BYTES = 127;
const MAX_PROPERTIES_BYTES = 0x7fff;
/** Bytes of every field before BODY, with two IPv4 hosts. */
const FIXED_BEFORE_BODY_BYTES = 84;

export interface MessageExtFields {
  /** Topic name, or its UTF-8 bytes. */
  topic: string | Buffer;
  queueId: number;
  flag: number;
  queueOffset: number;
  commitLogOffset: number;
  /** MessageSysFlag bits; the IPv6 host bits are set from the host addresses. */
  sysFlag: number;
  bornTimestampMs: number;
  bornHost: HostAddress;
  storeTimestampMs: number;
  storeHost: HostAddress;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  /** The body as stored (already compressed when sysFlag has COMPRESSED). */
  body: Buffer;
  /** Encoded properties (see encodeProperties), as text or UTF-8 bytes. */
  properties: string | Buffer;
  /** CRC as RocketMQ computes it (crc32 & 0x7FFFFFFF); computed from the body when absent. */
  bodyCrc?: number;
}

function byteLength(value: string | Buffer): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
}

function badMessage(message: string): RemotingProtocolError {
  return new RemotingProtocolError('REMOTING_BAD_MESSAGE', message);
}

/** RocketMQ's UtilAll.crc32: a CRC-32 masked to a non-negative int. */
export function bodyCrc32(body: Buffer): number {
  return zlib.crc32(body) & 0x7fffffff;
}

/** A record's byte counts, measured once and used by writeMessageExt. */
export interface MessageExtSizing {
  totalBytes: number;
  topicBytes: number;
  propertiesBytes: number;
}

export function sizeMessageExt(fields: MessageExtFields): MessageExtSizing {
  const topicBytes = byteLength(fields.topic);
  const propertiesBytes = byteLength(fields.properties);
  const hostExtraBytes = (fields.bornHost.ip.length === 16 ? 12 : 0) + (fields.storeHost.ip.length === 16 ? 12 : 0);
  const topicLenBytes = topicBytes > MAX_V1_TOPIC_BYTES ? 2 : 1;
  return {
    totalBytes: FIXED_BEFORE_BODY_BYTES + hostExtraBytes + 4 + fields.body.length + topicLenBytes + topicBytes + 2 + propertiesBytes,
    topicBytes,
    propertiesBytes,
  };
}

/** Bytes one record takes. */
export function measureMessageExt(fields: MessageExtFields): number {
  return sizeMessageExt(fields).totalBytes;
}

/** Short ASCII text is written in a loop: Buffer.write is a native call (~100 ns), two per pulled record. */
const MAX_LOOP_WRITE_CHARS = 128;
const TWO_POW_32 = 0x1_0000_0000;

function writeText(buf: Buffer, pos: number, value: string | Buffer, bytes: number): number {
  if (typeof value !== 'string') return pos + value.copy(buf, pos);
  // As many UTF-8 bytes as UTF-16 units: every unit is below 0x80, i.e. ASCII.
  if (bytes === value.length && bytes <= MAX_LOOP_WRITE_CHARS) {
    for (let i = 0; i < bytes; i++) buf[pos + i] = value.charCodeAt(i);
    return pos + bytes;
  }
  return pos + buf.write(value, pos, bytes, 'utf8');
}

/** A safe integer as a big-endian i64 (two i32 halves: no BigInt). */
function setInt64(dv: DataView, pos: number, value: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`);
  const high = Math.floor(value / TWO_POW_32);
  dv.setInt32(pos, high);
  dv.setUint32(pos + 4, value - high * TWO_POW_32);
  return pos + 8;
}

/** Address bytes one by one (a 4-byte Buffer copy is a native call), then the port. */
function setHost(buf: Buffer, dv: DataView, pos: number, host: HostAddress): number {
  const ip = host.ip;
  if (ip.length !== 4 && ip.length !== 16) throw badMessage(`host address of ${ip.length} bytes`);
  for (let i = 0; i < ip.length; i++) buf[pos + i] = ip[i] as number;
  dv.setInt32(pos + ip.length, host.port);
  return pos + ip.length + 4;
}

function viewOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Writes one record at `offset` (the buffer must hold its totalBytes); returns the offset after
 * it. `sizing` is sizeMessageExt(fields), passed when the caller measured already.
 */
export function writeMessageExt(buf: Buffer, offset: number, fields: MessageExtFields, sizing: MessageExtSizing = sizeMessageExt(fields)): number {
  return writeExt(buf, viewOf(buf), offset, fields, sizing);
}

/** The fixed fields go through a DataView: its setters compile inline, Buffer's write methods are calls. */
function writeExt(buf: Buffer, dv: DataView, offset: number, fields: MessageExtFields, sizing: MessageExtSizing): number {
  const { totalBytes, topicBytes, propertiesBytes } = sizing;
  if (topicBytes > 0x7fff) throw badMessage(`topic of ${topicBytes} bytes exceeds the V2 i16 length`);
  if (propertiesBytes > MAX_PROPERTIES_BYTES) throw badMessage(`properties of ${propertiesBytes} bytes exceed the i16 length`);
  if (offset + totalBytes > buf.length) throw new RangeError(`record of ${totalBytes} bytes does not fit at ${offset}`);
  const v2 = topicBytes > MAX_V1_TOPIC_BYTES;
  const sysFlag =
    (fields.sysFlag & ~(MessageSysFlag.BORNHOST_V6 | MessageSysFlag.STOREHOST_V6)) |
    (fields.bornHost.ip.length === 16 ? MessageSysFlag.BORNHOST_V6 : 0) |
    (fields.storeHost.ip.length === 16 ? MessageSysFlag.STOREHOST_V6 : 0);
  dv.setInt32(offset, totalBytes);
  dv.setInt32(offset + 4, v2 ? MESSAGE_MAGIC_V2 : MESSAGE_MAGIC_V1);
  dv.setInt32(offset + 8, fields.bodyCrc ?? bodyCrc32(fields.body));
  dv.setInt32(offset + 12, fields.queueId);
  dv.setInt32(offset + 16, fields.flag | 0);
  let pos = setInt64(dv, offset + 20, fields.queueOffset);
  pos = setInt64(dv, pos, fields.commitLogOffset);
  dv.setInt32(pos, sysFlag);
  pos = setInt64(dv, pos + 4, fields.bornTimestampMs);
  pos = setHost(buf, dv, pos, fields.bornHost);
  pos = setInt64(dv, pos, fields.storeTimestampMs);
  pos = setHost(buf, dv, pos, fields.storeHost);
  dv.setInt32(pos, fields.reconsumeTimes);
  pos = setInt64(dv, pos + 4, fields.preparedTransactionOffset);
  dv.setInt32(pos, fields.body.length);
  pos += 4;
  pos += fields.body.copy(buf, pos);
  if (v2) {
    dv.setInt16(pos, topicBytes);
    pos += 2;
  } else buf[pos++] = topicBytes;
  pos = writeText(buf, pos, fields.topic, topicBytes);
  dv.setInt16(pos, propertiesBytes);
  return writeText(buf, pos + 2, fields.properties, propertiesBytes);
}

/** Records back to back in one allocation (a pull response body), from `allocate` when given (a BufferPool). */
export function encodeMessageExts(list: readonly MessageExtFields[], allocate: (bytes: number) => Buffer = Buffer.allocUnsafe): Buffer {
  const sizings = list.map(sizeMessageExt);
  let total = 0;
  for (const z of sizings) total += z.totalBytes;
  const buf = allocate(total);
  const dv = viewOf(buf);
  let pos = 0;
  for (let i = 0; i < list.length; i++) pos = writeExt(buf, dv, pos, list[i] as MessageExtFields, sizings[i] as MessageExtSizing);
  return buf;
}

/** A decoded record. */
export interface MessageExt {
  storeSize: number;
  magic: 'V1' | 'V2';
  bodyCrc: number;
  topic: string;
  queueId: number;
  flag: number;
  queueOffset: number;
  commitLogOffset: number;
  sysFlag: number;
  bornTimestampMs: number;
  bornHost: { host: string; port: number };
  storeTimestampMs: number;
  storeHost: { host: string; port: number };
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  /** A view of the input unless inflated. */
  body: Buffer;
  properties: Map<string, string>;
  /** Made from the store host and commit-log offset, as MessageDecoder does. */
  offsetMsgId: string;
}

export interface DecodeMessageExtOptions {
  /** Inflate zlib-compressed bodies and clear the COMPRESSED bit (default false). */
  inflate?: boolean;
  /** Reject records whose BODYCRC does not match (default false, like the Java client). */
  checkCrc?: boolean;
}

/** Bounds-checked reading of one record. */
class RecordReader {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly end: number,
  ) {}
  need(bytes: number, what: string): number {
    if (bytes < 0 || this.pos + bytes > this.end) throw badMessage(`record at ${this.pos} ends inside ${what}`);
    const at = this.pos;
    this.pos += bytes;
    return at;
  }
  i8 = (what: string): number => this.buf.readInt8(this.need(1, what));
  i16 = (what: string): number => this.buf.readInt16BE(this.need(2, what));
  i32 = (what: string): number => this.buf.readInt32BE(this.need(4, what));
  i64 = (what: string): number => readInt64(this.buf, this.need(8, what), 'REMOTING_BAD_MESSAGE', what);
  bytes = (length: number, what: string): Buffer => this.buf.subarray(this.need(length, what), this.pos);
  host = (v6: boolean, what: string): { ip: Buffer; port: number } => ({ ip: this.bytes(v6 ? 16 : 4, what), port: this.i32(what) });
}

function inflateBody(body: Buffer, sysFlag: number): Buffer {
  const type = (sysFlag & MessageSysFlag.COMPRESSION_TYPE_MASK) >> 8;
  if (type !== 0 && type !== 3) throw new RemotingProtocolError('REMOTING_UNSUPPORTED_COMPRESSION', `compression type ${type} is not zlib`);
  try {
    return zlib.inflateSync(body);
  } catch (e) {
    throw badMessage(`compressed body does not inflate: ${(e as Error).message}`);
  }
}

function decodeOne(buf: Buffer, start: number, options: DecodeMessageExtOptions): MessageExt {
  if (start + 8 > buf.length) throw badMessage(`${buf.length - start} bytes at ${start} are too few for a record`);
  const storeSize = buf.readInt32BE(start);
  const end = start + storeSize;
  if (storeSize < FIXED_BEFORE_BODY_BYTES + 7 || end > buf.length)
    throw badMessage(`record at ${start} has TOTALSIZE ${storeSize}, ${buf.length - start} bytes left`);
  const r = new RecordReader(buf, start + 4, end);
  const magicCode = r.i32('MAGIC');
  if (magicCode !== MESSAGE_MAGIC_V1 && magicCode !== MESSAGE_MAGIC_V2) throw badMessage(`record at ${start} has magic 0x${(magicCode >>> 0).toString(16)}`);
  const bodyCrc = r.i32('BODYCRC');
  const queueId = r.i32('QUEUEID');
  const flag = r.i32('FLAG');
  const queueOffset = r.i64('QUEUEOFFSET');
  const commitLogOffset = r.i64('PHYSICALOFFSET');
  let sysFlag = r.i32('SYSFLAG');
  const bornTimestampMs = r.i64('BORNTIMESTAMP');
  const bornHost = r.host((sysFlag & MessageSysFlag.BORNHOST_V6) !== 0, 'BORNHOST');
  const storeTimestampMs = r.i64('STORETIMESTAMP');
  const storeHost = r.host((sysFlag & MessageSysFlag.STOREHOST_V6) !== 0, 'STOREHOST');
  const reconsumeTimes = r.i32('RECONSUMETIMES');
  const preparedTransactionOffset = r.i64('PREPARED TRANSACTION OFFSET');
  let body = r.bytes(r.i32('BODYLEN'), 'BODY');
  const topicLength = magicCode === MESSAGE_MAGIC_V2 ? r.i16('TOPICLEN') : r.i8('TOPICLEN');
  const topic = r.bytes(topicLength, 'TOPIC').toString('utf8');
  const properties = decodeProperties(r.bytes(r.i16('PROPSLEN'), 'PROPERTIES'));
  if (r.pos !== end) throw badMessage(`record at ${start} has ${end - r.pos} bytes after its properties`);
  if (options.checkCrc && bodyCrc32(body) !== bodyCrc) throw badMessage(`record at ${start} fails its body CRC`);
  if (options.inflate && (sysFlag & MessageSysFlag.COMPRESSED) !== 0) {
    body = inflateBody(body, sysFlag);
    sysFlag &= ~MessageSysFlag.COMPRESSED;
  }
  return {
    storeSize,
    magic: magicCode === MESSAGE_MAGIC_V2 ? 'V2' : 'V1',
    bodyCrc,
    topic,
    queueId,
    flag,
    queueOffset,
    commitLogOffset,
    sysFlag,
    bornTimestampMs,
    bornHost: { host: formatIp(bornHost.ip), port: bornHost.port },
    storeTimestampMs,
    storeHost: { host: formatIp(storeHost.ip), port: storeHost.port },
    reconsumeTimes,
    preparedTransactionOffset,
    body,
    properties,
    offsetMsgId: createOffsetMsgId(storeHost.ip, storeHost.port, commitLogOffset),
  };
}

/** Decodes records back to back; any inconsistency rejects the whole buffer. */
export function decodeMessageExts(buf: Buffer, options: DecodeMessageExtOptions = {}): MessageExt[] {
  const out: MessageExt[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const record = decodeOne(buf, pos, options);
    out.push(record);
    pos += record.storeSize;
  }
  return out;
}
