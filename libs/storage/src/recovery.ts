import type { CheckpointState } from './checkpoint';
import type { CommitLog } from './commit-log';
import { type DispatchExtension, type DispatchRequest, type Dispatcher, requestFromRecord } from './dispatch';
import { pruneIndexesFrom } from './index-pruning';
import type { Kv } from './kv';
import { scanLog } from './log-scanner';
import type { QueueTable } from './queue-table';
import { StorageError, StorageErrorCode } from './errors';

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

/**
 * Brings the log and the indexes into agreement before any traffic is accepted, in order:
 *  1. find the valid end of the log: after a clean stop, from the checkpoint; after a crash, from
 *     the start of the checkpoint's segment, verifying every record;
 *  2. truncate the torn or corrupt tail (and any later segment);
 *  3. if the indexes are ahead of the new end, delete what points at or past it;
 *  4. re-dispatch [dispatchedOffset, end) so every surviving record is indexed.
 */
export async function recoverStore(args: {
  log: CommitLog;
  kv: Kv;
  /** Creates the dispatcher once the offset to re-dispatch from is known. */
  dispatcher: (fromOffset: number) => Dispatcher;
  dispatched: QueueTable;
  dispatchedOffset: number;
  checkpoint: CheckpointState | undefined;
  cleanShutdown: boolean;
  maxRecordBytes: number;
  extensions: readonly DispatchExtension[];
  setDispatchedOffset: (offset: number) => Promise<void>;
}): Promise<RecoveryReport> {
  const started = Date.now();
  const { log } = args;
  const physicalEnd = await physicalDataEnd(log);
  const trusted = Math.min(args.checkpoint?.flushedOffset ?? log.minOffset, args.dispatchedOffset, physicalEnd);
  const cleanAndConsistent = args.cleanShutdown && args.checkpoint !== undefined && args.checkpoint.flushedOffset <= physicalEnd;
  let scanFrom = cleanAndConsistent ? trusted : log.segmentStartOf(trusted);
  scanFrom = Math.max(scanFrom, log.minOffset);
  const scan = await scanLog(log, scanFrom, args.maxRecordBytes, () => undefined);
  const endOffset = scan.endOffset;
  const droppedBytes = Math.max(0, physicalEnd - endOffset);
  await log.truncate(endOffset);

  let droppedIndexedRecords = 0;
  let dispatchedOffset = args.dispatchedOffset;
  if (dispatchedOffset > endOffset) {
    droppedIndexedRecords = await pruneIndexesFrom(args.kv, args.dispatched, endOffset, args.extensions);
    dispatchedOffset = endOffset;
    await args.setDispatchedOffset(endOffset);
  } else if (dispatchedOffset < log.minOffset) {
    dispatchedOffset = log.minOffset; // indexes predate retention: nothing below min can be indexed
    await args.setDispatchedOffset(dispatchedOffset);
  }

  const dispatcher = args.dispatcher(dispatchedOffset);
  const redispatchedRecords = await redispatch(log, dispatcher, dispatchedOffset, endOffset, args.maxRecordBytes);

  return {
    cleanShutdown: args.cleanShutdown,
    scannedFromOffset: scanFrom,
    endOffset,
    droppedBytes,
    droppedIndexedRecords,
    ...(scan.stop === 'torn' || scan.stop === 'corrupt' ? { tailProblem: `${scan.stop} at ${endOffset}: ${scan.detail ?? ''}` } : {}),
    redispatchedRecords,
    durationMs: Date.now() - started,
  };
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
    const scan = await scanLog(
      log,
      pos,
      maxRecordBytes,
      (buf, at, logOffset, size) => void requests.push(requestFromRecord(buf, at, logOffset, size)),
      limit,
    );
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
