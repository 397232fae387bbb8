import { MessageProperty as P, decodeProperties as decodeClassic, encodeProperties as encodeClassic } from '@orbitmq/remoting';
import { SYSFLAG_TYPE_MASK, copyRecord, decodeProperties, encodeProperties } from '../message';
import { PERM_READ, PERM_WRITE, type TopicManager } from '../meta';
import type { StorePort, StoreRecord } from '../store-port';

/** A message that used up its delivery attempts, on its way to %DLQ%<group>. */
export interface DeadLetter {
  record: StoreRecord;
  attempts: number;
}

/** Moves dead letters of a group to its DLQ topic. */
export type DeadLetterSink = (group: string, letters: DeadLetter[]) => Promise<void>;

export function deadLetterTopic(group: string): string {
  return `%DLQ%${group}`;
}

/**
 * A message delivered maxDeliveryAttempts times without an ack is appended to %DLQ%<group>
 * (created on first use, one queue), keeping its id, keys, tag, properties and body; the number
 * of attempts becomes its reconsume count. The DLQ is an ordinary topic and can be consumed. Only
 * the message-type bits of sysFlag are kept: a timer or transaction bit would make the dispatch
 * indexes count the copy as completing a delayed or half message a second time. As RocketMQ does,
 * the copy names where it came from (RETRY_TOPIC, ORIGIN_MESSAGE_ID), so an operator can send it
 * back to its topic.
 */
export class DeadLetterQueue {
  constructor(
    private readonly store: Pick<StorePort, 'appendBatch'>,
    private readonly topics: TopicManager,
    private readonly onMoved: (group: string, letters: DeadLetter[]) => void,
  ) {}

  readonly append: DeadLetterSink = async (group, letters) => {
    const topic = deadLetterTopic(group);
    if (!this.topics.get(topic))
      await this.topics.upsert({ topicName: topic, readQueueNums: 1, writeQueueNums: 1, perm: PERM_READ | PERM_WRITE, messageType: 'MIXED' });
    await this.store.appendBatch(
      letters.map(({ record: r, attempts }) =>
        copyRecord(r, { topic, queueId: 0, sysFlag: r.sysFlag & SYSFLAG_TYPE_MASK, reconsumeTimes: attempts, properties: withOrigin(r) }),
      ),
    );
    this.onMoved(group, letters);
  };
}

/** The record's properties with its origin (kept when it already names one: a 4.x retry's). */
function withOrigin(r: StoreRecord): Buffer {
  const { system, user } = decodeProperties(r.properties);
  const classic = system.classicProperties ? decodeClassic(system.classicProperties) : new Map<string, string>();
  if (classic.has(P.RETRY_TOPIC) && classic.has(P.ORIGIN_MESSAGE_ID)) return r.properties;
  if (!classic.has(P.RETRY_TOPIC)) classic.set(P.RETRY_TOPIC, r.topic);
  if (!classic.has(P.ORIGIN_MESSAGE_ID)) classic.set(P.ORIGIN_MESSAGE_ID, r.messageId);
  return encodeProperties({ ...system, classicProperties: encodeClassic(classic) }, user);
}
