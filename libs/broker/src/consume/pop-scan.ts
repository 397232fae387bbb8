import type { MessageFilter } from '../filter';
import type { StorePort, StoreRecord } from '../store-port';
import { type InflightEntry, type QueuePopState, messageGroupOf, newNonce } from './pop-state';
import { readRecordsAfterRetention } from './queue-reads';

export interface ScanLimits {
  maxInflightPerQueue: number;
  maxScanEntriesPerPop: number;
}

/** One pop's view of a queue while it looks for messages the group has never seen. */
export interface ScanContext {
  s: QueuePopState;
  topic: string;
  queueId: number;
  filter: MessageFilter;
  ordered: boolean;
  max: number;
  out: unknown[];
  busyGroups: Set<string>;
  touched: InflightEntry[];
  deliver: (e: InflightEntry, record: StoreRecord) => void;
}

/**
 * Reads the queue past the group's scan offset: entries the filter lets through are delivered, or
 * held (attempt 0) behind their message group or, when a SQL92 window matched more than this pop
 * can take, for the next pop; entries it rejects are consumed for good (each message is evaluated
 * once per group, as RocketMQ's pop does). The scan offset moves only once the filter decided, so
 * a filter that fails (no filter server answered and fallback=reject) leaves the window unread:
 * that error is thrown when this pop found nothing else to deliver.
 */
export async function scanNewEntries(store: StorePort, limits: ScanLimits, c: ScanContext): Promise<void> {
  const { s, topic, queueId, filter, ordered, max, out } = c;
  let scanned = 0;
  while (out.length < max && s.inflight.size < limits.maxInflightPerQueue && scanned < limits.maxScanEntriesPerPop) {
    const room = limits.maxInflightPerQueue - s.inflight.size;
    const want = Math.min(filter.scanWindow ? filter.scanWindow(max - out.length) : max - out.length, room);
    const read = await store.readQueue(
      topic,
      queueId,
      s.scanOffset,
      want,
      filter.tags ? { tags: filter.tags, maxScanEntries: limits.maxScanEntriesPerPop } : {},
    );
    if (read.status === 'OFFSET_TOO_SMALL') {
      s.scanOffset = read.nextOffset; // retention removed what this group had not read yet
      continue;
    }
    if (read.status !== 'FOUND') break;
    const records = await readRecordsAfterRetention(store, read.entries);
    const present = records.filter((r): r is StoreRecord => r !== undefined);
    let pass: boolean[];
    try {
      pass = present.length > 0 ? await filter.select(present) : [];
    } catch (err) {
      if (out.length > 0 || c.touched.length > 0) return; // deliver what this pop has; the window is read again next time
      throw err;
    }
    scanned += Math.max(1, read.nextOffset - s.scanOffset);
    s.scanOffset = read.nextOffset;
    let p = 0;
    for (let i = 0; i < read.entries.length; i++) {
      const record = records[i];
      if (!record || !pass[p++]) continue; // gone, or not for this group: skipped for good
      const q = read.entries[i] as (typeof read.entries)[number];
      const e: InflightEntry = {
        queueOffset: q.queueOffset,
        logOffset: q.logOffset,
        size: q.size,
        attempt: 0,
        invisibleUntilMs: 0,
        nonce: newNonce(0),
        messageGroup: ordered ? messageGroupOf(record) : '',
      };
      s.inflight.set(e.queueOffset, e);
      if (out.length >= max || (e.messageGroup && c.busyGroups.has(e.messageGroup)))
        c.touched.push(e); // held behind its group, or beyond this pop's batch
      else c.deliver(e, record);
    }
  }
}
