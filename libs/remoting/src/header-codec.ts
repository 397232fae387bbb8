// The two header encodings of a remoting frame: JSON (serialize type 0, RemotingSerializable/fastjson)
// and ROCKETMQ binary (serialize type 1, RocketMQSerializable). Both carry the same fields.
import { languageFromByte, languageToByte } from './codes';
import type { RemotingCommand } from './command';
import { RemotingProtocolError } from './errors';

/** What a header carries: a command without its body and encoding. */
export type HeaderFields = Omit<RemotingCommand, 'body' | 'serializeType'>;

// ---------------------------------------------------------------------------------------------
// JSON header: {"code":310,"language":"JAVA","version":401,"opaque":7,"flag":0,"remark":"…",
//               "extFields":{"a":"group",…},"serializeTypeCurrentRPC":"JSON"}
// fastjson converts any JSON scalar into the String-typed extFields values; ali-ons relies on that
// ("queueId":3), so numbers and booleans are coerced to strings here too.
// ---------------------------------------------------------------------------------------------

/** The JSON header text. `extFields` is always present: Java's send path reads it without a null check. */
export function jsonHeaderText(cmd: RemotingCommand): string {
  const header: Record<string, unknown> = { code: cmd.code, language: cmd.language, version: cmd.version, opaque: cmd.opaque, flag: cmd.flag };
  if (cmd.remark !== undefined) header['remark'] = cmd.remark;
  header['extFields'] = cmd.extFields ?? {};
  header['serializeTypeCurrentRPC'] = 'JSON';
  return JSON.stringify(header);
}

export function encodeJsonHeader(cmd: RemotingCommand): Buffer {
  return Buffer.from(jsonHeaderText(cmd), 'utf8');
}

function badHeader(message: string): RemotingProtocolError {
  return new RemotingProtocolError('REMOTING_BAD_HEADER', message);
}

function intField(header: Record<string, unknown>, name: string, fallback: number | undefined): number {
  const raw = header[name];
  if (raw === undefined || raw === null) {
    if (fallback === undefined) throw badHeader(`JSON header has no ${name}`);
    return fallback;
  }
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff) {
    throw badHeader(`JSON header field ${name} is not an int: ${JSON.stringify(raw)}`);
  }
  return value | 0;
}

/** A custom-header value as fastjson would store it in a String field; undefined drops the field. */
function coerceExtValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function decodeExtFields(raw: unknown): Record<string, string> {
  const ext: Record<string, string> = {};
  if (raw === undefined || raw === null) return ext;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badHeader('JSON header extFields is not an object');
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const text = coerceExtValue(value);
    // "__proto__" would replace the record's prototype instead of adding a field.
    if (text !== undefined && key !== '__proto__') ext[key] = text;
  }
  return ext;
}

export function decodeJsonHeader(bytes: Buffer): HeaderFields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw badHeader(`JSON header does not parse: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badHeader('JSON header is not an object');
  const header = parsed as Record<string, unknown>;
  const language = header['language'];
  const fields: HeaderFields = {
    code: intField(header, 'code', undefined),
    language: typeof language === 'number' ? languageFromByte(language) : typeof language === 'string' ? language : 'JAVA',
    version: intField(header, 'version', 0),
    opaque: intField(header, 'opaque', 0),
    flag: intField(header, 'flag', 0),
    extFields: decodeExtFields(header['extFields']),
  };
  const remark = header['remark'];
  if (remark !== undefined && remark !== null) fields.remark = String(remark);
  return fields;
}

// ---------------------------------------------------------------------------------------------
// ROCKETMQ binary header, big-endian:
//
//   0      2    3        5         9        13           17              17+r        21+r
//   +------+----+--------+---------+--------+------------+---------------+-----------+--------------+
//   | code |lang| version| opaque  | flag   | remarkLen r| remark (utf8) | extLen e  | ext (e bytes)|
//   | i16  | i8 | i16    | i32     | i32    | i32        |               | i32       |              |
//   +------+----+--------+---------+--------+------------+---------------+-----------+--------------+
//   ext = repeat { i16 keyLen | key | i32 valLen | val }
//
// A length of 0 reads as null in Java: an empty remark is absent, and so is an ext entry with an
// empty key or value (Java keeps the key with a null value, which reads the same as absent).
// ---------------------------------------------------------------------------------------------

const BINARY_FIXED_BYTES = 2 + 1 + 2 + 4 + 4 + 4 + 4;

function checkShort(value: number, name: string): void {
  if (!Number.isInteger(value) || value < -0x8000 || value > 0x7fff) throw badHeader(`${name} ${value} does not fit the binary header's i16`);
}

/** Bytes the binary header of `cmd` takes. */
export function measureBinaryHeader(cmd: RemotingCommand): number {
  let bytes = BINARY_FIXED_BYTES + (cmd.remark ? Buffer.byteLength(cmd.remark, 'utf8') : 0);
  for (const key in cmd.extFields) {
    const value = cmd.extFields[key];
    if (value === undefined || value === null) continue;
    bytes += 2 + Buffer.byteLength(key, 'utf8') + 4 + Buffer.byteLength(String(value), 'utf8');
  }
  return bytes;
}

/** Writes the binary header of `cmd` at `offset`; returns the offset after it. */
export function writeBinaryHeader(buf: Buffer, offset: number, cmd: RemotingCommand): number {
  checkShort(cmd.code, 'code');
  checkShort(cmd.version, 'version');
  let pos = buf.writeInt16BE(cmd.code, offset);
  pos = buf.writeUInt8(languageToByte(cmd.language), pos);
  pos = buf.writeInt16BE(cmd.version, pos);
  pos = buf.writeInt32BE(cmd.opaque | 0, pos);
  pos = buf.writeInt32BE(cmd.flag | 0, pos);
  const remarkLen = cmd.remark ? buf.write(cmd.remark, pos + 4, 'utf8') : 0;
  pos = buf.writeInt32BE(remarkLen, pos) + remarkLen;
  const extStart = pos + 4;
  pos = extStart;
  for (const key in cmd.extFields) {
    const value = cmd.extFields[key];
    if (value === undefined || value === null) continue;
    const keyLen = buf.write(key, pos + 2, 'utf8');
    if (keyLen > 0x7fff) throw badHeader(`extFields key of ${keyLen} bytes does not fit an i16 length`);
    buf.writeInt16BE(keyLen, pos);
    pos += 2 + keyLen;
    const valLen = buf.write(String(value), pos + 4, 'utf8');
    pos = buf.writeInt32BE(valLen, pos) + valLen;
  }
  buf.writeInt32BE(pos - extStart, extStart - 4);
  return pos;
}

export function encodeBinaryHeader(cmd: RemotingCommand): Buffer {
  const buf = Buffer.allocUnsafe(measureBinaryHeader(cmd));
  writeBinaryHeader(buf, 0, cmd);
  return buf;
}

/** Reads a length-prefixed string that must end by `end`; '' for length 0. */
function readString(buf: Buffer, pos: number, lenBytes: 2 | 4, end: number, what: string): [string, number] {
  if (pos + lenBytes > end) throw badHeader(`binary header ends inside the length of ${what}`);
  const len = lenBytes === 2 ? buf.readInt16BE(pos) : buf.readInt32BE(pos);
  const start = pos + lenBytes;
  if (len < 0 || start + len > end) throw badHeader(`binary header ${what} length ${len} runs past the header end (${end - start} bytes left)`);
  return [len === 0 ? '' : buf.toString('utf8', start, start + len), start + len];
}

export function decodeBinaryHeader(buf: Buffer): HeaderFields {
  const end = buf.length;
  if (end < BINARY_FIXED_BYTES) throw badHeader(`binary header of ${end} bytes is shorter than its fixed ${BINARY_FIXED_BYTES}`);
  const fields: HeaderFields = {
    code: buf.readInt16BE(0),
    language: languageFromByte(buf.readUInt8(2)),
    version: buf.readInt16BE(3),
    opaque: buf.readInt32BE(5),
    flag: buf.readInt32BE(9),
    extFields: {},
  };
  const [remark, afterRemark] = readString(buf, 13, 4, end, 'remark');
  if (remark !== '') fields.remark = remark;
  if (afterRemark + 4 > end) throw badHeader('binary header ends before its extFields length');
  const extLen = buf.readInt32BE(afterRemark);
  let pos = afterRemark + 4;
  const extEnd = pos + extLen;
  if (extLen < 0 || extEnd !== end) throw badHeader(`binary header extFields length ${extLen} does not end at the header end (${end - pos} bytes left)`);
  while (pos < extEnd) {
    const [key, afterKey] = readString(buf, pos, 2, extEnd, 'extFields key');
    const [value, afterValue] = readString(buf, afterKey, 4, extEnd, 'extFields value');
    if (key !== '' && value !== '' && key !== '__proto__') fields.extFields[key] = value;
    pos = afterValue;
  }
  return fields;
}
