import { isUtf8 } from 'node:buffer';
import { type ErrorCode, OrbitError } from '../error-table';
import { ProtoReader } from './proto-reader';
import type { StringField, StringPlan } from './string-plan';

/*
 * Requests that protobufjs decodes (every MessagingService request but SendMessage) are checked
 * before it sees them: protobufjs turns invalid UTF-8 into U+FFFD silently, protobuf-java (what
 * RocketMQ's proxy runs on) refuses it. A walk over the raw bytes, led by the type's StringPlan,
 * runs isUtf8 on every string field, nested, repeated and map ones included.
 *
 * What the client sees. A deserializer that throws makes grpc-js answer gRPC INTERNAL with the
 * fixed text "Error deserializing request" (the reason only with GRPC_NODE_DEBUG_SEND_ERROR_DETAILS):
 * a server fault by its name, no field named. The Java proxy answers INTERNAL "Invalid protobuf
 * byte sequence" in the same case, no better. So the deserializer throws nothing: it returns a
 * stand-in request (undecodableRequest) carrying an OrbitError with the field's code and path,
 * and the broker answers it like any other refused request, a Status inside an OK response
 * (a stream: one status frame). RocketMQ clients turn that Status into their typed exception for
 * the code (BadRequestException for 400xx) carrying our message, where a gRPC error reaches them
 * as a bare transport failure; it is also what SendMessage answers for the same fault. The
 * stand-in has no fields at all, so a handler that forgot to look would fail its own checks,
 * never act on a repaired string.
 */

export interface Utf8Finding {
  /** The field's path below the request type, e.g. `group.name`, `entries[1].receipt_handle`. */
  readonly path: string;
  readonly code: ErrorCode;
}

/** Field names (innermost last) and the printed path, built on the way out of a failed walk. */
interface Trail {
  names: string[];
  printed: string[];
}

/** The first invalid string in `buf`, a serialized message of `plan`'s type; undefined when all are valid. */
export function findInvalidUtf8(buf: Buffer, plan: StringPlan): Utf8Finding | undefined {
  const r = new ProtoReader(buf);
  const trail = walk(r, buf.length, plan);
  if (!trail) return undefined;
  const names = trail.names.reverse();
  return { path: trail.printed.reverse().join('.'), code: codeOfPath(names) };
}

/** Short strings: an ASCII prefix is skipped in JS (no view allocated); isUtf8 checks the rest. */
const SCAN_LIMIT = 64;

function validUtf8(buf: Buffer, start: number, end: number): boolean {
  let i = start;
  if (end - start <= SCAN_LIMIT) while (i < end && (buf[i] as number) < 0x80) i++;
  return i === end || isUtf8(buf.subarray(i, end));
}

function malformed(r: ProtoReader): never {
  throw new OrbitError('BAD_REQUEST', `malformed protobuf at byte ${r.pos}`);
}

function walk(r: ProtoReader, end: number, plan: StringPlan): Trail | undefined {
  const start = r.pos;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.varint();
    const f = plan.fields[Math.floor(tag / 8)];
    if (f === undefined || (tag & 7) !== 2) {
      r.skip(tag & 7);
      continue;
    }
    const fieldEnd = r.delimitedEnd();
    if (fieldEnd > end) malformed(r);
    if (f.sub === undefined) {
      if (!validUtf8(r.buf, r.pos, fieldEnd)) return { names: [f.name], printed: [label(r.buf, start, at, f, plan)] };
    } else {
      const inner = walk(r, fieldEnd, f.sub);
      if (inner) return extend(inner, r.buf, start, at, f, plan);
    }
    r.pos = fieldEnd;
  }
  if (r.pos > end) malformed(r);
  return undefined;
}

/** The failed field's printed name: `name`, `name[i]` for the i-th of a repeated field. */
function label(buf: Buffer, start: number, at: number, f: StringField, plan: StringPlan): string {
  if (plan.mapEntry) return f.number === 1 ? '<key>' : '';
  if (!f.repeated) return f.name;
  let index = 0;
  const r = new ProtoReader(buf, start, at);
  while (!r.done) {
    const tag = r.varint();
    if (Math.floor(tag / 8) === f.number) index++;
    r.skip(tag & 7);
  }
  return `${f.name}[${index}]`;
}

/** Adds field `f` (at byte `at` of the message from `start`) in front of a nested message's trail. */
function extend(inner: Trail, buf: Buffer, start: number, at: number, f: StringField, plan: StringPlan): Trail {
  inner.names.push(f.name);
  if (f.sub?.mapEntry) {
    // A map: `user_properties["k"]` for a value, `user_properties.<key>` for a key.
    const last = inner.printed.length - 1;
    const entry = inner.printed[last] === '<key>' ? '.<key>' : `[${JSON.stringify(mapKey(buf, at))}]`;
    inner.printed[last] = `${label(buf, start, at, { ...f, repeated: false }, plan)}${entry}`;
    return inner;
  }
  inner.printed.push(label(buf, start, at, f, plan));
  return inner;
}

/** The key (field 1) of the map entry whose tag starts at `at`, as text. */
function mapKey(buf: Buffer, at: number): string {
  const r = new ProtoReader(buf, at);
  r.varint();
  const end = r.delimitedEnd();
  let key = '';
  while (r.pos < end) {
    const tag = r.varint();
    if (tag === 0x0a) key = r.string();
    else r.skip(tag & 7);
  }
  return key;
}

const CODE_OF_FIELD: Record<string, ErrorCode> = {
  message_id: 'ILLEGAL_MESSAGE_ID',
  receipt_handle: 'INVALID_RECEIPT_HANDLE',
  transaction_id: 'INVALID_TRANSACTION_ID',
  expression: 'ILLEGAL_FILTER_EXPRESSION',
  tag: 'ILLEGAL_MESSAGE_TAG',
  keys: 'ILLEGAL_MESSAGE_KEY',
  message_group: 'ILLEGAL_MESSAGE_GROUP',
  topic: 'ILLEGAL_TOPIC', // SystemProperties.DeadLetterQueue.topic
  lite_topic: 'ILLEGAL_TOPIC',
};

/** The error-table code for an invalid string at `names` (proto field names, outermost first). */
export function codeOfPath(names: readonly string[]): ErrorCode {
  const last = names[names.length - 1] ?? '';
  const parent = names[names.length - 2] ?? '';
  if (last === 'name' || last === 'resource_namespace') {
    // A Resource: a topic (topic, topics, message_queue.topic) or a group.
    if (/^topics?$/.test(parent)) return 'ILLEGAL_TOPIC';
    if (parent === 'group') return 'ILLEGAL_CONSUMER_GROUP';
    return 'BAD_REQUEST';
  }
  // RocketMQ's proxy refuses a bad property value with the key's code too (there is no other).
  if ((last === 'key' || last === 'value') && parent === 'user_properties') return 'ILLEGAL_MESSAGE_PROPERTY_KEY';
  return CODE_OF_FIELD[last] ?? 'BAD_REQUEST';
}

const UNDECODABLE = Symbol('orbitmq.undecodableRequest');

/** The stand-in for a request that was refused while decoding: no fields, only the reason. */
export function undecodableRequest(error: OrbitError): object {
  return Object.freeze({ [UNDECODABLE]: error });
}

/** Why a request could not be decoded (a stand-in from undecodableRequest), or undefined for a real request. */
export function undecodableError(request: unknown): OrbitError | undefined {
  return typeof request === 'object' && request !== null ? (request as { [UNDECODABLE]?: OrbitError })[UNDECODABLE] : undefined;
}

/** Throws the reason a stand-in request carries; a real request passes. */
export function assertDecoded(request: unknown): void {
  const error = undecodableError(request);
  if (error) throw error;
}

/**
 * `generic` behind the UTF-8 check: an invalid string gives the stand-in request. Bytes the walk
 * cannot parse go to `generic` unchanged, which refuses (or accepts) them exactly as before.
 */
export function utf8CheckedDeserializer(typeName: string, plan: StringPlan, generic: (buf: Buffer) => unknown): (buf: Buffer) => unknown {
  return (buf) => {
    let finding: Utf8Finding | undefined;
    try {
      finding = findInvalidUtf8(buf, plan);
    } catch {
      finding = undefined;
    }
    if (!finding) return generic(buf);
    return undecodableRequest(new OrbitError(finding.code, `${typeName}.${finding.path} is not valid UTF-8`));
  };
}
