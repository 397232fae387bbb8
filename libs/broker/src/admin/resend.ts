import { randomBytes } from 'node:crypto';
import { OrbitError, toOrbitError } from '@orbitmq/protocol';
import { MessageProperty as P, decodeProperties as decodeClassic } from '@orbitmq/remoting';
import { decodeProperties, messageTypeOfFlag, timestamp } from '../message';
import type { SendHandler, SendableMessage } from '../send';
import type { StorePort, StoreRecord } from '../store-port';

/** Offsets one resend may name (each a read and a send). */
export const MAX_RESEND_MESSAGES = 64;
/** The client id resent messages are stored under. */
const RESEND_CLIENT = 'orbitmq-admin-resend';

export interface ResendOutcome {
  queueOffset: number;
  ok: boolean;
  /** Where it went (or would have). */
  toTopic: string;
  /** The new message's id and queue offset. */
  messageId?: string;
  newQueueOffset?: number;
  code?: string;
  error?: string;
}

export interface ResendDeps {
  store: Pick<StorePort, 'readQueue' | 'getMessages'>;
  send?: Pick<SendHandler, 'sendMessages'>;
}

/** A dead letter's or retry's original topic (RocketMQ's RETRY_TOPIC), else ''. */
export function originTopicOf(r: StoreRecord): string {
  const classic = decodeProperties(r.properties).system.classicProperties;
  return classic ? (decodeClassic(classic).get(P.RETRY_TOPIC) ?? '') : '';
}

/**
 * The stored message as a new one for `topic`: body, tag, keys, user properties and message
 * group kept; a new id (the send path's dedup window would take the old one for a repeat). A
 * delayed or transactional message goes out as a normal one: it was delivered once already.
 */
function asNewMessage(r: StoreRecord, topic: string): SendableMessage {
  const props = decodeProperties(r.properties);
  const group = props.system.messageGroup;
  return {
    topic: { name: topic, resourceNamespace: '' },
    userProperties: props.user,
    systemProperties: {
      ...(r.tag ? { tag: r.tag } : {}),
      keys: r.keys,
      messageId: randomBytes(16).toString('hex').toUpperCase(),
      messageType: messageTypeOfFlag(r.sysFlag) === 'FIFO' && group ? 'FIFO' : 'NORMAL',
      ...(group ? { messageGroup: group } : {}),
      bornTimestamp: timestamp(Date.now()),
      bornHost: RESEND_CLIENT,
      bodyEncoding: 'IDENTITY',
    },
    body: r.body,
  } as unknown as SendableMessage;
}

/**
 * ResendMessages: each named message of a queue (typically of %DLQ%<group>) is sent again through
 * the broker's send path to `toTopic`, or when empty to the topic it came from. One outcome per
 * offset, in order; one failing does not stop the others.
 */
export async function resend(d: ResendDeps, topic: string, queueId: number, offsets: readonly number[], toTopic: string): Promise<ResendOutcome[]> {
  if (!d.send) throw new OrbitError('UNSUPPORTED', 'this broker cannot resend (no send path wired)');
  if (offsets.length === 0 || offsets.length > MAX_RESEND_MESSAGES) throw new OrbitError('BAD_REQUEST', `name 1-${MAX_RESEND_MESSAGES} offsets, not ${offsets.length}`);
  const out: ResendOutcome[] = [];
  for (const queueOffset of offsets) {
    let to = toTopic;
    try {
      const read = await d.store.readQueue(topic, queueId, queueOffset, 1);
      const entry = read.status === 'FOUND' && read.entries[0]?.queueOffset === queueOffset ? read.entries[0] : undefined;
      if (!entry) throw new OrbitError('MESSAGE_NOT_FOUND', `no message at offset ${queueOffset} of queue ${queueId} (removed by retention, or not written yet)`);
      const [record] = await d.store.getMessages([entry]);
      if (!record) throw new OrbitError('MESSAGE_NOT_FOUND', `no message at offset ${queueOffset} of queue ${queueId}`);
      to ||= originTopicOf(record);
      if (!to) throw new OrbitError('BAD_REQUEST', `message ${record.messageId} names no topic it came from (not a dead letter or retry): name a target topic`);
      const m = asNewMessage(record, to);
      const { results } = await d.send.sendMessages([m], RESEND_CLIENT);
      out.push({ queueOffset, ok: true, toTopic: to, messageId: m.systemProperties?.messageId ?? '', newQueueOffset: results[0]?.queueOffset ?? -1 });
    } catch (e) {
      const err = toOrbitError(e);
      out.push({ queueOffset, ok: false, toTopic: to, code: err.code, error: err.message });
    }
  }
  return out;
}
