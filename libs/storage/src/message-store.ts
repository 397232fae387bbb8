import { AppendWriter, type AppendResult } from './append-writer';
import { Checkpoint } from './checkpoint';
import { CommitLog } from './commit-log';
import { type DiskUsage, type StoreConfig, type StoreConfigInput, resolveStoreConfig } from './config';
import { DiskGuard, type DiskGuardState, statfsUsage } from './disk-guard';
import { ConsumeQueues, type QueueRead, type QueueReadOptions } from './consume-queue';
import type { DispatchExtension, Dispatcher, DispatcherHooks } from './dispatch';
import { StorageError, StorageErrorCode, assertSafeOffset } from './errors';
import { StoreEvents } from './events';
import { Flusher } from './flusher';
import { Kv } from './kv';
import { LogReader } from './log-reader';
import { MessageIndex, type FoundMessage, type KeyQuery } from './message-index';
import { Metadata } from './metadata';
import { QueueTable } from './queue-table';
import { type AppendMessage, type StoredRecord, sizeRecord } from './record-codec';
import { type RecoveryReport, recoverStore } from './recovery';
import { ReplicaAppender } from './replica-append';
import { RetentionLoop } from './retention';
import { checkSegmentSize, checkpointFileOf, claimInProcess, indexDirOf, markClosed, markOpen, releaseInProcess, wasClosedCleanly } from './store-dir';
import { validateAppend } from './validate';

export interface StoreStats {
  minOffset: number;
  endOffset: number;
  flushedOffset: number;
  dispatchedOffset: number;
  pendingAppends: number;
  dispatchBacklogRecords: number;
  /** Disk use at the last measurement (every diskCheckIntervalMs). */
  diskUsedPercent: number;
  /** The disk guard refuses appends (DISK_FULL). */
  diskFull: boolean;
  diskGuardState: DiskGuardState;
  /** Appends the disk guard refused since the store opened. */
  diskRefusedAppends: number;
}

export interface OpenOptions {
  /** Extra dispatchers (timer index, transactions) whose writes join every dispatch batch. */
  extensions?: DispatchExtension[];
}

/**
 * The store a broker or replica owns: a segmented commit log (the truth) plus LevelDB indexes
 * derived from it. open() takes the directory lock, recovers, and only then accepts appends.
 *
 * Data flow: append -> AppendWriter (one positional write per batch, group fsync in SYNC_FLUSH)
 * -> Dispatcher (one LevelDB batch per round) -> 'arrived' event -> readers.
 *
 * A facade: it checks arguments and that the store is open, then hands each call to the part that
 * does the work (LogReader, AppendWriter, ReplicaAppender, ConsumeQueues, MessageIndex, Metadata,
 * Flusher, RetentionLoop).
 */
export class MessageStore {
  readonly config: StoreConfig;
  readonly events: StoreEvents;
  /** What the last open found; also emitted as 'recovered'. */
  readonly recovery: RecoveryReport;
  readonly queues: ConsumeQueues;
  readonly metadata: Metadata;
  private state: 'open' | 'closing' | 'closed' = 'open';
  private lockKey = '';
  private readonly kv: Kv;
  private readonly log: CommitLog;
  private readonly dispatcher: Dispatcher;
  private readonly writer: AppendWriter;
  private readonly assigned: QueueTable;
  private readonly flusher: Flusher;
  private readonly retention: RetentionLoop;
  private readonly guard: DiskGuard;
  private readonly reader: LogReader;
  private readonly replica: ReplicaAppender;
  private readonly index: MessageIndex;

  private constructor(parts: StoreParts) {
    this.config = parts.config;
    this.events = parts.events;
    this.recovery = parts.recovery;
    this.queues = parts.queues;
    this.kv = parts.kv;
    this.log = parts.log;
    this.dispatcher = parts.dispatcher;
    this.writer = parts.writer;
    this.assigned = parts.assigned;
    this.flusher = parts.flusher;
    this.retention = parts.retention;
    this.guard = parts.guard;
    this.metadata = new Metadata(parts.kv);
    this.index = new MessageIndex(parts.kv, (o, s) => this.getMessage(o, s));
    this.reader = new LogReader(parts.log, parts.config.maxRecordBytes);
    this.replica = new ReplicaAppender({
      log: parts.log,
      writer: parts.writer,
      dispatcher: parts.dispatcher,
      assigned: parts.assigned,
      maxRecordBytes: parts.config.maxRecordBytes,
      syncFlush: parts.config.flushDiskType === 'SYNC_FLUSH',
      assertOpen: () => this.assertOpen(),
      onWritten: (endOffset, synced) => parts.flusher.noteWritten(endOffset, synced),
    });
  }

  static async open(input: StoreConfigInput, opts: OpenOptions = {}): Promise<MessageStore> {
    const config = resolveStoreConfig(input);
    const lockKey = await claimInProcess(config.rootDir);
    let kv: Kv | undefined;
    try {
      kv = await Kv.open(indexDirOf(config.rootDir)); // takes the cross-process lock first
      await checkSegmentSize(kv, config.segmentSizeBytes);
      const store = await MessageStore.recoverAndStart(config, kv, opts);
      store.lockKey = lockKey;
      return store;
    } catch (err) {
      await kv?.close().catch(() => undefined);
      releaseInProcess(lockKey);
      throw err;
    }
  }

  private static async recoverAndStart(config: StoreConfig, kv: Kv, opts: OpenOptions): Promise<MessageStore> {
    const events = new StoreEvents();
    const cleanShutdown = wasClosedCleanly(config.rootDir);
    const log = await CommitLog.open(config.commitLogDir, config.segmentSizeBytes);
    const checkpoint = await Checkpoint.open(checkpointFileOf(config.rootDir));
    const { dispatcher, report } = await recoverStore({
      log,
      kv,
      checkpoint: checkpoint.state,
      cleanShutdown,
      maxRecordBytes: config.maxRecordBytes,
      maxDispatchBacklogRecords: config.maxDispatchBacklogRecords,
      extensions: opts.extensions ?? [],
      dispatcherHooks: dispatchEvents(events, log),
    });
    const queues = new ConsumeQueues(kv, dispatcher.dispatched);
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
        },
        admit: (bytes) => guard.admit(bytes),
        onWriteFailed: () => void guard.check().catch(() => undefined), // a real ENOSPC: the guard sees a full disk at once
      },
    );
    guardView.outstandingBytes = () => writer.outstandingBytes;
    const store = new MessageStore({ config, kv, log, dispatcher, writer, assigned, events, recovery: report, queues, flusher, retention, guard });
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
    queueMicrotask(() => events.emit('recovered', report));
    return store;
  }

  // ---------------------------------------------------------------- appends

  append(msg: AppendMessage): Promise<AppendResult> {
    return this.appendBatch([msg]).then(first);
  }

  /** Appends several messages as one unit of the writer's queue; results in input order. */
  appendBatch(messages: readonly AppendMessage[]): Promise<AppendResult[]> {
    try {
      this.assertOpen();
      if (messages.length === 0) throw new StorageError(StorageErrorCode.ILLEGAL_ARGUMENT, 'appendBatch needs at least one message');
      const sizings = messages.map((m) => {
        const s = sizeRecord(m);
        validateAppend(m, s, this.config.maxRecordBytes);
        return s;
      });
      return this.writer.append(messages, sizings);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Replica path: writes a master's bytes at the same offsets. `bytes` must start exactly at the
   * local end and hold whole, valid records (as readRaw returns them); nothing is written otherwise.
   */
  appendReplicated(fromOffset: number, bytes: Buffer): Promise<{ endOffset: number; records: number }> {
    return this.replica.append(fromOffset, bytes);
  }

  // ---------------------------------------------------------------- reads

  /** Reads and verifies one record (CRC, size, position). */
  async getMessage(logOffset: number, size: number): Promise<StoredRecord> {
    this.assertOpen();
    return this.reader.readRecord(logOffset, size);
  }

  /**
   * Several records by location, in the order asked. Locations close together in the log (a
   * queue's entries usually are) are served by one read each run, up to Limits.maxRangedReadBytes;
   * every record is verified as getMessage verifies it. Records are views into shared buffers.
   */
  async getMessages(locations: readonly { logOffset: number; size: number }[]): Promise<StoredRecord[]> {
    this.assertOpen();
    return this.reader.readRecords(locations);
  }

  async readQueue(topic: string, queueId: number, fromOffset: number, maxCount: number, opts?: QueueReadOptions): Promise<QueueRead> {
    this.assertOpen();
    assertSafeOffset(fromOffset, 'fromOffset');
    if (!Number.isInteger(maxCount) || maxCount < 1) throw new StorageError(StorageErrorCode.ILLEGAL_ARGUMENT, `maxCount must be >= 1, got ${maxCount}`);
    return this.queues.read(topic, queueId, fromOffset, maxCount, opts);
  }

  getMinQueueOffset(topic: string, queueId: number): Promise<number> {
    return this.queues.minOffset(topic, queueId);
  }

  getMaxQueueOffset(topic: string, queueId: number): number {
    return this.queues.maxOffset(topic, queueId);
  }

  getQueueOffsetByTime(topic: string, queueId: number, timestampMs: number): Promise<number> {
    return this.queues.offsetForTimestamp(topic, queueId, timestampMs);
  }

  findByMessageId(messageId: string, maxResults = 32): Promise<FoundMessage[]> {
    this.assertOpen();
    return this.index.byMessageId(messageId, maxResults);
  }

  findByKey(topic: string, key: string, query: KeyQuery = {}): Promise<FoundMessage[]> {
    this.assertOpen();
    return this.index.byKey(topic, key, query);
  }

  /**
   * Whole records (and end-of-segment markers) from `fromOffset`, within one segment, about
   * `maxBytes` long (at least one record). For replication and filter servers.
   */
  async readRaw(fromOffset: number, maxBytes: number): Promise<{ bytes: Buffer; nextOffset: number }> {
    this.assertOpen();
    return this.reader.readRaw(fromOffset, maxBytes);
  }

  // ---------------------------------------------------------------- consumer offsets

  getConsumerOffset(group: string, topic: string, queueId: number): Promise<number | undefined> {
    this.assertOpen();
    return this.metadata.getConsumerOffset(group, topic, queueId);
  }

  setConsumerOffset(group: string, topic: string, queueId: number, offset: number): Promise<void> {
    this.assertOpen();
    assertSafeOffset(offset, 'offset');
    return this.metadata.setConsumerOffset(group, topic, queueId, offset);
  }

  // ---------------------------------------------------------------- admin

  /** Removes a topic's consume queues and queue counters (the log keeps its bytes until retention). */
  async deleteTopic(topic: string): Promise<void> {
    this.assertOpen();
    await this.dispatcher.whenIdle();
    await this.metadata.deleteTopicIndexes(topic);
    this.queues.forget(topic);
    this.dispatcher.dispatched.delete(topic);
    this.assigned.delete(topic);
  }

  stats(): StoreStats {
    return {
      minOffset: this.log.minOffset,
      endOffset: this.log.endOffset,
      flushedOffset: this.flusher.flushedOffset,
      dispatchedOffset: this.dispatcher.offset,
      pendingAppends: this.writer.pendingMessages,
      dispatchBacklogRecords: this.dispatcher.backlogRecords,
      diskUsedPercent: this.guard.measuredUsedPercent,
      diskFull: this.guard.state === 'refusing',
      diskGuardState: this.guard.state,
      diskRefusedAppends: this.guard.refused,
    };
  }

  commitLogBytes(): Promise<number> {
    return this.log.totalBytes();
  }

  /**
   * Without an offset: resolves once everything appended so far is indexed and visible to readers.
   * With one: once every record before `logOffset` is (e.g. the end of an append's result), even
   * while new appends keep the dispatcher busy.
   */
  whenDispatched(logOffset?: number): Promise<void> {
    return logOffset === undefined ? this.dispatcher.whenIdle() : this.dispatcher.whenDispatchedTo(logOffset);
  }

  /** Forces a flush and checkpoint now (ASYNC_FLUSH normally does this on its interval). */
  async flush(): Promise<void> {
    this.assertOpen();
    await this.flusher.flush();
  }

  /** Runs one retention pass now (normally on cleanIntervalMs). */
  async runRetention(): Promise<void> {
    this.assertOpen();
    await this.retention.run();
  }

  /** Measures disk use now (normally every diskCheckIntervalMs); the disk guard switches on the result. */
  async checkDisk(): Promise<void> {
    this.assertOpen();
    await this.guard.check();
  }

  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.flusher.stop();
    this.retention.stop();
    this.guard.stop();
    await this.writer.close();
    await this.replica.whenIdle();
    await this.dispatcher.whenIdle();
    this.dispatcher.stop();
    await this.retention.whenIdle();
    await this.flusher.flush();
    await this.kv.close();
    await this.log.close();
    this.flusher.close();
    await markClosed(this.config.rootDir);
    this.state = 'closed';
    releaseInProcess(this.lockKey);
  }

  /**
   * Test hook: drop the store as a SIGKILL would — file handles and the index closed with no
   * flush, no checkpoint, abort marker left in place. Bytes already written stay in the page
   * cache, exactly as after a process crash. Not for production use.
   */
  async abandonForCrashTest(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closed';
    this.flusher.stop();
    this.retention.stop();
    this.guard.stop();
    await this.writer.close();
    await this.dispatcher.whenIdle();
    this.dispatcher.stop();
    await this.kv.close();
    await this.log.close();
    this.flusher.close();
    releaseInProcess(this.lockKey);
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new StorageError(StorageErrorCode.STORE_NOT_OPEN, `store is ${this.state}`);
  }
}

/** What open() builds; the store wires its calls through to these. */
interface StoreParts {
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
}

/** The dispatcher reports through the store's events. */
function dispatchEvents(events: StoreEvents, log: CommitLog): DispatcherHooks {
  return {
    onArrived: (queues) => events.emit('arrived', queues),
    onDispatched: (offset, records) => events.emit('dispatched', { dispatchedOffset: offset, lagBytes: Math.max(0, log.endOffset - offset), records }),
    onError: (error) => events.emit('backgroundError', { task: 'dispatch', error }),
  };
}

function first(results: AppendResult[]): AppendResult {
  return results[0] as AppendResult;
}
