import type { AppendResult } from './append-writer';
import { type LiveStoreConfig, type StoreConfig, type StoreConfigInput, applyLiveChanges, resolveStoreConfig } from './config';
import type { ConsumeQueues, QueueRead, QueueReadOptions } from './consume-queue';
import type { DiskGuardState } from './disk-guard';
import type { DispatchExtension } from './dispatch';
import type { EpochEntry } from './epochs';
import { StorageError, StorageErrorCode, assertSafeOffset } from './errors';
import type { StoreEvents } from './events';
import { Kv } from './kv';
import { getLocalMeta, setLocalMeta } from './local-meta';
import { LogReader, type ReadBufferOptions } from './log-reader';
import { MessageIndex, type FoundMessage, type KeyQuery } from './message-index';
import { Metadata } from './metadata';
import { type AppendMessage, type StoredRecord, sizeRecord } from './record-codec';
import type { RecoveryReport } from './recovery';
import { ReplicaAppender } from './replica-append';
import { type StateOp, applyStateOps, snapshotState } from './state-sync';
import { type StoreParts, assembleStore, startStore } from './store-assembly';
import { checkSegmentSize, claimInProcess, indexDirOf, markClosed, releaseInProcess } from './store-dir';
import { tailDigest } from './tail-digest';
import { type TruncateDeps, restartEmptyLog, truncateStore } from './truncate';
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
  /** setDispatchLimit: records ending past it are written but not yet dispatched (visible). */
  dispatchLimit?: number;
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
 * Flusher, RetentionLoop; for replication epochs.ts, truncate.ts, tail-digest.ts, state-sync.ts).
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
  /** truncateTo calls queued or running: local appends are refused meanwhile. */
  private truncating = 0;
  private stateApplies: Promise<unknown> = Promise.resolve();
  private readonly kv: Kv;
  private readonly log: StoreParts['log'];
  private readonly dispatcher: StoreParts['dispatcher'];
  private readonly writer: StoreParts['writer'];
  private readonly assigned: StoreParts['assigned'];
  private readonly flusher: StoreParts['flusher'];
  private readonly retention: StoreParts['retention'];
  private readonly guard: StoreParts['guard'];
  private readonly reader: LogReader;
  private readonly replica: ReplicaAppender;
  private readonly index: MessageIndex;
  private readonly parts: StoreParts;
  private readonly truncateDeps: TruncateDeps;

  private constructor(parts: StoreParts) {
    this.parts = parts;
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
    this.metadata = new Metadata(parts.kv, (ops) => parts.events.emit('stateChanged', { ops, origin: 'local' }));
    this.truncateDeps = { ...parts, maxRecordBytes: parts.config.maxRecordBytes };
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
      onWritten: (endOffset, synced) => {
        parts.flusher.noteWritten(endOffset, synced);
        parts.events.emit('written', { endOffset });
      },
      restartAt: (offset) => restartEmptyLog(this.truncateDeps, offset),
    });
  }

  static async open(input: StoreConfigInput, opts: OpenOptions = {}): Promise<MessageStore> {
    const config = resolveStoreConfig(input);
    const lockKey = await claimInProcess(config.rootDir);
    let kv: Kv | undefined;
    try {
      kv = await Kv.open(indexDirOf(config.rootDir)); // takes the cross-process lock first
      await checkSegmentSize(kv, config.segmentSizeBytes);
      const parts = await assembleStore(config, kv, opts.extensions ?? []);
      const store = new MessageStore(parts);
      await startStore(parts);
      store.lockKey = lockKey;
      return store;
    } catch (err) {
      await kv?.close().catch(() => undefined);
      releaseInProcess(lockKey);
      throw err;
    }
  }

  // ---------------------------------------------------------------- appends

  append(msg: AppendMessage): Promise<AppendResult> {
    return this.appendBatch([msg]).then(first);
  }

  /** Appends several messages as one unit of the writer's queue; results in input order. */
  appendBatch(messages: readonly AppendMessage[]): Promise<AppendResult[]> {
    try {
      this.assertOpen();
      if (this.truncating > 0) throw new StorageError(StorageErrorCode.REPLICA_OFFSET_MISMATCH, 'the store is truncating its log (a replica)');
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

  /** The record starting at `logOffset` (its size read from the log); verified like getMessage. */
  async getMessageAt(logOffset: number): Promise<StoredRecord> {
    this.assertOpen();
    return this.reader.readRecordAt(logOffset);
  }

  /**
   * Several records by location, in the order asked; neighbours in the log share one read (up to
   * Limits.maxRangedReadBytes), every record verified as getMessage verifies it. Records are views
   * into those buffers, which `opts.allocate` supplies when given (see LogReader.readRecords).
   */
  async getMessages(locations: readonly { logOffset: number; size: number }[], opts: ReadBufferOptions = {}): Promise<StoredRecord[]> {
    this.assertOpen();
    return this.reader.readRecords(locations, opts.allocate);
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

  // ---------------------------------------------------------------- replication

  /** Who this store is: storeId is made at the directory's first open and never changes. */
  identity(): { storeId: string; segmentSizeBytes: number } {
    return { storeId: this.parts.storeId, segmentSizeBytes: this.config.segmentSizeBytes };
  }

  /** The epoch file's entries, ascending (see epochs.ts). */
  epochs(): readonly EpochEntry[] {
    return this.parts.epochs.entries;
  }

  /** Appends an entry: epoch above the last, startOffset in [last entry's startOffset, endOffset]. */
  appendEpoch(epoch: number, startOffset: number): Promise<void> {
    return this.whenOpen(() => this.parts.epochs.append(epoch, startOffset));
  }

  /** A master's term after each open: {1, end} first, the last entry if it starts at the end, else {last + 1, end}. */
  beginMasterEpoch(): Promise<EpochEntry> {
    return this.whenOpen(() => this.parts.epochs.beginMaster());
  }

  /**
   * Replica only: cuts the log at `offset` (a record boundary in [minOffset, endOffset]) with its
   * index entries, queue offsets and later epochs; `offset === minOffset` empties the log (see
   * truncate.ts). Refused while local appends are in flight; runs in turn with replicated appends.
   */
  truncateTo(offset: number): Promise<{ droppedBytes: number; droppedIndexedRecords: number }> {
    return this.whenOpen(() => {
      if (!this.writer.idle) throw new StorageError(StorageErrorCode.REPLICA_OFFSET_MISMATCH, 'local appends are in flight; only a replica truncates');
      this.truncating++;
      return this.replica
        .exclusive(async () => {
          this.assertOpen();
          await this.retention.whenIdle(); // a pass prunes indexes too: not at the same time
          const r = await truncateStore(this.truncateDeps, offset);
          this.events.emit('truncated', r);
          return { droppedBytes: r.droppedBytes, droppedIndexedRecords: r.droppedIndexedRecords };
        })
        .finally(() => this.truncating--);
    });
  }

  /**
   * SYNC_MASTER visibility gate: while set, records ending past `offset` are written but not
   * dispatched (not indexed, not visible, no 'arrived'); raising it dispatches them at once, and
   * undefined lifts it. Recovery at open is never limited.
   */
  setDispatchLimit(offset: number | undefined): void {
    this.assertOpen();
    if (offset !== undefined) assertSafeOffset(offset, 'dispatch limit');
    this.dispatcher.setLimit(offset);
  }

  /** CRC32 of the raw log bytes just below `endOffset`, at most maxBytes, within one segment (tail-digest.ts). */
  tailDigest(endOffset: number, maxBytes = 4096): Promise<{ fromOffset: number; crc32: number }> {
    return this.whenOpen(() => tailDigest(this.log, endOffset, maxBytes));
  }

  /** Visits every replicable key (consumer offsets, metadata) as 'put' ops, in key order and chunks; returns the count. */
  stateSnapshot(visit: (ops: StateOp[]) => Promise<void>, chunkBytes = 256 * 1024): Promise<number> {
    return this.whenOpen(() => snapshotState(this.kv, visit, chunkBytes));
  }

  /** Writes a master's state ops in one batch (replaceAll: replicable ranges cleared first); emits 'stateChanged'. */
  applyState(ops: readonly StateOp[], opts: { replaceAll?: boolean } = {}): Promise<void> {
    return this.whenOpen(() => {
      const run = this.stateApplies.then(async () => {
        const applied = await applyStateOps(this.kv, ops, opts.replaceAll === true);
        this.events.emit('stateChanged', { ops: applied, origin: 'replicated' });
      });
      this.stateApplies = run.catch(() => undefined);
      return run;
    });
  }

  /** A small value of this store alone (meta namespace, never replicated); names [A-Za-z0-9._-]{1,64}. */
  getLocalMeta(name: string): Promise<Buffer | undefined> {
    return this.whenOpen(() => getLocalMeta(this.kv, name));
  }

  setLocalMeta(name: string, value: Buffer): Promise<void> {
    return this.whenOpen(() => setLocalMeta(this.kv, name, value));
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
      ...(this.dispatcher.dispatchLimit !== undefined ? { dispatchLimit: this.dispatcher.dispatchLimit } : {}),
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

  /** Retention and disk-pressure settings changed while running (LIVE_STORE_KEYS), from the next pass on. */
  updateLiveConfig(patch: Partial<LiveStoreConfig>): LiveStoreConfig {
    return applyLiveChanges(this.config, patch);
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
    this.dispatcher.setLimit(undefined); // what the limit held back is on disk: index it (recovery would)
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
    await this.dispatcher.whenQuiet();
    this.dispatcher.stop();
    await this.kv.close();
    await this.log.close();
    this.flusher.close();
    releaseInProcess(this.lockKey);
  }

  /** Runs `task` if the store is open; a throw becomes a rejection. */
  private whenOpen<T>(task: () => Promise<T>): Promise<T> {
    try {
      this.assertOpen();
      return task();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new StorageError(StorageErrorCode.STORE_NOT_OPEN, `store is ${this.state}`);
  }
}

function first(results: AppendResult[]): AppendResult {
  return results[0] as AppendResult;
}
