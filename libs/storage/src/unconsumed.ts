import type { Kv } from './kv';
import { NS, cqKey, cqQueuePrefix, decodeConsumerOffsetKey, prefixEnd } from './keys';
import type { QueueTable } from './queue-table';
import { readU64 } from './u64';

/** Committed consumer offsets, grouped by queue: "topic\0queueId" -> [{ group, offset }]. */
export type ConsumerClaims = Map<string, { topic: string; queueId: number; groups: { group: string; offset: number }[] }>;

/**
 * Every committed consumer offset ('o' keys), by queue. A group has a claim on a queue's messages
 * from its committed offset on; a group with no committed offset for a queue has none there
 * (RocketMQ's view: a group that never consumed a queue has no position in it). Groups that
 * receive with pop commit their lowest unacknowledged offset, so in-flight messages stay claimed.
 */
export async function loadConsumerClaims(kv: Kv): Promise<ConsumerClaims> {
  const claims: ConsumerClaims = new Map();
  await kv.forEach({ gte: Buffer.from([NS.consumerOffset]), lt: Buffer.from([NS.consumerOffset + 1]) }, (k, v) => {
    const { group, topic, queueId } = decodeConsumerOffsetKey(k);
    const id = `${topic}\u0000${queueId}`;
    let q = claims.get(id);
    if (!q) claims.set(id, (q = { topic, queueId, groups: [] }));
    q.groups.push({ group, offset: readU64(v, 0) });
  });
  return claims;
}

/**
 * The first queue offset in [from, to) whose entry points at or past `logOffset` (`to` if none).
 * A queue's log offsets grow with its queue offsets, so a binary search with point reads works;
 * an entry pruned meanwhile counts as below.
 */
async function firstAtOrAfter(kv: Kv, topic: string, queueId: number, from: number, to: number, logOffset: number): Promise<number> {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const v = await kv.get(cqKey(topic, queueId, mid));
    if (!v || readU64(v, 0) < logOffset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Per group, how many messages in the log range [start, end) the group has not consumed: entries of
 * the queues it has a claim on whose queue offset is at or past its committed offset. Cost: two
 * binary searches (about 2 x log2(queue length) LevelDB point reads) per queue with a claim,
 * nothing per message. Groups with nothing unconsumed are left out.
 */
export async function countUnconsumed(kv: Kv, claims: ConsumerClaims, dispatched: QueueTable, start: number, end: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { topic, queueId, groups } of claims.values()) {
    const max = dispatched.get(topic, queueId);
    if (max === 0) continue;
    const prefix = cqQueuePrefix(topic, queueId);
    const first = await kv.first({ gte: prefix, lt: prefixEnd(prefix) });
    if (!first) continue;
    const min = readU64(first[0], first[0].length - 8);
    const lo = await firstAtOrAfter(kv, topic, queueId, min, max, start);
    const hi = await firstAtOrAfter(kv, topic, queueId, lo, max, end);
    if (hi === lo) continue;
    for (const { group, offset } of groups) {
      const n = hi - Math.max(lo, offset);
      if (n > 0) out[group] = (out[group] ?? 0) + n;
    }
  }
  return out;
}
