// Pieces every RocketMQ 4.x remoting client here shares: client ids, message ids (UNIQ_KEY),
// the error a non-success response becomes, and reading a received MessageExt.
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { MessageProperty, type MessageExt, type RemotingCommand, type SerializeTypeName } from '@orbitmq/remoting';

/** A topic's queue on one broker (RocketMQ's MessageQueue). */
export interface MessageQueue {
  topic: string;
  brokerName: string;
  queueId: number;
}

/** Settings every remoting client takes. */
export interface RemotingClientConfig {
  /** Name servers, "host:port;host:port". */
  namesrvAddr: string;
  /** Default `<ip>@<pid>#<random>`. */
  clientId?: string;
  /** How long a topic's route is used before it is fetched again (default 30 s). */
  routeRefreshMs?: number;
  /** Heartbeats to every broker in use (default 30 s). */
  heartbeatIntervalMs?: number;
  /** Per-request timeout (default 3 s; pulls add their suspend time). */
  rpcTimeoutMs?: number;
  /** Header encoding of our requests (default JSON). */
  serializeType?: SerializeTypeName;
}

/** A broker or name server answered with a code other than the ones the call accepts. */
export class RemotingResponseError extends Error {
  override readonly name = 'RemotingResponseError';
  constructor(
    /** The response code (ResponseCode). */
    readonly code: number,
    readonly remark: string,
    what: string,
  ) {
    super(`${what}: response code ${code}${remark ? ` ${remark}` : ''}`);
  }
}

/** The response if its code is one of `accepted`, else a RemotingResponseError. */
export function expectCode(res: RemotingCommand, what: string, accepted: readonly number[] = [0]): RemotingCommand {
  if (!accepted.includes(res.code)) throw new RemotingResponseError(res.code, res.remark ?? '', what);
  return res;
}

/** The first non-internal IPv4 address of this host (127.0.0.1 when there is none). */
export function localIp(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** `<ip>@<pid>#<random>`: unique per client object, so two clients of one process are two members. */
export function newClientId(): string {
  return `${localIp()}@${process.pid}#${randomBytes(6).toString('hex')}`;
}

/*
 * UNIQ_KEY: 32 hex digits like RocketMQ's MessageClientIDSetter (ip, pid, random, time, counter):
 * a fixed per-process prefix of 8 bytes, seconds since the epoch (4 bytes), a counter (4 bytes).
 */
const UNIQ_PREFIX = (() => {
  const ip = Buffer.from(localIp().split('.').map(Number));
  const buf = Buffer.alloc(8);
  ip.copy(buf, 0, 0, 4);
  buf.writeUInt16BE(process.pid & 0xffff, 4);
  randomBytes(2).copy(buf, 6);
  return buf.toString('hex').toUpperCase();
})();
let uniqCounter = randomBytes(4).readUInt32BE(0);

export function newUniqKey(nowMs = Date.now()): string {
  uniqCounter = (uniqCounter + 1) >>> 0;
  const seconds = Math.floor(nowMs / 1000) >>> 0;
  return UNIQ_PREFIX + seconds.toString(16).toUpperCase().padStart(8, '0') + uniqCounter.toString(16).toUpperCase().padStart(8, '0');
}

/** The message id a 4.x client reports: UNIQ_KEY when the record has one, else the offsetMsgId. */
export function msgIdOf(m: MessageExt): string {
  return m.properties.get(MessageProperty.UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? m.offsetMsgId;
}

export function tagsOf(m: MessageExt): string | undefined {
  return m.properties.get(MessageProperty.TAGS);
}

export function keysOf(m: MessageExt): string[] {
  const keys = m.properties.get(MessageProperty.KEYS);
  return keys ? keys.split(' ').filter((k) => k !== '') : [];
}

/** "host:port" of the broker that stored a record (its store host: brokerIP1:listenPort). */
export function storeAddrOf(m: MessageExt): string {
  const h = m.storeHost.host;
  return h.includes(':') ? `[${h}]:${m.storeHost.port}` : `${h}:${m.storeHost.port}`;
}

/** Java's String.hashCode, for a subscription's codeSet. */
export function javaHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}
