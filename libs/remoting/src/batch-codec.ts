// The body of SEND_BATCH_MESSAGE (320): messages back to back (MessageDecoder.encodeMessage/decodeMessages).
//
//   off  field        bytes
//   0    TOTALSIZE    i32   = 22 + bodyLen + propsLen
//   4    MAGIC        i32   0 (unused)
//   8    BODYCRC      i32   0 (unused)
//   12   FLAG         i32
//   16   BODYLEN      i32
//   20   BODY         bodyLen
//   ..   PROPSLEN     i16
//   ..   PROPERTIES   propsLen (k\x01v\x02 ...)
import { RemotingProtocolError } from './errors';
import { decodeProperties } from './properties';

const FIXED_BYTES = 4 + 4 + 4 + 4 + 4 + 2;
const MAX_PROPERTIES_BYTES = 0x7fff;

export interface BatchMessageInput {
  flag?: number;
  body: Buffer;
  /** Encoded properties (see encodeProperties), as text or UTF-8 bytes. */
  properties: string | Buffer;
}

export interface BatchMessage {
  flag: number;
  /** A view of the request body. */
  body: Buffer;
  properties: Map<string, string>;
}

/** A batch entry with its properties still encoded (the broker maps them without a Map per message). */
export interface RawBatchMessage {
  flag: number;
  /** A view of the request body. */
  body: Buffer;
  /** A view of the request body: name \x01 value \x02 ... */
  properties: Buffer;
}

export interface BatchLimits {
  maxMessages: number;
  /** Largest single message body. */
  maxBodyBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxMessages: 1024, maxBodyBytes: 4 * 1024 * 1024 };

function badBatch(message: string): RemotingProtocolError {
  return new RemotingProtocolError('REMOTING_BAD_BATCH', message);
}

/** Client side: one buffer for the whole batch. */
export function encodeBatch(messages: readonly BatchMessageInput[]): Buffer {
  const props = messages.map((m) => (typeof m.properties === 'string' ? Buffer.from(m.properties, 'utf8') : m.properties));
  let totalBytes = 0;
  messages.forEach((m, i) => {
    const propsBytes = (props[i] as Buffer).length;
    if (propsBytes > MAX_PROPERTIES_BYTES) throw badBatch(`message ${i}: properties of ${propsBytes} bytes exceed the i16 length`);
    totalBytes += FIXED_BYTES + m.body.length + propsBytes;
  });
  const buf = Buffer.allocUnsafe(totalBytes);
  let pos = 0;
  messages.forEach((m, i) => {
    const p = props[i] as Buffer;
    pos = buf.writeInt32BE(FIXED_BYTES + m.body.length + p.length, pos);
    pos = buf.writeInt32BE(0, pos);
    pos = buf.writeInt32BE(0, pos);
    pos = buf.writeInt32BE((m.flag ?? 0) | 0, pos);
    pos = buf.writeInt32BE(m.body.length, pos);
    pos += m.body.copy(buf, pos);
    pos = buf.writeInt16BE(p.length, pos);
    pos += p.copy(buf, pos);
  });
  return buf;
}

/** Broker side: every size is checked against TOTALSIZE and the buffer before anything is read. */
export function decodeBatch(buf: Buffer, limits: BatchLimits = DEFAULT_BATCH_LIMITS): BatchMessage[] {
  return decodeBatchRaw(buf, limits).map((m) => ({ flag: m.flag, body: m.body, properties: decodeProperties(m.properties) }));
}

/** decodeBatch without parsing the properties. */
export function decodeBatchRaw(buf: Buffer, limits: BatchLimits = DEFAULT_BATCH_LIMITS): RawBatchMessage[] {
  const out: RawBatchMessage[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (out.length >= limits.maxMessages) throw badBatch(`batch holds more than ${limits.maxMessages} messages`);
    if (pos + FIXED_BYTES > buf.length) throw badBatch(`message ${out.length} at ${pos}: ${buf.length - pos} bytes are too few`);
    const totalBytes = buf.readInt32BE(pos);
    const end = pos + totalBytes;
    if (totalBytes < FIXED_BYTES || end > buf.length) throw badBatch(`message ${out.length}: TOTALSIZE ${totalBytes} with ${buf.length - pos} bytes left`);
    const flag = buf.readInt32BE(pos + 12);
    const bodyBytes = buf.readInt32BE(pos + 16);
    if (bodyBytes < 0 || bodyBytes > limits.maxBodyBytes) throw badBatch(`message ${out.length}: body of ${bodyBytes} bytes (limit ${limits.maxBodyBytes})`);
    if (pos + 20 + bodyBytes + 2 > end) throw badBatch(`message ${out.length}: body of ${bodyBytes} bytes overruns TOTALSIZE ${totalBytes}`);
    const body = buf.subarray(pos + 20, pos + 20 + bodyBytes);
    const propsAt = pos + 20 + bodyBytes;
    const propsBytes = buf.readInt16BE(propsAt);
    if (propsBytes < 0 || propsAt + 2 + propsBytes !== end) {
      throw badBatch(`message ${out.length}: properties of ${propsBytes} bytes do not end at TOTALSIZE ${totalBytes}`);
    }
    out.push({ flag, body, properties: buf.subarray(propsAt + 2, end) });
    pos = end;
  }
  return out;
}
