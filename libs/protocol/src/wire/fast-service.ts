import type * as grpc from '@grpc/grpc-js';
import type * as v2 from '../generated/rocketmq-v2';
import { readMessage, writeMessage } from './message-codec';
import { ProtoReader } from './proto-reader';
import { ProtoWriter } from './proto-writer';
import { type StringPlan, compileStringPlans } from './string-plan';
import { utf8CheckedDeserializer } from './utf8-check';

/**
 * MessagingService with hand-written codecs on its hot paths; every other method and every other
 * frame keeps proto-loader's. Server: SendMessage requests, and the message frames of
 * ReceiveMessage and PullMessage responses. Client: the mirror image. On the server every other
 * request is checked for invalid UTF-8 before protobufjs decodes it (utf8-check.ts); SendMessage's
 * own codec checks its strings as it reads them.
 *
 *   SendMessageRequest    1 messages: Message (repeated)
 *   SendMessageResponse   1 status: Status  2 entries: SendResultEntry (repeated)
 *   SendResultEntry       1 status  2 message_id  3 transaction_id  4 offset: int64  5 recall_handle
 *   Status                1 code: Code (OK = 20000)  2 message
 *   ReceiveMessageResponse / PullMessageResponse: oneof { 1 status | 2 message: Message | 3 ... }
 */
type MethodDef = grpc.MethodDefinition<unknown, unknown>;
type ServiceDef = Record<string, MethodDef>;
/** proto-loader's method definitions also describe their request type. */
type LoaderMethodDef = MethodDef & { requestType?: { type?: { name?: string }; fileDescriptorProtos?: Buffer[] } };

/** Room beyond the bodies for a frame's other fields: most frames then never grow their buffer. */
const FRAME_OVERHEAD_BYTES = 512;
const MESSAGE_FRAME_TAG = 0x12; // field 2, length-delimited

function encodeSendRequest(req: v2.SendMessageRequest): Buffer {
  const messages = req.messages ?? [];
  let bodies = 0;
  for (const m of messages) bodies += m.body ? m.body.length : 0;
  const w = new ProtoWriter(bodies + FRAME_OVERHEAD_BYTES * Math.max(1, messages.length));
  for (const m of messages) writeMessage(w, 1, m);
  return w.finish();
}

function decodeSendRequest(buf: Buffer): v2.SendMessageRequest__Output {
  const r = new ProtoReader(buf);
  const messages: v2.Message__Output[] = [];
  while (!r.done) {
    const tag = r.varint();
    if (tag === 0x0a) messages.push(readMessage(r));
    else r.skip(tag & 7);
  }
  return { messages };
}

const CODE_OK = 20_000;

function writeOkStatus(w: ProtoWriter, field: number, status: v2.Status): void {
  const at = w.begin(field);
  w.int32Field(1, CODE_OK);
  if (status.message != null) w.stringField(2, status.message);
  w.end(at);
}

/** All-OK responses (the common case) by hand; any failed entry takes protobufjs's path. */
function sendResponseSerializer(generic: (value: unknown) => Buffer): (value: v2.SendMessageResponse) => Buffer {
  return (value) => {
    const entries = value.entries ?? [];
    if (value.status?.code !== 'OK' || entries.some((e) => e.status?.code !== 'OK' || e.recallHandle)) return generic(value);
    const w = new ProtoWriter(64 + entries.length * 80);
    writeOkStatus(w, 1, value.status);
    for (const e of entries) {
      const at = w.begin(2);
      writeOkStatus(w, 1, e.status as v2.Status);
      if (e.messageId != null) w.stringField(2, e.messageId);
      if (e.transactionId != null) w.stringField(3, e.transactionId);
      if (e.offset != null) w.int64Field(4, typeof e.offset === 'object' ? e.offset.toString() : e.offset);
      w.end(at);
    }
    return w.finish();
  };
}

/** Response frames carrying a message take the fast path; status and the rest stay generic. */
function messageFrameSerializer(generic: (value: unknown) => Buffer): (value: { message?: v2.Message | null }) => Buffer {
  return (value) => {
    const m = value.message;
    if (m == null) return generic(value);
    const w = new ProtoWriter((m.body ? m.body.length : 0) + FRAME_OVERHEAD_BYTES);
    writeMessage(w, 2, m);
    return w.finish();
  };
}

function messageFrameDeserializer(generic: (buf: Buffer) => unknown): (buf: Buffer) => unknown {
  return (buf) => {
    if (buf.length === 0 || buf[0] !== MESSAGE_FRAME_TAG) return generic(buf);
    const r = new ProtoReader(buf, 1);
    const message = readMessage(r);
    return r.done ? { message, content: 'message' } : generic(buf); // anything more: let protobufjs merge it
  };
}

const plansOfFiles = new WeakMap<Buffer, Map<string, StringPlan>>();

function planOf(method: LoaderMethodDef, typeName: string, files: Buffer[]): StringPlan | undefined {
  const key = files[0] as Buffer; // proto-loader shares one array of files among all its types
  let plans = plansOfFiles.get(key);
  if (!plans) {
    plans = compileStringPlans(files);
    plansOfFiles.set(key, plans);
  }
  const pkg = method.path.slice(1, method.path.lastIndexOf('/')).split('.').slice(0, -1).join('.');
  return plans.get(pkg ? `${pkg}.${typeName}` : typeName) ?? [...plans].find(([full]) => full.endsWith(`.${typeName}`))?.[1];
}

/** Every request deserializer but those in `except`, behind the UTF-8 check (a type with no string field needs none). */
function utf8Checked(def: ServiceDef, except: readonly string[]): Record<string, Partial<MethodDef>> {
  const out: Record<string, Partial<MethodDef>> = {};
  for (const [name, method] of Object.entries(def) as [string, LoaderMethodDef][]) {
    const typeName = method.requestType?.type?.name;
    const files = method.requestType?.fileDescriptorProtos;
    if (except.includes(name) || !typeName || !files?.length) continue;
    const plan = planOf(method, typeName, files);
    if (plan) out[name] = { requestDeserialize: utf8CheckedDeserializer(typeName, plan, method.requestDeserialize as (b: Buffer) => unknown) as never };
  }
  return out;
}

function withOverrides(def: ServiceDef, overrides: Record<string, Partial<MethodDef>>): ServiceDef {
  const out: ServiceDef = {};
  for (const [name, method] of Object.entries(def)) out[name] = { ...method, ...(overrides[name] ?? {}) } as MethodDef;
  return out;
}

/** The server side: for grpc.Server#addService. */
export function fastServerDefinition(def: ServiceDef): ServiceDef {
  const checked = utf8Checked(def, ['SendMessage']);
  return withOverrides(def, {
    ...checked,
    SendMessage: {
      requestDeserialize: decodeSendRequest as never,
      responseSerialize: sendResponseSerializer(def.SendMessage?.responseSerialize as (v: unknown) => Buffer) as never,
    },
    ReceiveMessage: {
      ...checked.ReceiveMessage,
      responseSerialize: messageFrameSerializer(def.ReceiveMessage?.responseSerialize as (v: unknown) => Buffer) as never,
    },
    PullMessage: { ...checked.PullMessage, responseSerialize: messageFrameSerializer(def.PullMessage?.responseSerialize as (v: unknown) => Buffer) as never },
  });
}

/** The client side: for grpc.makeGenericClientConstructor. */
export function fastClientDefinition(def: ServiceDef): ServiceDef {
  return withOverrides(def, {
    SendMessage: { requestSerialize: encodeSendRequest as never },
    ReceiveMessage: { responseDeserialize: messageFrameDeserializer(def.ReceiveMessage?.responseDeserialize as (b: Buffer) => unknown) as never },
    PullMessage: { responseDeserialize: messageFrameDeserializer(def.PullMessage?.responseDeserialize as (b: Buffer) => unknown) as never },
  });
}

export const wireCodecs = { encodeSendRequest, decodeSendRequest };
