import { AppendWriter } from './append-writer';
import { Checkpoint } from './checkpoint';
import { CommitLog } from './commit-log';
import type { DiskUsage, StoreConfig } from './config';
import { ConsumeQueues } from './consume-queue';
import { ConsumeQueueTail } from './cq-tail';
import type { DispatchExtension, Dispatcher, DispatcherHooks } from './dispatch';
import { DiskGuard, statfsUsage } from './disk-guard';
import { EpochFile } from './epochs';
import { StoreEvents } from './events';
import { Flusher } from './flusher';
import type { Kv } from './kv';
import { loadOrCreateStoreId } from './local-meta';
import { QueueTable } from './queue-table';
import { type RecoveryReport, recoverStore } from './recovery';
import { RetentionLoop } from './retention';
import { checkpointFileOf, markOpen, wasClosedCleanly } from './store-dir';

/** What open() builds; the store wires its calls through to these. */
export interface StoreParts {
  config: StoreConfig;
  kv: Kv;
  log: CommitLog;
  dispatcher: Dispatcher;
  writer: AppendWriter;
  /** The writer's next queue offset per queue (ahead of the dispatcher's while appends are in flight). */
  assigned: QueueTable;
  events: StoreEvents;
  recovery: RecoveryReport;
  queues: ConsumeQueues;
  flusher: Flusher;
  retention: RetentionLoop;
  guard: DiskGuard;
  epochs: EpochFile;
  extensions: readonly DispatchExtension[];
  /** Random UUID made at the store directory's first open, kept in LevelDB meta. */
  storeId: string;
}

/** Recovers the log and indexes, then builds every part around them (nothing started yet). */
export async function assembleStore(config: StoreConfig, kv: Kv, extensions: readonly DispatchExtension[]): Promise<StoreParts> {
  const events = new StoreEvents();
  const storeId = await loadOrCreateStoreId(kv);
  const cleanShutdown = wasClosedCleanly(config.rootDir);
  // First: a damaged epoch file refuses the open before any segment is opened.
  const epochs = await EpochFile.load(config.rootDir, () => log.endOffset);
  const log = await CommitLog.open(config.commitLogDir, config.segmentSizeBytes);
  const checkpoint = await Checkpoint.open(checkpointFileOf(config.rootDir));
  const tail = new ConsumeQueueTail();
  const { dispatcher, report } = await recoverStore({
    log,
    kv,
    checkpoint: checkpoint.state,
    cleanShutdown,
    maxRecordBytes: config.maxRecordBytes,
    maxDispatchBacklogRecords: config.maxDispatchBacklogRecords,
    extensions,
    dispatcherHooks: dispatchEvents(events, log, tail),
  });
  // Recovery may have cut a torn tail: epochs that started in it are gone with it. An empty log
  // (reopened after truncateTo(minOffset)) forgot where it started, so its epochs stay as they are.
  if (log.lastSegmentStart !== undefined) await epochs.dropAfter(log.endOffset);
  const queues = new ConsumeQueues(kv, dispatcher.dispatched, tail);
  const flusher = new Flusher(log, checkpoint, events);
  const diskUsage = (): Promise<DiskUsage> => (config.diskUsage ?? statfsUsage)(config.commitLogDir);
  const assigned = new QueueTable();
  assigned.copyFrom(dispatcher.dispatched);
  const guardView = { outstandingBytes: (): number => 0 }; // the writer's, once it exists
  const guard = new DiskGuard(config, diskUsage, guardView, events);
  const retention = new RetentionLoop({
    log,
    kv,
    dispatched: dispatcher.dispatched,
    dispatchedOffset: () => dispatcher.offset,
    queues,
    config,
    events,
    guard,
    diskUsage,
  });
  const writer = new AppendWriter(
    log,
    dispatcher,
    assigned,
    config.flushDiskType === 'SYNC_FLUSH',
    config.maxPendingAppends,
    config.maxWriteBatchBytes,
    config.nowMs ?? Date.now,
    {
      onWritten: (end, synced, _records, bytes) => {
        flusher.noteWritten(end, synced);
        guard.noteWritten(bytes);
        events.emit('written', { endOffset: end }); // wakes a replication leader
      },
      admit: (bytes) => guard.admit(bytes),
      onWriteFailed: () => void guard.check().catch(() => undefined), // a real ENOSPC: the guard sees a full disk at once
    },
  );
  guardView.outstandingBytes = () => writer.outstandingBytes;
  return { config, kv, log, dispatcher, writer, assigned, events, recovery: report, queues, flusher, retention, guard, epochs, extensions, storeId };
}

/** Starts the background work (flush, retention, disk checks) once the store object exists. */
export async function startStore(parts: StoreParts): Promise<void> {
  const { config, log, events, flusher, retention, guard } = parts;
  log.onSegmentCreated = (startOffset) => events.emit('segmentRolled', { startOffset });
  await markOpen(config.rootDir);
  await guard.check();
  flusher.start(config.flushDiskType === 'ASYNC_FLUSH' ? config.flushIntervalMs : config.checkpointIntervalMs);
  retention.start();
  guard.start((error) => events.emit('backgroundError', { task: 'disk-check', error }));
  // Entering 'refusing' may be cured by deleting consumed segments: run retention at once.
  events.on('diskGuard', (e) => {
    if (e.state === 'refusing') void retention.run();
  });
  queueMicrotask(() => events.emit('recovered', parts.recovery));
}

/** The dispatcher reports through the store's events. */
function dispatchEvents(events: StoreEvents, log: CommitLog, tail: ConsumeQueueTail): DispatcherHooks {
  return {
    onCommitted: (requests) => tail.add(requests),
    onArrived: (queues) => events.emit('arrived', queues),
    onDispatched: (offset, records) => events.emit('dispatched', { dispatchedOffset: offset, lagBytes: Math.max(0, log.endOffset - offset), records }),
    onError: (error) => events.emit('backgroundError', { task: 'dispatch', error }),
  };
}
