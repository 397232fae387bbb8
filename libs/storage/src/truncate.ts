import type { AppendWriter } from './append-writer';
import type { CommitLog } from './commit-log';
import type { ConsumeQueues } from './consume-queue';
import type { DispatchExtension, Dispatcher } from './dispatch';
import type { EpochFile } from './epochs';
import { StorageError, StorageErrorCode, assertSafeOffset } from './errors';
import type { Flusher } from './flusher';
import { pruneIndexesFrom } from './index-pruning';
import type { Kv } from './kv';
import { scanLog } from './log-scanner';
import type { QueueTable } from './queue-table';

/** The parts a cut touches: the log, the indexes and queue tables, the flusher, the epochs. */
export interface TruncateDeps {
  log: CommitLog;
  kv: Kv;
  dispatcher: Dispatcher;
  /** The writer's next queue offsets (ahead of the dispatcher's by whatever waits in its backlog). */
  assigned: QueueTable;
  queues: ConsumeQueues;
  writer: AppendWriter;
  flusher: Flusher;
  epochs: EpochFile;
  extensions: readonly DispatchExtension[];
  maxRecordBytes: number;
}

export interface TruncateOutcome {
  fromEndOffset: number;
  toOffset: number;
  droppedBytes: number;
  droppedIndexedRecords: number;
}

/**
 * Cuts the log at `offset` for a replica whose tail diverged from its master's, leaving the store
 * as if it had only ever held [minOffset, offset). The caller holds every writer off (no local
 * append in flight, replicated appends queued behind this). Order, crash-safe at each step: the
 * log first (a crash after it is what recovery already repairs: indexes ahead of the log), then
 * the indexes, dispatch state and queue tables (as recovery sets them), then the checkpoint and
 * the epochs. offset === minOffset empties the log (no segment left), so the next replicated bytes
 * may start at any segment-aligned offset.
 */
export async function truncateStore(deps: TruncateDeps, offset: number): Promise<TruncateOutcome> {
  const { log, dispatcher } = deps;
  await dispatcher.whenQuiet(); // records held back by a dispatch limit may stay in the backlog
  await checkCutOffset(log, offset, deps.maxRecordBytes);
  const fromEndOffset = log.endOffset;
  if (offset === log.minOffset) await log.removeAll(offset);
  else await log.truncate(offset);
  const droppedIndexedRecords = await pruneIndexesFrom(deps.kv, dispatcher.dispatched, offset, deps.extensions);
  await dispatcher.reset(offset);
  deps.assigned.copyFrom(dispatcher.dispatched);
  for (const r of dispatcher.backlog) {
    if (r.queueOffset + 1 > deps.assigned.get(r.topic, r.queueId)) deps.assigned.set(r.topic, r.queueId, r.queueOffset + 1);
  }
  deps.queues.forget();
  deps.writer.truncatedTo(offset);
  await deps.flusher.lowerTo(offset);
  await deps.epochs.dropAfter(offset);
  return { fromEndOffset, toOffset: offset, droppedBytes: fromEndOffset - offset, droppedIndexedRecords };
}

/**
 * The log has no segment (new, or emptied by truncateStore at minOffset) and a master's bytes
 * start at `offset`, segment-aligned, elsewhere than its end: the log, the dispatcher (persisted),
 * the writer, the checkpoint and the epochs move there before anything is written.
 */
export async function restartEmptyLog(deps: TruncateDeps, offset: number): Promise<void> {
  await deps.dispatcher.whenQuiet();
  deps.log.setEnd(offset);
  await deps.dispatcher.reset(offset);
  deps.writer.truncatedTo(offset);
  await deps.flusher.lowerTo(offset);
  await deps.epochs.dropAfter(offset);
}

/**
 * `offset` must lie in [minOffset, endOffset] on a record boundary: minOffset, endOffset, a segment
 * start, or exactly where a verifying scan from the start of its segment stops.
 */
async function checkCutOffset(log: CommitLog, offset: number, maxRecordBytes: number): Promise<void> {
  assertSafeOffset(offset, 'offset');
  const { minOffset, endOffset } = log;
  if (offset < minOffset || offset > endOffset) illegal(`truncate offset ${offset} is outside the log [${minOffset}, ${endOffset}]`);
  if (offset === minOffset || offset === endOffset || offset % log.segmentSizeBytes === 0) return;
  const segmentStart = log.segmentStartOf(offset);
  const scan = await scanLog(log, segmentStart, maxRecordBytes, () => undefined, offset);
  if (scan.stop !== 'limit' || scan.endOffset !== offset) {
    const why = scan.stop === 'limit' ? `a record spans it (the scan from ${segmentStart} steps to ${scan.endOffset})` : `${scan.stop} at ${scan.endOffset}`;
    illegal(`truncate offset ${offset} is not a record boundary: ${why}${scan.detail ? ` (${scan.detail})` : ''}`);
  }
}

function illegal(message: string): never {
  throw new StorageError(StorageErrorCode.ILLEGAL_ARGUMENT, message);
}
