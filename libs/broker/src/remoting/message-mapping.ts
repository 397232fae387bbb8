import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { OrbitError } from '@orbitmq/protocol';
import {
  type HostAddress,
  type MessageExtFields,
  hostAddress,
  splitHostPort,
  MessageProperty as P,
  MessageSysFlag,
  decodeProperties as decodeClassic,
  encodeProperties as encodeClassic,
} from '@orbitmq/remoting';
import { type SystemProps, decodeProperties } from '../message';
import type { SendableMessage } from '../send';
import type { StoreRecord } from '../store-port';

/*
 * A RocketMQ 4.x message <-> the broker's. Both protocols share one record: what 4.x carries in
 * its properties string maps to record fields where the broker has them (TAGS -> tag, KEYS ->
 * keys, UNIQ_KEY -> message id, delay and transaction properties -> the message type), user
 * properties stay user properties, and the other 4.x system properties (RETRY_TOPIC, PGROUP,
 * __SHARDINGKEY, ...) travel in the classicProperties system property, so a 4.x consumer sees
 * them as sent and a v5 consumer never sees them.
 */

/** Properties the broker reads itself: never stored as user or classic properties. */
const MAPPED = new Set<string>([P.TAGS, P.KEYS, P.UNIQ_CLIENT_MESSAGE_ID_KEYIDX, P.TRANSACTION_PREPARED, P.WAIT_STORE_MSG_OK]);
/** Classic delays stay user properties: the send path turns them into DELAY messages. */
export const DELAY = new Set<string>(['DELAY', 'TIMER_DELIVER_MS', 'TIMER_DELAY_MS', 'TIMER_DELAY_SEC']);
/** Every RocketMQ system property name (MessageConst); anything else is the user's. */
export const SYSTEM = new Set<string>(Object.values(P));

export interface RemotingSend {
  topic: string;
  body: Buffer;
  flag: number;
  sysFlag: number;
  bornTimestampMs: number;
  /** The properties string, or already parsed (a batch's entries are parsed by decodeBatch). */
  properties: string | Map<string, string>;
  /** The producer's address as the broker sees it ("ip:port"). */
  bornHost: string;
}

/** A 4.x message as the send path takes it. Bodies zlib-compressed by the client are inflated. */
export function fromRemotingMessage(m: RemotingSend, maxMessageSize: number): SendableMessage {
  const props = typeof m.properties === 'string' ? decodeClassic(m.properties) : m.properties;
  const user: Record<string, string> = {};
  const classic = new Map<string, string>();
  for (const [k, v] of props) {
    if (MAPPED.has(k)) continue;
    if (DELAY.has(k) || !SYSTEM.has(k)) user[k] = v;
    else if (k === P.START_DELIVER_TIME)
      user.TIMER_DELIVER_MS = v; // Aliyun's (ali-ons') delay
    else classic.set(k, v);
  }
  const extraSystem: SystemProps = {};
  if (classic.size > 0) extraSystem.classicProperties = encodeClassic(classic);
  if (m.flag !== 0) extraSystem.classicFlag = String(m.flag);
  const keys = (props.get(P.KEYS) ?? '').split(' ').filter((k) => k.length > 0);
  return {
    topic: { name: m.topic, resourceNamespace: '' },
    userProperties: user,
    systemProperties: {
      tag: props.get(P.TAGS),
      keys,
      messageId: props.get(P.UNIQ_CLIENT_MESSAGE_ID_KEYIDX) || uniqueMessageId(),
      bodyDigest: null,
      bodyEncoding: 'IDENTITY',
      messageType: props.get(P.TRANSACTION_PREPARED) === 'true' ? 'TRANSACTION' : 'NORMAL',
      bornTimestamp: { seconds: String(Math.floor(m.bornTimestampMs / 1000)), nanos: (m.bornTimestampMs % 1000) * 1e6 },
      bornHost: m.bornHost,
      storeHost: '',
      queueId: 0,
    },
    body: (m.sysFlag & MessageSysFlag.COMPRESSED) !== 0 ? inflate(m.body, m.sysFlag, maxMessageSize) : m.body,
    extraSystem,
  } as SendableMessage;
}

/** Only zlib (type 0 or 3 in bits 8-10): what the Java client and ali-ons write. */
function inflate(body: Buffer, sysFlag: number, maxMessageSize: number): Buffer {
  const type = (sysFlag >> 8) & 7;
  if (type !== 0 && type !== 3) throw new OrbitError('BAD_REQUEST', `body compression type ${type} is not supported (zlib only)`);
  try {
    return zlib.inflateSync(body, { maxOutputLength: maxMessageSize + 1 });
  } catch (e) {
    throw new OrbitError('BAD_REQUEST', `compressed body does not inflate within ${maxMessageSize} bytes: ${(e as Error).message}`);
  }
}

/** RocketMQ's UNIQ_KEY shape (32 hex digits) for producers that send none (ali-ons). */
export function uniqueMessageId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** The 4.x properties string of a stored record: user properties, then the system ones. */
export function classicPropertiesOf(record: StoreRecord, extra?: Record<string, string>): { properties: string; flag: number; bornHost: string } {
  const { system, user } = decodeProperties(record.properties);
  const out = new Map<string, string>(Object.entries(user));
  if (system.classicProperties) for (const [k, v] of decodeClassic(system.classicProperties)) out.set(k, v);
  if (record.tag) out.set(P.TAGS, record.tag);
  if (record.keys.length > 0) out.set(P.KEYS, record.keys.join(' '));
  out.set(P.UNIQ_CLIENT_MESSAGE_ID_KEYIDX, record.messageId);
  if (system.messageGroup && !out.has(P.SHARDING_KEY)) out.set(P.SHARDING_KEY, system.messageGroup);
  if (extra) for (const [k, v] of Object.entries(extra)) out.set(k, v);
  return { properties: encodeClassic(out), flag: Number(system.classicFlag ?? 0), bornHost: system.bornHost ?? '' };
}

const UNKNOWN_HOST: HostAddress = { ip: Buffer.alloc(4), port: 0 };

/** Parsed born hosts: a few producers send most messages (a measured 2 % of a W3 pull profile). */
const bornHosts = new Map<string, HostAddress>();
const MAX_CACHED_BORN_HOSTS = 4_096;

/** "ip:port" or "ip" (v5 clients send the address without a port); 0.0.0.0:0 when not an IP. */
function bornHostOf(text: string): HostAddress {
  let host = bornHosts.get(text);
  if (host) return host;
  host = parseBornHost(text);
  if (bornHosts.size >= MAX_CACHED_BORN_HOSTS) bornHosts.clear();
  bornHosts.set(text, host);
  return host;
}

function parseBornHost(text: string): HostAddress {
  if (!text) return UNKNOWN_HOST;
  try {
    const hasPort = /:\d+$/.test(text) && (text.startsWith('[') || text.indexOf(':') === text.lastIndexOf(':'));
    if (!hasPort) return hostAddress(text, 0);
    const { host, port } = splitHostPort(text);
    return hostAddress(host, port);
  } catch {
    return UNKNOWN_HOST;
  }
}

/** A stored record as a 4.x consumer receives it (MessageExt), in queue `queueId`. */
export function toMessageExt(record: StoreRecord, storeHost: HostAddress, extra?: Record<string, string>): MessageExtFields {
  const { properties, flag, bornHost } = classicPropertiesOf(record, extra);
  return {
    topic: record.topic,
    queueId: record.queueId,
    flag,
    queueOffset: record.queueOffset,
    commitLogOffset: record.physicalOffset,
    sysFlag: 0,
    bornTimestampMs: record.bornTimestampMs,
    bornHost: bornHostOf(bornHost),
    storeTimestampMs: record.storeTimestampMs,
    storeHost,
    reconsumeTimes: record.reconsumeTimes,
    preparedTransactionOffset: 0,
    body: record.body,
    // RocketMQ's BODYCRC is its CRC-32 masked to a non-negative int (UtilAll.crc32).
    bodyCrc: record.bodyCrc32 !== undefined ? record.bodyCrc32 & 0x7fffffff : undefined,
    properties,
  };
}
