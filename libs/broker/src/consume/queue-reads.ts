import type { SubscriptionGroupConfig } from '../meta';
import type { StorePort, StoreRecord } from '../store-port';

/** Where a group starts in a queue it has never consumed: its committed offset, else its policy. */
export async function startOffset(
  store: Pick<StorePort, 'getConsumerOffset' | 'getMinQueueOffset' | 'getQueueOffsetByTime'>,
  group: SubscriptionGroupConfig,
  topic: string,
  queueId: number,
): Promise<number> {
  const committed = await store.getConsumerOffset(group.groupName, topic, queueId);
  if (committed !== undefined) return committed;
  switch (group.consumeFromWhere) {
    case 'CONSUME_FROM_FIRST_OFFSET':
      return store.getMinQueueOffset(topic, queueId);
    case 'CONSUME_FROM_TIMESTAMP':
    case 'CONSUME_FROM_LAST_OFFSET':
      return store.getQueueOffsetByTime(topic, queueId, group.consumeTimestampMs);
  }
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
