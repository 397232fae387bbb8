import { ProtoReader } from './proto-reader';

/*
 * Which fields of a message can hold a string, read from the descriptors proto-loader attaches to
 * every method definition (requestType.fileDescriptorProtos: serialized FileDescriptorProtos), so
 * any service it loads is covered without a hand-written list. Only what the UTF-8 check needs:
 *
 *   FileDescriptorProto   2 package  4 message_type: DescriptorProto (repeated)
 *   DescriptorProto       1 name  2 field: FieldDescriptorProto (repeated)  3 nested_type (repeated)
 *                         7 options: MessageOptions { 7 map_entry: bool }
 *   FieldDescriptorProto  1 name  3 number  4 label (3 = repeated)  5 type (9 string, 11 message)
 *                         6 type_name (relative to the enclosing scope, or fully qualified with a leading dot)
 */

/** One message type: its string fields and the message fields that can (transitively) hold one. */
export interface StringPlan {
  /** The short type name, for error paths. */
  readonly name: string;
  /** A map's entry type: field 1 the key, field 2 the value. */
  readonly mapEntry: boolean;
  /** By field number; fields that cannot hold a string are absent. */
  readonly fields: (StringField | undefined)[];
}

export interface StringField {
  /** As the .proto spells it (snake_case), whatever case proto-loader's options gave the descriptor. */
  readonly name: string;
  readonly number: number;
  readonly repeated: boolean;
  /** The nested message's plan; undefined for a string field. */
  readonly sub: StringPlan | undefined;
}

const TYPE_STRING = 9;
const TYPE_MESSAGE = 11;
const LABEL_REPEATED = 3;

interface RawField {
  name: string;
  number: number;
  repeated: boolean;
  type: number;
  typeName: string;
}

interface RawMessage {
  fullName: string;
  name: string;
  mapEntry: boolean;
  fields: RawField[];
}

function readField(r: ProtoReader): RawField {
  const end = r.delimitedEnd();
  const f: RawField = { name: '', number: 0, repeated: false, type: 0, typeName: '' };
  while (r.pos < end) {
    const tag = r.varint();
    if (tag === 0x0a) f.name = r.string();
    else if (tag === 0x18) f.number = r.varint();
    else if (tag === 0x20) f.repeated = r.varint() === LABEL_REPEATED;
    else if (tag === 0x28) f.type = r.varint();
    else if (tag === 0x32) f.typeName = r.string();
    else r.skip(tag & 7);
  }
  return f;
}

function readMapEntryOption(r: ProtoReader): boolean {
  const end = r.delimitedEnd();
  let mapEntry = false;
  while (r.pos < end) {
    const tag = r.varint();
    if (tag === 0x38) mapEntry = r.varint() !== 0;
    else r.skip(tag & 7);
  }
  return mapEntry;
}

/** A DescriptorProto and its nested types, appended to `out` under their full names. */
function readDescriptor(r: ProtoReader, scope: string, out: RawMessage[]): void {
  const end = r.delimitedEnd();
  const m: RawMessage = { fullName: '', name: '', mapEntry: false, fields: [] };
  const nested: number[] = [];
  while (r.pos < end) {
    const tag = r.varint();
    if (tag === 0x0a) m.name = r.string();
    else if (tag === 0x12) m.fields.push(readField(r));
    else if (tag === 0x1a) {
      nested.push(r.pos); // read once the name (the nested types' scope) is known
      r.skip(2);
    } else if (tag === 0x3a) m.mapEntry = readMapEntryOption(r);
    else r.skip(tag & 7);
  }
  m.fullName = scope ? `${scope}.${m.name}` : m.name;
  out.push(m);
  for (const at of nested) readDescriptor(new ProtoReader(r.buf, at, end), m.fullName, out);
  r.pos = end;
}

function readFile(buf: Buffer, out: RawMessage[]): void {
  const r = new ProtoReader(buf);
  let pkg = '';
  const messages: number[] = [];
  while (!r.done) {
    const tag = r.varint();
    if (tag === 0x12) pkg = r.string();
    else if (tag === 0x22) {
      messages.push(r.pos);
      r.skip(2);
    } else r.skip(tag & 7);
  }
  for (const at of messages) readDescriptor(new ProtoReader(buf, at), pkg, out);
}

/** protoc's lookup: a relative name is tried in the enclosing scope, then each outer one. */
function resolve(typeName: string, scope: string, byName: Map<string, RawMessage>): RawMessage | undefined {
  if (typeName.startsWith('.')) return byName.get(typeName.slice(1));
  for (let s = scope; ; s = s.slice(0, Math.max(0, s.lastIndexOf('.')))) {
    const found = byName.get(s ? `${s}.${typeName}` : typeName);
    if (found || !s) return found;
  }
}

/**
 * A plan for every message type of the files that can hold a string, by full name (types without
 * any string anywhere inside are left out: nothing to check).
 */
export function compileStringPlans(fileDescriptorProtos: readonly Buffer[]): Map<string, StringPlan> {
  const raw: RawMessage[] = [];
  for (const buf of fileDescriptorProtos) readFile(buf, raw);
  const byName = new Map(raw.map((m) => [m.fullName, m]));
  const target = new Map<RawField, RawMessage | undefined>();
  for (const m of raw) for (const f of m.fields) if (f.type === TYPE_MESSAGE) target.set(f, resolve(f.typeName, m.fullName, byName));
  // Which types can hold a string: direct string fields, then propagate through message fields (cycles included).
  const holds = new Set(raw.filter((m) => m.fields.some((f) => f.type === TYPE_STRING)));
  for (let grew = true; grew;) {
    grew = false;
    for (const m of raw) {
      if (holds.has(m) || !m.fields.some((f) => holds.has(target.get(f) as RawMessage))) continue;
      holds.add(m);
      grew = true;
    }
  }
  const plans = new Map<RawMessage, StringPlan>();
  for (const m of holds) plans.set(m, { name: m.name, mapEntry: m.mapEntry, fields: [] });
  for (const [m, plan] of plans) {
    for (const f of m.fields) {
      const sub = f.type === TYPE_MESSAGE ? plans.get(target.get(f) as RawMessage) : undefined;
      if (f.type !== TYPE_STRING && !sub) continue;
      plan.fields[f.number] = { name: f.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), number: f.number, repeated: f.repeated, sub };
    }
  }
  return new Map([...plans].map(([m, plan]) => [m.fullName, plan]));
}
