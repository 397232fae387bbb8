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
import { readInt64, writeInt64 } from './int64';
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

/** Bytes one record takes. */
export function measureMessageExt(fields: MessageExtFields): number {
  const topicBytes = byteLength(fields.topic);
  const hostExtraBytes = (fields.bornHost.ip.length === 16 ? 12 : 0) + (fields.storeHost.ip.length === 16 ? 12 : 0);
  const topicLenBytes = topicBytes > MAX_V1_TOPIC_BYTES ? 2 : 1;
  return FIXED_BEFORE_BODY_BYTES + hostExtraBytes + 4 + fields.body.length + topicLenBytes + topicBytes + 2 + byteLength(fields.properties);
}

function writeHost(buf: Buffer, pos: number, host: HostAddress): number {
  if (host.ip.length !== 4 && host.ip.length !== 16) throw badMessage(`host address of ${host.ip.length} bytes`);
  host.ip.copy(buf, pos);
  return buf.writeInt32BE(host.port, pos + host.ip.length);
}

function writeText(buf: Buffer, pos: number, value: string | Buffer): number {
  return typeof value === 'string' ? pos + buf.write(value, pos, 'utf8') : pos + value.copy(buf, pos);
}

/** Writes one record at `offset` (the buffer must hold measureMessageExt bytes); returns the offset after it. */
export function writeMessageExt(buf: Buffer, offset: number, fields: MessageExtFields): number {
  const totalBytes = measureMessageExt(fields);
  const topicBytes = byteLength(fields.topic);
  const propertiesBytes = byteLength(fields.properties);
  if (topicBytes > 0x7fff) throw badMessage(`topic of ${topicBytes} bytes exceeds the V2 i16 length`);
  if (propertiesBytes > MAX_PROPERTIES_BYTES) throw badMessage(`properties of ${propertiesBytes} bytes exceed the i16 length`);
  if (offset + totalBytes > buf.length) throw new RangeError(`record of ${totalBytes} bytes does not fit at ${offset}`);
  const v2 = topicBytes > MAX_V1_TOPIC_BYTES;
  const sysFlag =
    (fields.sysFlag & ~(MessageSysFlag.BORNHOST_V6 | MessageSysFlag.STOREHOST_V6)) |
    (fields.bornHost.ip.length === 16 ? MessageSysFlag.BORNHOST_V6 : 0) |
    (fields.storeHost.ip.length === 16 ? MessageSysFlag.STOREHOST_V6 : 0);
  let pos = buf.writeInt32BE(totalBytes, offset);
  pos = buf.writeInt32BE(v2 ? MESSAGE_MAGIC_V2 : MESSAGE_MAGIC_V1, pos);
  pos = buf.writeInt32BE(fields.bodyCrc ?? bodyCrc32(fields.body), pos);
  pos = buf.writeInt32BE(fields.queueId, pos);
  pos = buf.writeInt32BE(fields.flag | 0, pos);
  pos = writeInt64(buf, fields.queueOffset, pos);
  pos = writeInt64(buf, fields.commitLogOffset, pos);
  pos = buf.writeInt32BE(sysFlag, pos);
  pos = writeInt64(buf, fields.bornTimestampMs, pos);
  pos = writeHost(buf, pos, fields.bornHost);
  pos = writeInt64(buf, fields.storeTimestampMs, pos);
  pos = writeHost(buf, pos, fields.storeHost);
  pos = buf.writeInt32BE(fields.reconsumeTimes, pos);
  pos = writeInt64(buf, fields.preparedTransactionOffset, pos);
  pos = buf.writeInt32BE(fields.body.length, pos);
  pos += fields.body.copy(buf, pos);
  pos = v2 ? buf.writeInt16BE(topicBytes, pos) : buf.writeInt8(topicBytes, pos);
  pos = writeText(buf, pos, fields.topic);
  pos = buf.writeInt16BE(propertiesBytes, pos);
  return writeText(buf, pos, fields.properties);
}

/** Records back to back in one allocation (a pull response body). */
export function encodeMessageExts(list: readonly MessageExtFields[]): Buffer {
  const sizes = list.map(measureMessageExt);
  const buf = Buffer.allocUnsafe(sizes.reduce((a, b) => a + b, 0));
  let pos = 0;
  for (const fields of list) pos = writeMessageExt(buf, pos, fields);
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
