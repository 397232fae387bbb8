/*
 * The properties section of a stored record (opaque to storage): the RocketMQ message fields that
 * have no dedicated record field, then the user's properties. It lives in protocol because it
 * travels: replicas copy it, and brokers send it to filter servers (filter.proto MessageHead).
 *
 *   u16 systemCount | systemCount x (u8 id | u32 len | utf8 value)
 *   u16 userCount   | userCount   x (u16 keyLen | utf8 key | u32 len | utf8 value)
 *
 * System ids are fixed numbers (below), so user keys can be anything the naming rules allow.
 */
export const SystemProp = {
  messageGroup: 1,
  deliveryTimestampMs: 2,
  bornHost: 3,
  messageType: 4,
  traceContext: 5,
  /** Topic a delayed or half message is for (the record itself sits in a system topic). */
  realTopic: 6,
  /** Client id of the producer that sent a half message: the first choice for check-backs. */
  producerClientId: 7,
  /** Log offset of the timer or half record that this record completes (see system-topics). */
  originOffset: 8,
  /**
   * RocketMQ 4.x system properties without a field of their own (RETRY_TOPIC, ORIGIN_MESSAGE_ID,
   * PGROUP, MAX_RECONSUME_TIMES, __SHARDINGKEY, ...), kept as RocketMQ encodes them
   * (name \u0001 value \u0002 ...) and handed back to 4.x consumers as they were.
   */
  classicProperties: 9,
  /** The 4.x message's int `flag` (application-defined), when not 0. */
  classicFlag: 10,
} as const;

export type SystemProps = Partial<Record<keyof typeof SystemProp, string>>;

const ID_TO_NAME = new Map<number, keyof typeof SystemProp>(Object.entries(SystemProp).map(([k, v]) => [v, k as keyof typeof SystemProp]));

export interface DecodedProperties {
  system: SystemProps;
  user: Record<string, string>;
}

export function encodeProperties(system: SystemProps, user: Record<string, string> | Map<string, string> | undefined): Buffer {
  const sys = Object.entries(system).filter(([, v]) => v !== undefined && v !== '') as [keyof typeof SystemProp, string][];
  const usr = user instanceof Map ? [...user.entries()] : Object.entries(user ?? {});
  let size = 4;
  for (const [, v] of sys) size += 5 + Buffer.byteLength(v);
  for (const [k, v] of usr) size += 6 + Buffer.byteLength(k) + Buffer.byteLength(v);
  const buf = Buffer.allocUnsafe(size);
  let p = 0;
  buf.writeUInt16BE(sys.length, p);
  p += 2;
  for (const [k, v] of sys) {
    buf[p++] = SystemProp[k];
    const n = buf.write(v, p + 4, 'utf8');
    buf.writeUInt32BE(n, p);
    p += 4 + n;
  }
  buf.writeUInt16BE(usr.length, p);
  p += 2;
  for (const [k, v] of usr) {
    const kn = buf.write(k, p + 2, 'utf8');
    buf.writeUInt16BE(kn, p);
    p += 2 + kn;
    const vn = buf.write(v, p + 4, 'utf8');
    buf.writeUInt32BE(vn, p);
    p += 4 + vn;
  }
  return buf;
}

export function decodeProperties(buf: Buffer): DecodedProperties {
  const out: DecodedProperties = { system: {}, user: {} };
  if (buf.length === 0) return out;
  let p = 0;
  const sysCount = buf.readUInt16BE(p);
  p += 2;
  for (let i = 0; i < sysCount; i++) {
    const id = buf[p++] as number;
    const n = buf.readUInt32BE(p);
    const v = buf.toString('utf8', p + 4, p + 4 + n);
    p += 4 + n;
    const name = ID_TO_NAME.get(id);
    if (name) out.system[name] = v;
  }
  const userCount = buf.readUInt16BE(p);
  p += 2;
  for (let i = 0; i < userCount; i++) {
    const kn = buf.readUInt16BE(p);
    const k = buf.toString('utf8', p + 2, p + 2 + kn);
    p += 2 + kn;
    const vn = buf.readUInt32BE(p);
    out.user[k] = buf.toString('utf8', p + 4, p + 4 + vn);
    p += 4 + vn;
  }
  return out;
}

/**
 * One user property, read without decoding the rest (filter servers and the broker's SQL92
 * fallback look up only the names an expression uses; a full decode costs ~30x an evaluation).
 * Undefined when absent. Throws RangeError on a truncated block.
 */
export function readUserProperty(buf: Buffer, name: string): string | undefined {
  if (buf.length === 0) return undefined;
  let p = skipSystem(buf);
  const userCount = buf.readUInt16BE(p);
  p += 2;
  const want = Buffer.byteLength(name);
  const ascii = want === name.length; // the usual case: compare bytes, allocate no key strings
  for (let i = 0; i < userCount; i++) {
    const kn = buf.readUInt16BE(p);
    const keyAt = p + 2;
    p = keyAt + kn;
    const vn = buf.readUInt32BE(p);
    if (kn === want && (ascii ? asciiEquals(buf, keyAt, name) : buf.toString('utf8', keyAt, keyAt + kn) === name)) return checkedValue(buf, p + 4, vn);
    p += 4 + vn;
  }
  return undefined;
}

function asciiEquals(buf: Buffer, at: number, name: string): boolean {
  if (at + name.length > buf.length) throw new RangeError(`property key runs past the end of the block (${at + name.length} > ${buf.length})`);
  for (let i = 0; i < name.length; i++) if (buf[at + i] !== name.charCodeAt(i)) return false;
  return true;
}

/** One system property (by its SystemProp id), read without decoding the rest. */
export function readSystemProperty(buf: Buffer, id: number): string | undefined {
  if (buf.length === 0) return undefined;
  const sysCount = buf.readUInt16BE(0);
  let p = 2;
  for (let i = 0; i < sysCount; i++) {
    const at = buf[p++];
    const n = buf.readUInt32BE(p);
    if (at === id) return checkedValue(buf, p + 4, n);
    p += 4 + n;
  }
  return undefined;
}

function skipSystem(buf: Buffer): number {
  const sysCount = buf.readUInt16BE(0);
  let p = 2;
  for (let i = 0; i < sysCount; i++) p += 5 + buf.readUInt32BE(p + 1);
  return p;
}

function checkedValue(buf: Buffer, from: number, length: number): string {
  if (from + length > buf.length) throw new RangeError(`property value runs past the end of the block (${from + length} > ${buf.length})`);
  return buf.toString('utf8', from, from + length);
}

/**
 * User properties of one block at a time, each name scanned for once: an expression may test the
 * same property many times (`p ENDSWITH 'a' OR p ENDSWITH 'b' ...`), and a scan per test was most
 * of a filter server's evaluation time. reset() for each message; nothing is allocated per lookup
 * beyond the values themselves.
 */
export class UserPropertyReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly names: string[] = [];
  private readonly values: (string | undefined)[] = [];

  reset(buf: Buffer): void {
    this.buf = buf;
    this.names.length = 0;
    this.values.length = 0;
  }

  /** Like readUserProperty (throws RangeError on a truncated block), remembered until reset(). */
  get(name: string): string | undefined {
    for (let i = 0; i < this.names.length; i++) if (this.names[i] === name) return this.values[i];
    const v = readUserProperty(this.buf, name);
    this.names.push(name);
    this.values.push(v);
    return v;
  }
}

/**
 * One message's head as a SQL92 filter evaluates it: tag, keys, id, and its properties block read
 * lazily (each user property scanned for once). reset() for each message, so a batch needs one
 * view. `malformed` says the block turned out truncated while the filter read it (such a message
 * never matches). Used by filter servers and by the broker when it evaluates itself.
 */
export class MessageHeadView {
  tag = '';
  keys: readonly string[] = [];
  messageId = '';
  malformed = false;
  private properties: Buffer = Buffer.alloc(0);
  private readonly reader = new UserPropertyReader();

  reset(head: { tag: string; keys: readonly string[]; messageId: string; properties?: Buffer | null }): void {
    this.tag = head.tag;
    this.keys = head.keys;
    this.messageId = head.messageId;
    this.properties = head.properties ?? Buffer.alloc(0);
    this.reader.reset(this.properties);
    this.malformed = false;
  }

  get messageGroup(): string | undefined {
    try {
      return readSystemProperty(this.properties, SystemProp.messageGroup);
    } catch (err) {
      this.malformed = true;
      throw err;
    }
  }

  /** An arrow field: safe however the filter library calls it. */
  readonly userProperty = (name: string): string | undefined => {
    try {
      return this.reader.get(name);
    } catch (err) {
      this.malformed = true;
      throw err;
    }
  };
}
