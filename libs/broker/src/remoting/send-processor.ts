import { OrbitError, checkTopicName, toOrbitError } from '@orbitmq/protocol';
import {
  type RemotingCommand,
  type RemotingConnection,
  MessageSysFlag,
  ResponseCode,
  createResponse,
  decodeBatchRaw,
  decodeProperties as decodeClassic,
} from '@orbitmq/remoting';
import { isSystemTopic } from '../message';
import { type IncomingMessage, MAX_MESSAGES_PER_SEND, type SendHandler, decodeIncoming, incomingBytes } from '../send';
import { transactionIdOf } from '../transaction';
import { fromRemotingMessage } from './message-mapping';
import { type PlainSendContext, plainIncoming } from './plain-send';
import { errorResponse, headerInt, requireField } from './remoting-headers';

/** SEND_MESSAGE_V2 names the V1 fields by letter, in this order (SendMessageRequestHeaderV2). */
const V2_NAMES: Record<string, string> = {
  a: 'producerGroup',
  b: 'topic',
  c: 'defaultTopic',
  d: 'defaultTopicQueueNums',
  e: 'queueId',
  f: 'sysFlag',
  g: 'bornTimestamp',
  h: 'flag',
  i: 'properties',
  j: 'reconsumeTimes',
  k: 'unitMode',
  l: 'maxReconsumeTimes',
  m: 'batch',
  n: 'brokerName',
};

/** The V1 header of a SEND_MESSAGE, SEND_MESSAGE_V2 or SEND_BATCH_MESSAGE request. */
export function sendHeader(cmd: RemotingCommand, v2: boolean): Record<string, string> {
  if (!v2) return cmd.extFields;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(cmd.extFields)) out[V2_NAMES[k] ?? k] = v;
  return out;
}

export interface SendProcessorDeps {
  send: SendHandler;
  /** The 4.x offsetMsgId of a record of this broker (brokerIP1 and the remoting port: offsetMsgIdFormatter). */
  offsetMsgId: (logOffset: number) => string;
}

/**
 * SEND_MESSAGE (10), SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320): the same send path as the
 * v5 SendMessage, with the queue the producer chose. The response's msgId is the 4.x
 * offsetMsgId (store host + commit-log offset; a batch's are comma-joined), which
 * VIEW_MESSAGE_BY_ID, END_TRANSACTION and CONSUMER_SEND_MSG_BACK address records by.
 */
export async function processSend(
  deps: SendProcessorDeps,
  cmd: RemotingCommand,
  conn: RemotingConnection,
  v2: boolean,
  batch: boolean,
): Promise<RemotingCommand> {
  let release: (() => void) | undefined;
  try {
    const h = sendHeader(cmd, v2);
    const queueId = headerInt(h, 'queueId', 0, 65_535);
    const messages = incomingOf(deps, h, cmd.body ?? Buffer.alloc(0), conn.remoteAddress, batch);
    const admitted = deps.send.admit(conn.remoteAddress, incomingBytes(messages));
    if (admitted && 'refused' in admitted) throw new OrbitError('TOO_MANY_REQUESTS', `send refused: ${admitted.refused}; retry later`);
    if (admitted && 'release' in admitted) release = admitted.release;
    const { incoming, results } = await deps.send.sendIncoming(messages, h.producerGroup ?? '', queueId);
    const first = results[0];
    if (!first) throw new OrbitError('INTERNAL_ERROR', 'the send stored nothing');
    const ids = results.map((r) => deps.offsetMsgId(r.logOffset));
    const fields: Record<string, string> = { msgId: ids.join(','), queueId: String(queueId), queueOffset: String(first.queueOffset) };
    // The half record's log offset, as for v5 producers (END_TRANSACTION names it too).
    if (incoming[0]?.type === 'TRANSACTION') fields.transactionId = transactionIdOf(first.logOffset);
    return createResponse(cmd, ResponseCode.SUCCESS, undefined, fields);
  } catch (err) {
    return errorResponse(cmd, toOrbitError(err));
  } finally {
    release?.();
  }
}

/** The request's messages, checked: the common case mapped directly (plain-send), the rest the general way. */
function incomingOf(deps: SendProcessorDeps, h: Record<string, string>, body: Buffer, bornHost: string, batch: boolean): IncomingMessage[] {
  const limits = deps.send.limits;
  const topic = requireField(h, 'topic');
  const sysFlag = headerInt(h, 'sysFlag', 0, 0x7fffffff, 0);
  const bornTimestampMs = headerInt(h, 'bornTimestamp', 0, Number.MAX_SAFE_INTEGER, Date.now());
  const nowMs = Date.now();
  const general = (b: Buffer, flag: number, properties: string | Buffer): IncomingMessage => {
    const props = typeof properties === 'string' ? properties : decodeClassic(properties);
    return decodeIncoming(
      fromRemotingMessage({ topic, sysFlag, bornTimestampMs, bornHost, body: b, flag, properties: props }, limits.maxMessageSize),
      limits,
      nowMs,
    );
  };
  if (!batch) return [general(body, headerInt(h, 'flag', -0x80000000, 0x7fffffff, 0), h.properties ?? '')];
  const entries = decodeBatchRaw(body, { maxMessages: MAX_MESSAGES_PER_SEND, maxBodyBytes: limits.maxMessageSize });
  // A compressed batch, or a bad or system topic, goes the general way (which refuses the latter two per message).
  if ((sysFlag & MessageSysFlag.COMPRESSED) !== 0 || !plainTopic(topic)) return entries.map((e) => general(e.body, e.flag, e.properties));
  const ctx: PlainSendContext = { topic, bornTimestampMs, bornHost, limits };
  return entries.map((e) => plainIncoming(e.properties, e.body, e.flag, ctx) ?? general(e.body, e.flag, e.properties));
}

function plainTopic(topic: string): boolean {
  try {
    checkTopicName(topic);
  } catch {
    return false;
  }
  return !isSystemTopic(topic);
}
