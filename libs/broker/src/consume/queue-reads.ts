import type { SubscriptionGroupConfig } from '../meta';
import type { StorePort, StoreRecord } from '../store-port';

/**
 * Where a group starts in a queue: its committed offset, else its policy's offset, which is then
 * committed at once (as RocketMQ's pop does). From its first receive on, the group has a claim on
 * the queue: disk-pressure cleanup will not delete what it has not consumed (libs/storage
 * unconsumed.ts), even before its first ack.
 */
export async function claimStartOffset(
  store: Pick<StorePort, 'getConsumerOffset' | 'getMinQueueOffset' | 'getQueueOffsetByTime' | 'setConsumerOffset'>,
  group: SubscriptionGroupConfig,
  topic: string,
  queueId: number,
): Promise<number> {
  const committed = await store.getConsumerOffset(group.groupName, topic, queueId);
  if (committed !== undefined) return committed;
  const offset =
    group.consumeFromWhere === 'CONSUME_FROM_FIRST_OFFSET'
      ? await store.getMinQueueOffset(topic, queueId)
      : await store.getQueueOffsetByTime(topic, queueId, group.consumeTimestampMs); // LAST_OFFSET: the group's creation time
  await store.setConsumerOffset(group.groupName, topic, queueId, offset);
  return offset;
}

/**
 * The records of a run of queue entries, one ranged read; undefined where retention removed one
 * (a pop that scanned entries before a segment was deleted must skip them, not fail).
 */
export async function readRecordsAfterRetention(
  store: Pick<StorePort, 'getMessages' | 'getMessage'>,
  entries: readonly { logOffset: number; size: number }[],
): Promise<(StoreRecord | undefined)[]> {
  try {
    return await store.getMessages(entries);
  } catch (err) {
    if (!removedByRetention(err)) throw err;
    return Promise.all(entries.map((e) => readRecordAfterRetention(store, e))); // retention cut into the run: one by one
  }
}

/** One record; undefined when retention removed it. */
export async function readRecordAfterRetention(store: Pick<StorePort, 'getMessage'>, e: { logOffset: number; size: number }): Promise<StoreRecord | undefined> {
  try {
    return await store.getMessage(e.logOffset, e.size);
  } catch (err) {
    if (removedByRetention(err)) return undefined;
    throw err;
  }
}

function removedByRetention(err: unknown): boolean {
  return (err as { code?: string }).code === 'OFFSET_TOO_SMALL';
}
