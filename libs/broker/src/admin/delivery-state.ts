import { OrbitError } from '@orbitmq/protocol';
import type { InflightEntry, PopService } from '../consume';
import { deadLetterTopic } from '../consume';
import { TIMER_TOPIC, decodeProperties } from '../message';
import type { GroupManager } from '../meta';
import type { StoreFound, StorePort, StoreRecord } from '../store-port';

/** Groups examined for one message (each costs an offset lookup); more are reported as left out. */
export const MAX_DELIVERY_GROUPS = 1_024;
/** Copies of a message (retries, delayed retries, dead letters) looked up by its id. */
const MAX_COPIES = 64;

/**
 * Where one message stands for a group:
 *   CONSUMED            acked (receive), or the group's offset is past it (pull; after retries too)
 *   NOT_CONSUMED_YET    at or after the group's offset / scan position
 *   IN_FLIGHT           delivered (attempt n) and invisible until invisibleUntilMs
 *   AWAITING_REDELIVERY delivered, not acked, invisible time over: the next receive gets it again
 *   HELD_BY_ORDER       an earlier message of its message group is in flight (ordered group)
 *   RETRYING            sent back by a 4.x consumer: a copy waits in %RETRY%<group> (or for its delay)
 *   DEAD_LETTERED       out of attempts: a copy is in %DLQ%<group>
 */
export type DeliveryStateName = 'CONSUMED' | 'NOT_CONSUMED_YET' | 'IN_FLIGHT' | 'AWAITING_REDELIVERY' | 'HELD_BY_ORDER' | 'RETRYING' | 'DEAD_LETTERED';

export interface GroupDelivery {
  group: string;
  state: DeliveryStateName;
  /** Deliveries so far (receive), or the attempt of the latest retry / dead-letter copy (0: none known). */
  attempt: number;
  /** IN_FLIGHT: until when; RETRYING: when the delayed copy is due (0 when not known). */
  untilMs: number;
  /** The group's consumed offset in the message's queue (-1 when it has none). */
  consumerOffset: number;
  /** DEAD_LETTERED / RETRYING: the copy's topic and queue offset. */
  copy?: { topic: string; queueOffset: number };
}

export interface DeliveryStateDeps {
  store: Pick<StorePort, 'readQueue' | 'getMessages' | 'getConsumerOffset' | 'findByMessageId'>;
  groups: Pick<GroupManager, 'list'>;
  pop: Pick<PopService, 'deliveryOf'>;
  nowMs?: () => number;
}

/** The message at (topic, queueId, queueOffset) and its delivery state for every group that consumes its queue. */
export async function deliveryState(
  d: DeliveryStateDeps,
  topic: string,
  queueId: number,
  queueOffset: number,
): Promise<{ record: StoreRecord; deliveries: GroupDelivery[]; groupsLeftOut: number }> {
  const read = await d.store.readQueue(topic, queueId, queueOffset, 1);
  const entry = read.status === 'FOUND' ? read.entries[0] : undefined;
  if (!entry || entry.queueOffset !== queueOffset)
    throw new OrbitError('MESSAGE_NOT_FOUND', `no message at ${topic}[${queueId}]@${queueOffset} (${read.status})`);
  const [record] = await d.store.getMessages([entry]);
  if (!record) throw new OrbitError('MESSAGE_NOT_FOUND', `no message at ${topic}[${queueId}]@${queueOffset}`);
  const copies = (await d.store.findByMessageId(record.messageId, MAX_COPIES)).filter((f) => f.record.topic !== topic);
  const all = d.groups.list().map((g) => g.groupName);
  const names = all.slice(0, MAX_DELIVERY_GROUPS);
  const now = (d.nowMs ?? Date.now)();
  const deliveries: GroupDelivery[] = [];
  for (const group of names) {
    const found = await groupDelivery(d, group, record, copies, now);
    if (found) deliveries.push(found);
  }
  return { record, deliveries, groupsLeftOut: all.length - names.length };
}

async function groupDelivery(d: DeliveryStateDeps, group: string, m: StoreRecord, copies: StoreFound[], now: number): Promise<GroupDelivery | undefined> {
  const pop = d.pop.deliveryOf(group, m.topic, m.queueId, m.queueOffset);
  const committed = await d.store.getConsumerOffset(group, m.topic, m.queueId);
  if (!pop && committed === undefined) return undefined;
  const consumerOffset = pop?.ackOffset ?? committed ?? -1;
  const base = { group, attempt: 0, untilMs: 0, consumerOffset };
  const dead = copies.find((c) => c.record.topic === deadLetterTopic(group));
  if (dead) return { ...base, state: 'DEAD_LETTERED', attempt: dead.record.reconsumeTimes, copy: copyOf(dead) };
  if (pop?.entry) return { ...base, ...inflightState(pop.entry, now) };
  if (pop) return { ...base, state: m.queueOffset < pop.scanOffset ? 'CONSUMED' : 'NOT_CONSUMED_YET' };
  if (m.queueOffset >= consumerOffset) return { ...base, state: 'NOT_CONSUMED_YET' };
  return retryState(d, group, copies, base);
}

function inflightState(e: InflightEntry, now: number): Pick<GroupDelivery, 'state' | 'attempt' | 'untilMs'> {
  if (e.attempt === 0) return { state: 'HELD_BY_ORDER', attempt: 0, untilMs: 0 };
  if (e.invisibleUntilMs > now) return { state: 'IN_FLIGHT', attempt: e.attempt, untilMs: e.invisibleUntilMs };
  return { state: 'AWAITING_REDELIVERY', attempt: e.attempt, untilMs: e.invisibleUntilMs };
}

/** A pull consumer past the message: consumed, unless it sent the message back (4.x retries). */
async function retryState(d: DeliveryStateDeps, group: string, copies: StoreFound[], base: Omit<GroupDelivery, 'state'>): Promise<GroupDelivery> {
  const retryTopic = `%RETRY%${group}`;
  const delayed = copies.filter((c) => c.record.topic === TIMER_TOPIC && decodeProperties(c.record.properties).system.realTopic === retryTopic);
  const retried = copies.filter((c) => c.record.topic === retryTopic);
  const latest = retried.sort((a, b) => b.record.reconsumeTimes - a.record.reconsumeTimes)[0];
  const waiting = delayed.sort((a, b) => b.record.reconsumeTimes - a.record.reconsumeTimes)[0];
  if (waiting && (!latest || waiting.record.reconsumeTimes > latest.record.reconsumeTimes)) {
    const due = Number(decodeProperties(waiting.record.properties).system.deliveryTimestampMs ?? 0);
    return { ...base, state: 'RETRYING', attempt: waiting.record.reconsumeTimes, untilMs: due, copy: { topic: retryTopic, queueOffset: -1 } };
  }
  if (!latest) return { ...base, state: 'CONSUMED' };
  const retryOffset = (await d.store.getConsumerOffset(group, retryTopic, latest.record.queueId)) ?? -1;
  const done = retryOffset > latest.record.queueOffset;
  return { ...base, state: done ? 'CONSUMED' : 'RETRYING', attempt: latest.record.reconsumeTimes, copy: copyOf(latest) };
}

function copyOf(f: StoreFound): { topic: string; queueOffset: number } {
  return { topic: f.record.topic, queueOffset: f.record.queueOffset };
}
