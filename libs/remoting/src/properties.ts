// A message's properties as RocketMQ stores and sends them: "name\x01value\x02name\x01value\x02"
// (MessageDecoder.messageProperties2String / string2messageProperties).
import { RemotingProtocolError } from './errors';

export const NAME_VALUE_SEPARATOR = '\u0001';
export const PROPERTY_SEPARATOR = '\u0002';

/** Well-known property names (MessageConst.PROPERTY_*). */
export const MessageProperty = {
  KEYS: 'KEYS',
  TAGS: 'TAGS',
  WAIT_STORE_MSG_OK: 'WAIT',
  DELAY_TIME_LEVEL: 'DELAY',
  RETRY_TOPIC: 'RETRY_TOPIC',
  REAL_TOPIC: 'REAL_TOPIC',
  REAL_QUEUE_ID: 'REAL_QID',
  TRANSACTION_PREPARED: 'TRAN_MSG',
  PRODUCER_GROUP: 'PGROUP',
  MIN_OFFSET: 'MIN_OFFSET',
  MAX_OFFSET: 'MAX_OFFSET',
  BUYER_ID: 'BUYER_ID',
  ORIGIN_MESSAGE_ID: 'ORIGIN_MESSAGE_ID',
  TRANSFER_FLAG: 'TRANSFER_FLAG',
  CORRECTION_FLAG: 'CORRECTION_FLAG',
  MQ2_FLAG: 'MQ2_FLAG',
  RECONSUME_TIME: 'RECONSUME_TIME',
  MSG_REGION: 'MSG_REGION',
  TRACE_SWITCH: 'TRACE_ON',
  UNIQ_CLIENT_MESSAGE_ID_KEYIDX: 'UNIQ_KEY',
  EXTEND_UNIQ_INFO: 'EXTEND_UNIQ_INFO',
  MAX_RECONSUME_TIMES: 'MAX_RECONSUME_TIMES',
  CONSUME_START_TIMESTAMP: 'CONSUME_START_TIME',
  INNER_NUM: 'INNER_NUM',
  INNER_BASE: 'INNER_BASE',
  DUP_INFO: 'DUP_INFO',
  CHECK_IMMUNITY_TIME_IN_SECONDS: 'CHECK_IMMUNITY_TIME_IN_SECONDS',
  TRANSACTION_PREPARED_QUEUE_OFFSET: 'TRAN_PREPARED_QUEUE_OFFSET',
  TRANSACTION_ID: '__transactionId__',
  TRANSACTION_CHECK_TIMES: 'TRANSACTION_CHECK_TIMES',
  INSTANCE_ID: 'INSTANCE_ID',
  CORRELATION_ID: 'CORRELATION_ID',
  MESSAGE_REPLY_TO_CLIENT: 'REPLY_TO_CLIENT',
  MESSAGE_TTL: 'TTL',
  REPLY_MESSAGE_ARRIVE_TIME: 'ARRIVE_TIME',
  PUSH_REPLY_TIME: 'PUSH_REPLY_TIME',
  CLUSTER: 'CLUSTER',
  MESSAGE_TYPE: 'MSG_TYPE',
  SHARDING_KEY: '__SHARDINGKEY',
  FORWARD_QUEUE_ID: 'PROPERTY_FORWARD_QUEUE_ID',
  REDIRECT: 'REDIRECT',
  INNER_MULTI_DISPATCH: 'INNER_MULTI_DISPATCH',
  INNER_MULTI_QUEUE_OFFSET: 'INNER_MULTI_QUEUE_OFFSET',
  TRACE_CONTEXT: 'TRACE_CONTEXT',
  TIMER_DELAY_SEC: 'TIMER_DELAY_SEC',
  TIMER_DELIVER_MS: 'TIMER_DELIVER_MS',
  BORN_HOST: '__BORNHOST',
  BORN_TIMESTAMP: 'BORN_TIMESTAMP',
  /** Aliyun ONS / ali-ons scheduled delivery time (ms since epoch). */
  START_DELIVER_TIME: '__STARTDELIVERTIME',
} as const;

/** Properties starting with this prefix are never stored (MessageConst.PROPERTY_TRANSIENT_PREFIX). */
export const TRANSIENT_PROPERTY_PREFIX = '__RMQ.TRANSIENT.';

/** KEYS holds several keys separated by a space (MessageConst.KEY_SEPARATOR). */
export const KEY_SEPARATOR = ' ';

/**
 * Parses a properties string like string2messageProperties: entries with an empty name or value are
 * skipped, a trailing separator (or none) is fine, a later duplicate wins.
 */
export function decodeProperties(input: string | Buffer): Map<string, string> {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  const props = new Map<string, string>();
  let index = 0;
  while (index < text.length) {
    let next = text.indexOf(PROPERTY_SEPARATOR, index);
    if (next < 0) next = text.length;
    const sep = text.indexOf(NAME_VALUE_SEPARATOR, index);
    if (sep > index && sep < next - 1) props.set(text.slice(index, sep), text.slice(sep + 1, next));
    index = next + 1;
  }
  return props;
}

function checkPart(part: string, what: string): void {
  if (part.includes(NAME_VALUE_SEPARATOR) || part.includes(PROPERTY_SEPARATOR)) {
    throw new RemotingProtocolError('REMOTING_BAD_PROPERTIES', `property ${what} ${JSON.stringify(part)} contains a \\x01 or \\x02 separator`);
  }
}

/** Joins properties as messageProperties2String does (every entry ends in \x02); undefined values are left out. */
export function encodeProperties(props: Map<string, string> | Record<string, string | undefined>): string {
  const entries = props instanceof Map ? props.entries() : Object.entries(props);
  let text = '';
  for (const [name, value] of entries) {
    if (value === undefined || value === null) continue;
    checkPart(name, 'name');
    checkPart(value, 'value');
    text += name + NAME_VALUE_SEPARATOR + value + PROPERTY_SEPARATOR;
  }
  return text;
}
