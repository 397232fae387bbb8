import type { MessageStore } from '../src';

/** Copies the master's log [from, to) to the replica the way a replication client would. */
export async function replicate(master: MessageStore, replica: MessageStore, from: number, to = master.stats().endOffset): Promise<number> {
  let at = from;
  while (at < to) {
    const chunk = await master.readRaw(at, Math.min(8_000, to - at));
    if (chunk.bytes.length === 0) throw new Error(`readRaw at ${at} returned nothing`);
    const r = await replica.appendReplicated(at, chunk.bytes);
    at = r.endOffset;
  }
  return at;
}

/** Everything a reader can see through queues and indexes, for comparing two stores. */
export async function visibleState(store: MessageStore, keys: string[], ids: string[]): Promise<unknown> {
  await store.whenDispatched();
  const queues = [];
  for (let q = 0; q < 4; q++) {
    const read = await store.readQueue('TopicA', q, 0, 100_000);
    queues.push({ max: store.getMaxQueueOffset('TopicA', q), entries: read.entries });
  }
  const byKey = [];
  for (const k of keys) byKey.push((await store.findByKey('TopicA', k, { maxResults: 1000 })).map((f) => f.logOffset).sort((a, b) => a - b));
  const byId = [];
  for (const id of ids) byId.push((await store.findByMessageId(id)).map((f) => f.logOffset));
  return { queues, byKey, byId };
}
