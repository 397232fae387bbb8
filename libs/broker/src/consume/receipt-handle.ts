import { crc32 } from 'node:zlib';
import { OrbitError } from '@orbitmq/protocol';
import { readU64, writeU64 } from '../message';

/*
 * A receipt handle names one delivery of one message to one group. Opaque to clients:
 * base64url of
 *
 *   u8 version=1 | u32 queueId | u64 queueOffset | u32 nonce | u64 logOffset | u32 size
 *   | u8 brokerNameLen | brokerName | u32 crc32(everything before)
 *
 * The nonce changes on every redelivery and every ChangeInvisibleDuration, so an old handle no
 * longer matches the in-flight entry and is rejected as superseded. The CRC turns garbage into a
 * clear INVALID_RECEIPT_HANDLE instead of a lookup of random offsets.
 */
export interface ReceiptHandle {
  brokerName: string;
  queueId: number;
  queueOffset: number;
  nonce: number;
  logOffset: number;
  size: number;
}

const VERSION = 1;

export function encodeReceiptHandle(h: ReceiptHandle): string {
  const name = Buffer.from(h.brokerName, 'utf8');
  const buf = Buffer.allocUnsafe(30 + name.length + 4);
  buf[0] = VERSION;
  buf.writeUInt32BE(h.queueId, 1);
  writeU64(buf, h.queueOffset, 5);
  buf.writeUInt32BE(h.nonce >>> 0, 13);
  writeU64(buf, h.logOffset, 17);
  buf.writeUInt32BE(h.size, 25);
  buf[29] = name.length;
  name.copy(buf, 30);
  buf.writeUInt32BE(crc32(buf.subarray(0, 30 + name.length)) >>> 0, 30 + name.length);
  return buf.toString('base64url');
}

export function decodeReceiptHandle(text: string): ReceiptHandle {
  const bad = (why: string): never => {
    throw new OrbitError('INVALID_RECEIPT_HANDLE', `receipt handle is malformed (${why})`);
  };
  if (typeof text !== 'string' || text.length === 0 || text.length > 400 || !/^[A-Za-z0-9_-]+$/.test(text)) bad('not a handle this broker issued');
  const buf = Buffer.from(text, 'base64url');
  if (buf.length < 34 || buf[0] !== VERSION) bad('unknown version or too short');
  const nameLen = buf[29] as number;
  if (buf.length !== 34 + nameLen) bad('length');
  if (crc32(buf.subarray(0, 30 + nameLen)) >>> 0 !== buf.readUInt32BE(30 + nameLen)) bad('checksum');
  return {
    queueId: buf.readUInt32BE(1),
    queueOffset: readU64(buf, 5),
    nonce: buf.readUInt32BE(13),
    logOffset: readU64(buf, 17),
    size: buf.readUInt32BE(25),
    brokerName: buf.toString('utf8', 30, 30 + nameLen),
  };
}
