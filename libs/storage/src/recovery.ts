import type { CheckpointState } from './checkpoint';
import type { CommitLog } from './commit-log';
import { type DispatchExtension, type DispatchRequest, Dispatcher, type DispatcherHooks, META_DISPATCHED_OFFSET, requestFromRecord } from './dispatch';
import { pruneIndexesFrom } from './index-pruning';
import { NS, decodeQueueOffsetKey, metaKey, u64Value } from './keys';
import type { Kv } from './kv';
import { scanLog } from './log-scanner';
import { QueueTable } from './queue-table';
import { StorageError, StorageErrorCode } from './errors';
import { readU64 } from './u64';

/** What recovery found and did; emitted as the store's 'recovered' event. */
export interface RecoveryReport {
  /** True when the previous run closed the store cleanly (no abort marker). */
  cleanShutdown: boolean;
  /** Where the verification scan started. */
  scannedFromOffset: number;
  /** Valid end of the log after recovery. */
  endOffset: number;
  /** Bytes cut from the tail (torn or corrupt data, and anything after it). */
  droppedBytes: number;
  /** Consume-queue entries deleted because they pointed at or past the new end. */
  droppedIndexedRecords: number;
  /** Why the scan stopped, when it was not a clean end of data. */
  tailProblem?: string;
  /** Records indexed again from dispatchedOffset to the end. */
  redispatchedRecords: number;
  durationMs: number;
}

/** Re-dispatch reads the log in windows of this many bytes, so memory stays bounded. */
const REDISPATCH_WINDOW_BYTES = 64 * 1024 * 1024;

/** What recovery needs: the opened log and index, how the last run ended, and how to dispatch. */
interface RecoveryInput {
  log: CommitLog;
  kv: Kv;
  checkpoint: CheckpointState | undefined;
  cleanShutdown: boolean;
  maxRecordBytes: number;
  maxDispatchBacklogRecords: number;
  extensions: readonly DispatchExtension[];
  /** For the dispatcher recovery creates (it re-dispatches, then serves the store). */
  dispatcherHooks: DispatcherHooks;
}

/**
 * Brings the log and the indexes into agreement before any traffic is accepted, in order:
 *  1. find the valid end of the log: after a clean stop, from the checkpoint; after a crash, from
 *     the start of the checkpoint's segment, verifying every record;
 *  2. truncate the torn or corrupt tail (and any later segment);
 *  3. if the indexes are ahead of the new end, delete what points at or past it;
 *  4. re-dispatch [dispatchedOffset, end) so every surviving record is indexed.
 * Returns the dispatcher, caught up, for the store to keep.
 */
export async function recoverStore(input: RecoveryInput): Promise<{ dispatcher: Dispatcher; report: RecoveryReport }> {
  const started = Date.now();
  const { log, kv } = input;
  const { dispatched, dispatchedOffset: indexedOffset } = await loadDispatchState(kv, log);
  const physicalEnd = await physicalDataEnd(log);
  const trusted = Math.min(input.checkpoint?.flushedOffset ?? log.minOffset, indexedOffset, physicalEnd);
  const cleanAndConsistent = input.cleanShutdown && input.checkpoint !== undefined && input.checkpoint.flushedOffset <= physicalEnd;
  let scanFrom = cleanAndConsistent ? trusted : log.segmentStartOf(trusted);
  scanFrom = Math.max(scanFrom, log.minOffset);
  const scan = await scanLog(log, scanFrom, input.maxRecordBytes, () => undefined);
  const endOffset = scan.endOffset;
  const droppedBytes = Math.max(0, physicalEnd - endOffset);
  await log.truncate(endOffset);

  let droppedIndexedRecords = 0;
  let dispatchedOffset = indexedOffset;
  if (dispatchedOffset > endOffset) {
    droppedIndexedRecords = await pruneIndexesFrom(kv, dispatched, endOffset, input.extensions);
    dispatchedOffset = endOffset;
    await setDispatchedOffset(kv, endOffset);
  } else if (dispatchedOffset < log.minOffset) {
    dispatchedOffset = log.minOffset; // indexes predate retention: nothing below min can be indexed
    await setDispatchedOffset(kv, dispatchedOffset);
  }

  const dispatcher = new Dispatcher(kv, dispatched, dispatchedOffset, input.maxDispatchBacklogRecords, input.extensions, input.dispatcherHooks);
  const redispatchedRecords = await redispatch(log, dispatcher, dispatchedOffset, endOffset, input.maxRecordBytes);
  const report: RecoveryReport = {
    cleanShutdown: input.cleanShutdown,
    scannedFromOffset: scanFrom,
    endOffset,
    droppedBytes,
    droppedIndexedRecords,
    ...(scan.stop === 'torn' || scan.stop === 'corrupt' ? { tailProblem: `${scan.stop} at ${endOffset}: ${scan.detail ?? ''}` } : {}),
    redispatchedRecords,
    durationMs: Date.now() - started,
  };
  return { dispatcher, report };
}

/** What the indexes last committed: each queue's next offset, and the log offset dispatched up to. */
async function loadDispatchState(kv: Kv, log: CommitLog): Promise<{ dispatched: QueueTable; dispatchedOffset: number }> {
  const dispatched = new QueueTable();
  await kv.forEach({ gte: Buffer.from([NS.queueOffset]), lt: Buffer.from([NS.queueOffset + 1]) }, (k, v) => {
    const { topic, queueId } = decodeQueueOffsetKey(k);
    dispatched.set(topic, queueId, readU64(v, 0));
  });
  const stored = await kv.get(metaKey(META_DISPATCHED_OFFSET));
  return { dispatched, dispatchedOffset: stored ? readU64(stored, 0) : log.minOffset };
}

function setDispatchedOffset(kv: Kv, offset: number): Promise<void> {
  return kv.put(metaKey(META_DISPATCHED_OFFSET), u64Value(offset));
}

/** Offset just past the last byte present on disk (last segment start + its file size). */
async function physicalDataEnd(log: CommitLog): Promise<number> {
  const last = log.lastSegmentStart;
  return last === undefined ? log.minOffset : last + (await log.lastSegmentSizeBytes());
}

/** Feeds records in [fromOffset, endOffset) to the dispatcher, window by window. */
async function redispatch(log: CommitLog, dispatcher: Dispatcher, fromOffset: number, endOffset: number, maxRecordBytes: number): Promise<number> {
  let pos = fromOffset;
  let total = 0;
  while (pos < endOffset) {
    const limit = Math.min(endOffset, pos + REDISPATCH_WINDOW_BYTES);
    const requests: DispatchRequest[] = [];
    const scan = await scanLog(log, pos, maxRecordBytes, (buf, at, logOffset, size) => void requests.push(requestFromRecord(buf, at, logOffset, size)), limit);
    // The scan visits every record that starts before `limit`, so it stops on a record boundary.
    if (scan.stop === 'torn' || scan.stop === 'corrupt' || (scan.stop === 'end' && scan.endOffset < endOffset)) {
      throw new StorageError(
        StorageErrorCode.CORRUPT_RECORD,
        `commit log is damaged at ${scan.endOffset}, below the verified tail (${scan.detail ?? 'data ends early'}); ` +
          'refusing to start: restore the segment from a replica or backup',
      );
    }
    dispatcher.enqueue(requests, scan.endOffset);
    total += requests.length;
    await dispatcher.waitForCapacity();
    pos = scan.endOffset;
  }
  await dispatcher.whenIdle();
  return total;
}
