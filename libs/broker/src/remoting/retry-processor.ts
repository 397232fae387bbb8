import { OrbitError, checkGroupName, toOrbitError } from '@orbitmq/protocol';
import {
  MessageProperty as P,
  type RemotingCommand,
  ResponseCode,
  createResponse,
  decodeProperties as decodeClassic,
  encodeProperties as encodeClassic,
} from '@orbitmq/remoting';
import { deadLetterTopic } from '../consume';
import { SYSFLAG_TYPE, TIMER_TOPIC, copyRecord, decodeProperties, encodeProperties } from '../message';
import { PERM_READ, PERM_WRITE, type TopicManager } from '../meta';
import type { StorePort, StoreRecord } from '../store-port';
import { errorResponse, headerInt, requireField } from './remoting-headers';

/** RocketMQ's default when the consumer names none (DefaultMQPushConsumer.maxReconsumeTimes). */
const DEFAULT_MAX_RECONSUME_TIMES = 16;
/** delayLevel 0 means "the broker chooses": level 3 + the attempts so far (RocketMQ's ladder). */
const FIRST_RETRY_LEVEL = 3;

export function retryTopic(group: string): string {
  return `%RETRY%${group}`;
}

export interface RetryProcessorDeps {
  store: StorePort;
  topics: TopicManager;
  /** messageDelayLevel, parsed: level n waits delayLevelsMs[n - 1]. */
  delayLevelsMs: readonly number[];
  nowMs?: () => number;
  /** A retry or DLQ topic was created: consumers must be able to route it. */
  publishRoutes?: () => void;
}

/**
 * CONSUMER_SEND_MSG_BACK (36): a 4.x consumer failed a message. The record at `offset` goes to
 * %RETRY%<group> after the delay of its next level (via the timer topic, like any delayed
 * message), with RETRY_TOPIC (its real topic), ORIGIN_MESSAGE_ID and its attempt count; past
 * maxReconsumeTimes, or when the consumer asks (delayLevel < 0), to %DLQ%<group> at once.
 */
export async function processSendBack(deps: RetryProcessorDeps, cmd: RemotingCommand): Promise<RemotingCommand> {
  try {
    const h = cmd.extFields;
    const group = requireField(h, 'group');
    checkGroupName(group);
    const offset = headerInt(h, 'offset', 0, Number.MAX_SAFE_INTEGER);
    const delayLevel = headerInt(h, 'delayLevel', -1_000, 1_000, 0);
    const maxReconsume = headerInt(h, 'maxReconsumeTimes', -1, 10_000, DEFAULT_MAX_RECONSUME_TIMES);
    let record: StoreRecord;
    try {
      record = await deps.store.getMessageAt(offset);
    } catch (e) {
      throw new OrbitError('MESSAGE_NOT_FOUND', `no message at commit-log offset ${offset}: ${(e as Error).message}`);
    }
    const attempts = record.reconsumeTimes + 1;
    const properties = retryProperties(record, h.originMsgId);
    if (delayLevel < 0 || attempts > (maxReconsume < 0 ? DEFAULT_MAX_RECONSUME_TIMES : maxReconsume)) {
      const dlq = await ensureTopic(deps, deadLetterTopic(group));
      await deps.store.appendBatch([copyRecord(record, { topic: dlq, queueId: 0, sysFlag: SYSFLAG_TYPE.NORMAL, properties, reconsumeTimes: attempts })]);
      return createResponse(cmd, ResponseCode.SUCCESS);
    }
    const topic = await ensureTopic(deps, retryTopic(group));
    const levels = deps.delayLevelsMs;
    const level = Math.min(delayLevel === 0 ? FIRST_RETRY_LEVEL + record.reconsumeTimes : delayLevel, levels.length);
    const dueMs = (deps.nowMs ?? Date.now)() + (levels[level - 1] ?? 0);
    const { system, user } = decodeProperties(properties);
    const held = encodeProperties({ ...system, realTopic: topic, deliveryTimestampMs: String(dueMs) }, user);
    await deps.store.appendBatch([
      copyRecord(record, { topic: TIMER_TOPIC, queueId: 0, sysFlag: SYSFLAG_TYPE.DELAY, properties: held, reconsumeTimes: attempts }),
    ]);
    return createResponse(cmd, ResponseCode.SUCCESS);
  } catch (err) {
    return errorResponse(cmd, toOrbitError(err));
  }
}

/**
 * The failed record's properties with RocketMQ's retry bookkeeping: RETRY_TOPIC keeps the
 * message's real topic across retries, ORIGIN_MESSAGE_ID the first message's id. Only the
 * message-type bits survive (a timer or transaction bit would be counted twice by dispatch).
 */
function retryProperties(record: StoreRecord, originMsgId: string | undefined): Buffer {
  const { system, user } = decodeProperties(record.properties);
  const classic = system.classicProperties ? decodeClassic(system.classicProperties) : new Map<string, string>();
  if (!classic.has(P.RETRY_TOPIC)) classic.set(P.RETRY_TOPIC, record.topic);
  if (!classic.has(P.ORIGIN_MESSAGE_ID)) classic.set(P.ORIGIN_MESSAGE_ID, originMsgId || record.messageId);
  const { realTopic: _t, deliveryTimestampMs: _d, originOffset: _o, producerClientId: _p, ...rest } = system;
  return encodeProperties({ ...rest, classicProperties: encodeClassic(classic) }, user);
}

/** Retry and dead-letter topics have one queue, readable and writable, created on first use. */
async function ensureTopic(deps: RetryProcessorDeps, name: string): Promise<string> {
  if (deps.topics.get(name)) return name;
  await deps.topics.upsert({ topicName: name, readQueueNums: 1, writeQueueNums: 1, perm: PERM_READ | PERM_WRITE, messageType: 'MIXED' });
  deps.publishRoutes?.();
  return name;
}
