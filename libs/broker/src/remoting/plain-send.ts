import { MessageProperty as P, NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR } from '@orbitmq/remoting';
import { SYSFLAG_TYPE, type SystemProps, encodeProperties } from '../message';
import { type IncomingMessage, type MessageLimits, checkMessageFields, checkUserProperties } from '../send';
import { DELAY, SYSTEM, uniqueMessageId } from './message-mapping';

/*
 * The common 4.x send mapped straight to the send path's IncomingMessage: a message whose
 * properties are only TAGS, KEYS, UNIQ_KEY, WAIT and user properties (what producers send for a
 * normal message). Anything else (a delay, a transaction, another system property, a compressed
 * body) goes the general way: fromRemotingMessage, then decodeIncoming.
 *
 * Why a second mapping: the general one builds a v5-shaped message (a Map of properties, nested
 * objects, a timestamp as strings) only to take it apart again; for a 64-message batch that was
 * ~20 % of the broker's main thread in a W1 profile (docs/benchmarks.md). The result is the same
 * IncomingMessage, byte for byte in the record (test/remoting-plain-send.test.ts checks it
 * against the general path), with the same checks (checkMessageFields, checkUserProperties).
 */

/** What every message of one send request shares. */
export interface PlainSendContext {
  /** Already checked once for the request (checkTopicName, not a system topic). */
  topic: string;
  bornTimestampMs: number;
  /** The producer's address as the broker sees it ("ip:port"). */
  bornHost: string;
  limits: MessageLimits;
  /** The encoded properties of a message without user properties or flag: one buffer per request. */
  sharedProperties?: Buffer;
}

/** The message as the send path takes it, or undefined when it needs the general mapping. */
export function plainIncoming(properties: Buffer, body: Buffer, flag: number, ctx: PlainSendContext): IncomingMessage | undefined {
  const text = properties.toString('utf8');
  let tag: string | undefined;
  let keysText = '';
  let messageId = '';
  let user: Record<string, string> | undefined;
  // The entry rules of decodeProperties (remoting): empty names or values skipped, a later duplicate wins.
  let index = 0;
  while (index < text.length) {
    let next = text.indexOf(PROPERTY_SEPARATOR, index);
    if (next < 0) next = text.length;
    const sep = text.indexOf(NAME_VALUE_SEPARATOR, index);
    if (sep > index && sep < next - 1) {
      const name = text.slice(index, sep);
      const value = text.slice(sep + 1, next);
      if (name === P.UNIQ_CLIENT_MESSAGE_ID_KEYIDX) messageId = value;
      else if (name === P.TAGS) tag = value;
      else if (name === P.KEYS) keysText = value;
      else if (name !== P.WAIT_STORE_MSG_OK) {
        if (SYSTEM.has(name) || DELAY.has(name) || name === '__proto__') return undefined;
        (user ??= {})[name] = value;
      }
    }
    index = next + 1;
  }
  if (messageId.length === 0) messageId = uniqueMessageId();
  const keys = keysText.length === 0 ? [] : keysText.split(' ').filter((k) => k.length > 0);
  checkMessageFields(messageId, tag, keys, body, ctx.limits);
  if (user) checkUserProperties(user, ctx.limits);
  const system: SystemProps = ctx.bornHost ? { bornHost: ctx.bornHost } : {};
  if (flag !== 0) system.classicFlag = String(flag);
  const encoded = user || flag !== 0 ? encodeProperties(system, user) : (ctx.sharedProperties ??= encodeProperties(system, undefined));
  return {
    topic: ctx.topic,
    messageId,
    type: 'NORMAL',
    declaredType: 'NORMAL',
    system,
    user: user ?? {},
    append: {
      topic: ctx.topic,
      sysFlag: SYSFLAG_TYPE.NORMAL,
      bornTimestampMs: ctx.bornTimestampMs,
      messageId,
      tag,
      keys,
      properties: encoded,
      body,
    },
  };
}
