import { OrbitError } from '@orbitmq/protocol';
import type { MessageFilter, SubscriptionFilters } from '../filter';
import { MATCH_ALL } from '../filter';
import type { TopicManager } from '../meta';
import type { StorePort, StoreQueueEntry, StoreRecord } from '../store-port';

/** Bounds of one browse: matches it may return, and consume-queue entries it may read. */
export const BROWSE_LIMITS = {
  maxMessages: 10_000,
  defaultMessages: 256,
  maxScannedEntries: 1_000_000,
  /** Entries read per step (one chunk of the stream at most). */
  entriesPerRead: 256,
} as const;

export interface BrowseRequest {
  topic: string;
  /** -1: every readable queue. */
  queueId: number;
  /** Start here in each queue; undefined: the first message at or after beginTimestampMs. */
  startOffset?: number;
  beginTimestampMs: number;
  /** 0: no end. */
  endTimestampMs: number;
  maxMessages: number;
  filter: { type: 'TAG' | 'SQL'; expression: string };
}

export type BrowseFinish = 'END_OF_QUEUES' | 'END_TIME' | 'MAX_MESSAGES' | 'SCAN_BOUND';

export interface BrowseProgress {
  queueId: number;
  nextOffset: number;
  maxOffset: number;
  scanned: number;
  matched: number;
  queuesDone: number;
  queues: number;
  finished?: BrowseFinish;
}

export interface BrowseChunk {
  records: StoreRecord[];
  progress: BrowseProgress;
}

export interface BrowseDeps {
  store: Pick<StorePort, 'readQueue' | 'getMessages' | 'getQueueOffsetByTime' | 'getMaxQueueOffset'>;
  topics: Pick<TopicManager, 'get'>;
  /** The subscriptions' filters (SQL92 through the filter servers); without it only tag filters work. */
  filters?: Pick<SubscriptionFilters, 'forExpression'>;
}

/** The group name SQL92 evaluation is accounted under (no group's offsets are touched). */
const BROWSE_GROUP = 'ORBITMQ_ADMIN_BROWSE';

function filterOf(d: BrowseDeps, r: BrowseRequest): MessageFilter {
  if (r.filter.type === 'SQL') {
    if (!d.filters) throw new OrbitError('UNSUPPORTED', 'this broker evaluates no SQL92 filters');
    return d.filters.forExpression({ type: 'SQL', expression: r.filter.expression }, BROWSE_GROUP, r.topic);
  }
  if (!r.filter.expression.trim() || r.filter.expression.trim() === '*') return MATCH_ALL;
  if (!d.filters) throw new OrbitError('UNSUPPORTED', 'this broker has no tag filters wired');
  return d.filters.forExpression({ type: 'TAG', expression: r.filter.expression }, BROWSE_GROUP, r.topic);
}

/**
 * Reads a topic's stored messages queue by queue (see BrowseMessages in broker_admin.proto),
 * yielding a chunk per read step with its matches and the progress so far; the last chunk says
 * why it finished. `isCancelled` is checked between steps.
 */
export async function* browse(d: BrowseDeps, r: BrowseRequest, isCancelled: () => boolean): AsyncGenerator<BrowseChunk> {
  const t = d.topics.get(r.topic);
  if (!t) throw new OrbitError('TOPIC_NOT_FOUND', `topic ${r.topic} does not exist on this broker`);
  if (r.queueId >= t.readQueueNums) throw new OrbitError('BAD_REQUEST', `queue ${r.queueId} is not a readable queue of topic ${r.topic}`);
  const max = r.maxMessages || BROWSE_LIMITS.defaultMessages;
  if (max < 1 || max > BROWSE_LIMITS.maxMessages) throw new OrbitError('BAD_REQUEST', `max_messages ${max} is outside 1-${BROWSE_LIMITS.maxMessages}`);
  const filter = filterOf(d, r);
  const queueIds = r.queueId >= 0 ? [r.queueId] : Array.from({ length: t.readQueueNums }, (_, q) => q);
  const p: BrowseProgress = { queueId: queueIds[0] ?? 0, nextOffset: 0, maxOffset: 0, scanned: 0, matched: 0, queuesDone: 0, queues: queueIds.length };
  let sawEndTime = false;
  for (const queueId of queueIds) {
    p.queueId = queueId;
    p.nextOffset = r.startOffset ?? (await d.store.getQueueOffsetByTime(r.topic, queueId, r.beginTimestampMs));
    p.maxOffset = d.store.getMaxQueueOffset(r.topic, queueId);
    while (p.nextOffset < p.maxOffset && !isCancelled()) {
      if (p.matched >= max) return yield { records: [], progress: { ...p, finished: 'MAX_MESSAGES' } };
      if (p.scanned >= BROWSE_LIMITS.maxScannedEntries) return yield { records: [], progress: { ...p, finished: 'SCAN_BOUND' } };
      const step = await readStep(d, r, filter, queueId, p, max - p.matched);
      if (step.pastEnd) sawEndTime = true;
      yield { records: step.records, progress: { ...p } };
      if (step.pastEnd || step.exhausted) break;
    }
    p.queuesDone++;
  }
  if (!isCancelled()) yield { records: [], progress: { ...p, finished: p.matched >= max ? 'MAX_MESSAGES' : sawEndTime ? 'END_TIME' : 'END_OF_QUEUES' } };
}

/** One read of up to entriesPerRead entries of a queue, advancing `p`. */
async function readStep(
  d: BrowseDeps,
  r: BrowseRequest,
  filter: MessageFilter,
  queueId: number,
  p: BrowseProgress,
  want: number,
): Promise<{ records: StoreRecord[]; pastEnd: boolean; exhausted: boolean }> {
  const read = await d.store.readQueue(r.topic, queueId, p.nextOffset, BROWSE_LIMITS.entriesPerRead, filter.tags ? { tags: filter.tags } : {});
  if (read.status === 'OFFSET_TOO_SMALL') {
    p.nextOffset = read.minOffset; // retention removed the start: go on from the oldest kept
    return { records: [], pastEnd: false, exhausted: false };
  }
  if (read.status !== 'FOUND') return { records: [], pastEnd: false, exhausted: true };
  const end = r.endTimestampMs || Number.MAX_SAFE_INTEGER;
  const inTime = read.entries.filter((e) => e.storeTimestampMs <= end);
  const pastEnd = inTime.length < read.entries.length;
  const last = pastEnd ? (read.entries[inTime.length] as StoreQueueEntry).queueOffset : read.nextOffset;
  p.scanned += last - p.nextOffset;
  p.nextOffset = last;
  const records = inTime.length > 0 ? await d.store.getMessages(inTime) : [];
  const pass = records.length > 0 ? await filter.select(records) : [];
  const matched = records.filter((_, i) => pass[i]).slice(0, want);
  p.matched += matched.length;
  // Cut short by `want`: the next browse would start right after the last one returned.
  if (matched.length === want && matched.length > 0) p.nextOffset = (matched[matched.length - 1] as StoreRecord).queueOffset + 1;
  return { records: matched, pastEnd, exhausted: false };
}
