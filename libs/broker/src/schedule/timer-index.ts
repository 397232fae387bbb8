import { decodeProperties, SYSFLAG_TIMER_MOVED, TIMER_TOPIC, readU64, writeU64 } from '../message';
import { scanNamespace, METADATA_NS } from '../meta';
import type { StoreDispatchExtension, StoreDispatchRequest, StoreExtensionBatch, StoreMetadata } from '../store-port';

/*
 * Namespace `timer`: one entry per delayed message waiting in TIMER_TOPIC.
 *
 *   key   = dueMs u64 BE | timerLogOffset u64 BE    due-time order, ties in log order
 *   value = size u32 BE                             with the offset: enough to read the record
 *
 * The entry is written in the dispatch round of the timer record and deleted in the dispatch round
 * of its copy in the real topic (a record with SYSFLAG_TIMER_MOVED). Both ride dispatch batches, so
 * after any crash the index agrees with the commit log: a copy that reached the log has removed
 * its entry (never moved twice); one that did not leaves the entry to be moved again (never lost).
 */
export const TIMER_NS = METADATA_NS.timer;
const TIMER_KEY_BYTES = 16;

export function timerKey(dueMs: number, logOffset: number): Buffer {
  const k = Buffer.allocUnsafe(TIMER_KEY_BYTES);
  writeU64(k, Math.max(0, dueMs), 0);
  writeU64(k, logOffset, 8);
  return k;
}

export function decodeTimerKey(key: Buffer): { dueMs: number; logOffset: number } {
  return { dueMs: readU64(key, 0), logOffset: readU64(key, 8) };
}

function sizeValue(size: number): Buffer {
  const v = Buffer.allocUnsafe(4);
  v.writeUInt32BE(size, 0);
  return v;
}

type TimerChange = { kind: 'scheduled'; dueMs: number; logOffset: number } | { kind: 'moved'; dueMs: number; logOffset: number };

/** What a dispatched record means to the timer index, or undefined for ordinary records. */
function timerChange(req: StoreDispatchRequest): TimerChange | undefined {
  const scheduled = req.topic === TIMER_TOPIC;
  if (!scheduled && (req.sysFlag & SYSFLAG_TIMER_MOVED) === 0) return undefined;
  const sys = decodeProperties(req.properties).system;
  const dueMs = Number(sys.deliveryTimestampMs ?? 0);
  if (scheduled) return { kind: 'scheduled', dueMs, logOffset: req.logOffset };
  if (sys.originOffset === undefined) return undefined;
  return { kind: 'moved', dueMs, logOffset: Number(sys.originOffset) };
}

/** Width of the in-memory due-time histogram's buckets. */
const HISTOGRAM_BUCKET_MS = 60_000;

export interface ScheduleBucket {
  /** Upper bound of the bucket as a delay from now ('overdue' for due times already past). */
  label: string;
  count: number;
}

const BUCKET_BOUNDS: readonly [string, number][] = [
  ['overdue', 0],
  ['1m', 60_000],
  ['5m', 300_000],
  ['10m', 600_000],
  ['30m', 1_800_000],
  ['1h', 3_600_000],
  ['2h', 7_200_000],
  ['6h', 21_600_000],
  ['24h', 86_400_000],
  ['later', Number.POSITIVE_INFINITY],
];

/**
 * The timer index as a dispatch extension, plus what the broker shows about it: the number of
 * pending delayed messages and a per-minute histogram of their due times (exact after load(), then
 * kept in step with each committed dispatch round). `onScheduled` tells the timer service about
 * new due times so it can wake earlier than planned.
 */
export class TimerIndex implements StoreDispatchExtension {
  readonly name = 'timer-index';
  onScheduled: (earliestDueMs: number) => void = () => undefined;
  private count = 0;
  private readonly perBucket = new Map<number, number>();
  private loaded = false;

  onDispatch(req: StoreDispatchRequest, batch: StoreExtensionBatch): void {
    const c = timerChange(req);
    if (!c) return;
    if (c.kind === 'scheduled') batch.put(TIMER_NS, timerKey(c.dueMs, c.logOffset), sizeValue(req.size));
    else batch.del(TIMER_NS, timerKey(c.dueMs, c.logOffset));
  }

  onCommitted(requests: readonly StoreDispatchRequest[]): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const r of requests) {
      const c = timerChange(r);
      if (!c) continue;
      if (c.kind === 'scheduled') {
        earliest = Math.min(earliest, c.dueMs);
        this.note(c.dueMs, 1);
      } else this.note(c.dueMs, -1);
    }
    if (earliest !== Number.POSITIVE_INFINITY) this.onScheduled(earliest);
  }

  /** Recovery cut the log: entries of timer records past the cut go (a full scan; rare). */
  async onTruncate(endOffset: number, metadata: StoreMetadata): Promise<void> {
    const doomed: Buffer[] = [];
    await scanNamespace(metadata, TIMER_NS, (key) => {
      if (decodeTimerKey(key).logOffset >= endOffset) doomed.push(key);
    });
    if (doomed.length > 0) await metadata.batch(doomed.map((key) => ({ type: 'del' as const, namespace: TIMER_NS, key })));
  }

  /** Counts what is pending (one keys-and-sizes scan at start). */
  async load(metadata: StoreMetadata): Promise<void> {
    this.count = 0;
    this.perBucket.clear();
    this.loaded = true;
    await scanNamespace(metadata, TIMER_NS, (key) => this.note(decodeTimerKey(key).dueMs, 1));
  }

  /** The timer service dropped an entry without a copy (record gone, topic deleted). */
  forget(dueMs: number): void {
    this.note(dueMs, -1);
  }

  pending(): number {
    return this.count;
  }

  buckets(nowMs: number): ScheduleBucket[] {
    const out = BUCKET_BOUNDS.map(([label]) => ({ label, count: 0 }));
    for (const [bucket, n] of this.perBucket) {
      const delayMs = bucket * HISTOGRAM_BUCKET_MS - nowMs;
      const i = BUCKET_BOUNDS.findIndex(([, bound]) => delayMs <= bound);
      (out[i] as ScheduleBucket).count += n;
    }
    return out;
  }

  private note(dueMs: number, delta: number): void {
    if (!this.loaded) return; // load() counts from LevelDB; recovery's re-dispatch is already in it
    this.count += delta;
    const b = Math.floor(dueMs / HISTOGRAM_BUCKET_MS);
    const n = (this.perBucket.get(b) ?? 0) + delta;
    if (n <= 0) this.perBucket.delete(b);
    else this.perBucket.set(b, n);
  }
}
