// Outgoing messages of the 4.x remoting clients and how they go on the wire: the properties
// string (TAGS, KEYS, UNIQ_KEY, DELAY, user properties) and the SEND_MESSAGE_V2 header (a..n).
import { encodeProperties, MessageProperty as P } from '@orbitmq/remoting';
import type { MessageQueue } from './common';

export interface RemotingMessage {
  topic: string;
  body: Buffer | string;
  tags?: string;
  /** One key or several (sent space-joined). */
  keys?: string | readonly string[];
  /** User properties. */
  properties?: Readonly<Record<string, string>>;
  /** Classic delay level (1-18). */
  delayLevel?: number;
  /** The record's user flag (int). */
  flag?: number;
}

export type SendStatus = 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

/** Response codes a send accepts and what they mean (anything else rejects). */
export const SEND_STATUS_BY_CODE = new Map<number, SendStatus>([
  [0, 'SEND_OK'],
  [10, 'FLUSH_DISK_TIMEOUT'],
  [12, 'FLUSH_SLAVE_TIMEOUT'],
  [11, 'SLAVE_NOT_AVAILABLE'],
]);
export const SEND_OK_CODES: readonly number[] = [...SEND_STATUS_BY_CODE.keys()];

export interface RemotingSendResult {
  status: SendStatus;
  /** The message id: the UNIQ_KEY this client generated. */
  msgId: string;
  /** The broker's id of the stored record (store host + commit-log offset), the response's msgId. */
  offsetMsgId: string;
  messageQueue: MessageQueue;
  queueId: number;
  queueOffset: number;
  /** Set by the broker for a half (transactional) message. */
  transactionId?: string;
}

export interface RemotingBatchSendResult {
  status: SendStatus;
  /** The messages' UNIQ_KEYs, in send order. */
  msgIds: string[];
  /** The response's comma-joined msgId, split: one offsetMsgId per message. */
  offsetMsgIds: string[];
  messageQueue: MessageQueue;
  queueId: number;
  /** Queue offset of the first message; the others follow it. */
  queueOffset: number;
}

/** Picks the queue of an orderly send: the same arg (say an order id) → the same queue. */
export type QueueSelector = (queues: readonly MessageQueue[], msg: RemotingMessage, arg: unknown) => MessageQueue;

export function bodyOf(msg: RemotingMessage): Buffer {
  return typeof msg.body === 'string' ? Buffer.from(msg.body, 'utf8') : msg.body;
}

/** The properties string of a message; `system` (TRAN_MSG, PGROUP, ...) is added last and wins. */
export function buildProperties(msg: RemotingMessage, uniqKey: string, system?: Readonly<Record<string, string>>): string {
  const props: Record<string, string | undefined> = { ...msg.properties };
  if (msg.tags !== undefined) props[P.TAGS] = msg.tags;
  if (msg.keys !== undefined) props[P.KEYS] = typeof msg.keys === 'string' ? msg.keys : msg.keys.join(' ');
  props[P.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] = uniqKey;
  if (msg.delayLevel !== undefined && msg.delayLevel > 0) props[P.DELAY_TIME_LEVEL] = String(msg.delayLevel);
  if (system) Object.assign(props, system);
  return encodeProperties(props);
}

export interface SendHeaderFields {
  group: string;
  mq: MessageQueue;
  sysFlag: number;
  flag: number;
  properties: string;
  batch: boolean;
  maxReconsumeTimes?: number;
}

/** SendMessageRequestHeaderV2: every field named by one letter, a..n, in the V1 header's order. */
export function sendHeaderV2(f: SendHeaderFields): Record<string, string> {
  const h: Record<string, string> = {
    a: f.group,
    b: f.mq.topic,
    c: 'TBW102',
    d: '4',
    e: String(f.mq.queueId),
    f: String(f.sysFlag),
    g: String(Date.now()),
    h: String(f.flag | 0),
    i: f.properties,
    j: '0',
    k: 'false',
    m: f.batch ? 'true' : 'false',
    n: f.mq.brokerName,
  };
  if (f.maxReconsumeTimes !== undefined) h.l = String(f.maxReconsumeTimes);
  return h;
}
