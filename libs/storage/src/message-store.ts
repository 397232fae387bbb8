import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppendWriter, type AppendResult } from './append-writer';
import { Checkpoint } from './checkpoint';
import { CommitLog } from './commit-log';
import { type StoreConfig, type StoreConfigInput, resolveStoreConfig } from './config';
import { ConsumeQueues, type QueueRead, type QueueReadOptions } from './consume-queue';
import { type DispatchExtension, Dispatcher, META_DISPATCHED_OFFSET } from './dispatch';
import { StorageError, StorageErrorCode, assertSafeOffset } from './errors';
import { StoreEvents } from './events';
import { pruneIndexesBelow } from './index-pruning';
import { Kv } from './kv';
import { MessageIndex, type FoundMessage, type KeyQuery } from './message-index';
import { Metadata } from './metadata';
import { NS, decodeQueueOffsetKey, metaKey, u64Value } from './keys';
import { Limits } from './limits';
import { QueueTable } from './queue-table';
import { type AppendMessage, type StoredRecord, decodeRecord, peekRecord, sizeRecord } from './record-codec';
import { type RecoveryReport, recoverStore } from './recovery';
import { replicatedChunks, type ReplicatedChunk } from './replica-append';
import { retentionPass, statfsUsage } from './retention';
import { fsyncDir } from './segment';
import { validateAppend } from './validate';
import { readU64 } from './u64';

export interface StoreStats {
  minOffset: number;
  endOffset: number;
  flushedOffset: number;
  dispatchedOffset: number;
  pendingAppends: number;
  dispatchBacklogRecords: number;
  diskUsedPercent: number;
  diskFull: boolean;
}

export interface OpenOptions {
  /** Extra dispatchers (timer index, transactions) whose writes join every dispatch batch. */
  extensions?: DispatchExtension[];
}

const ABORT_FILE = 'abort';
const META_SEGMENT_SIZE = 'segmentSizeBytes';

/**
 * Store directories open in this process. LevelDB's LOCK is an fcntl lock, and a second open of
 * the same LOCK file in one process closes its fd on failure, which silently drops the first
 * holder's lock (POSIX releases a process's fcntl locks on any close). So in-process double opens
 * are refused here, before LevelDB is touched.
 */
const openInProcess = new Set<string>();
const CHECKPOINT_FILE = 'checkpoint';
const INDEX_DIR = 'index';

/**
 * The store a broker or replica owns: a segmented commit log (the truth) plus LevelDB indexes
 * derived from it. open() takes the directory lock, recovers, and only then accepts appends.
 *
 * Data flow: append -> AppendWriter (one positional write per batch, group fsync in SYNC_FLUSH)
 * -> Dispatcher (one LevelDB batch per round) -> 'arrived' event -> readers.
 */
export class MessageStore {
  private state: 'open' | 'closing' | 'closed' = 'open';
  private lockKey = '';
  private flushedOffset: number;
  private checkpointedOffset = -1;
  private diskUsedPercent = 0;
  private diskFull = false;
  private timers: NodeJS.Timeout[] = [];
  private flushRunning: Promise<void> | undefined;
  private retentionRunning: Promise<void> | undefined;
  private replicaChain: Promise<unknown> = Promise.resolve();
  readonly queues: ConsumeQueues;
  readonly metadata: Metadata;
  private readonly index: MessageIndex;

  private constructor(
    readonly config: StoreConfig,
    private readonly kv: Kv,
    private readonly log: CommitLog,
    private readonly checkpoint: Checkpoint,
    private readonly dispatcher: Dispatcher,
    private readonly writer: AppendWriter,
    private readonly assigned: QueueTable,
    readonly events: StoreEvents,
    /** What the last open found; also emitted as 'recovered'. */
    readonly recovery: RecoveryReport,
  ) {
    this.flushedOffset = log.endOffset;
    this.queues = new ConsumeQueues(kv, dispatcher.dispatched);
    this.metadata = new Metadata(kv);
    this.index = new MessageIndex(kv, (o, s) => this.getMessage(o, s));
  }

  static async open(input: StoreConfigInput, opts: OpenOptions = {}): Promise<MessageStore> {
    const config = resolveStoreConfig(input);
    await fs.promises.mkdir(config.rootDir, { recursive: true });
    const lockKey = await fs.promises.realpath(config.rootDir);
    if (openInProcess.has(lockKey)) {
      throw new StorageError(StorageErrorCode.STORE_LOCKED, `store ${config.rootDir} is already open in this process`);
    }
    openInProcess.add(lockKey);
    let kv: Kv | undefined;
    try {
      kv = await Kv.open(path.join(config.rootDir, INDEX_DIR)); // takes the cross-process lock first
      await checkSegmentSize(kv, config.segmentSizeBytes);
      const store = await MessageStore.recoverAndStart(config, kv, opts);
      store.lockKey = lockKey;
      return store;
    } catch (err) {
      await kv?.close().catch(() => undefined);
      openInProcess.delete(lockKey);
      throw err;
    }
  }

  private static async recoverAndStart(config: StoreConfig, kv: Kv, opts: OpenOptions): Promise<MessageStore> {
    const events = new StoreEvents();
    const abortFile = path.join(config.rootDir, ABORT_FILE);
    const cleanShutdown = !fs.existsSync(abortFile);
    const log = await CommitLog.open(config.commitLogDir, config.segmentSizeBytes);
    const checkpoint = await Checkpoint.open(path.join(config.rootDir, CHECKPOINT_FILE));
    const dispatched = new QueueTable();
    await kv.forEach({ gte: Buffer.from([NS.queueOffset]), lt: Buffer.from([NS.queueOffset + 1]) }, (k, v) => {
      const { topic, queueId } = decodeQueueOffsetKey(k);
      dispatched.set(topic, queueId, readU64(v, 0));
    });
    const stored = await kv.get(metaKey(META_DISPATCHED_OFFSET));
    const extensions = opts.extensions ?? [];
    let dispatcher: Dispatcher | undefined;
    const recovery = await recoverStore({
      log,
      kv,
      dispatcher: (fromOffset) =>
        (dispatcher = new Dispatcher(kv, dispatched, fromOffset, config.maxDispatchBacklogRecords, extensions, {
          onArrived: (queues) => events.emit('arrived', queues),
          onDispatched: (offset, records) =>
            events.emit('dispatched', { dispatchedOffset: offset, lagBytes: Math.max(0, log.endOffset - offset), records }),
          onError: (error) => events.emit('backgroundError', { task: 'dispatch', error }),
        })),
      dispatched,
      dispatchedOffset: stored ? readU64(stored, 0) : log.minOffset,
      checkpoint: checkpoint.state,
      cleanShutdown,
      maxRecordBytes: config.maxRecordBytes,
      extensions,
      setDispatchedOffset: (o) => kv.put(metaKey(META_DISPATCHED_OFFSET), u64Value(o)),
    });
    if (!dispatcher) throw new Error('storage invariant violated: recovery did not create the dispatcher');
    const assigned = new QueueTable();
    assigned.copyFrom(dispatched);
    // The writer asks the store (built next) about the disk; it is not called before construction.
    const ref: { store?: MessageStore } = {};
    const writer = new AppendWriter(
      log,
      dispatcher,
      assigned,
      config.flushDiskType === 'SYNC_FLUSH',
      config.maxPendingAppends,
      config.maxWriteBatchBytes,
      config.nowMs ?? Date.now,
      { onWritten: (end, synced) => ref.store?.afterWrite(end, synced), diskFull: () => ref.store?.diskFull ?? false },
    );
    const store = new MessageStore(config, kv, log, checkpoint, dispatcher, writer, assigned, events, recovery);
    ref.store = store;
    log.onSegmentCreated = (startOffset) => events.emit('segmentRolled', { startOffset });
    await fs.promises.writeFile(abortFile, `${process.pid}\n`);
    await fsyncDir(config.rootDir);
    await store.checkDisk();
    store.startTimers();
    queueMicrotask(() => events.emit('recovered', recovery));
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
    const run = this.replicaChain.then(() => this.doAppendReplicated(fromOffset, bytes));
    this.replicaChain = run.catch(() => undefined);
    return run;
  }

  private async doAppendReplicated(fromOffset: number, bytes: Buffer): Promise<{ endOffset: number; records: number }> {
    this.assertOpen();
    assertSafeOffset(fromOffset, 'fromOffset');
    if (!this.writer.idle) {
      throw new StorageError(StorageErrorCode.REPLICA_OFFSET_MISMATCH, 'local appends are in flight; a replica store takes replicated bytes only');
    }
    if (this.log.lastSegmentStart === undefined && this.log.endOffset === 0 && fromOffset % this.log.segmentSizeBytes === 0) {
      this.log.setEnd(fromOffset); // an empty replica starts wherever the master's retained log starts
    }
    if (fromOffset !== this.log.endOffset) {
      throw new StorageError(StorageErrorCode.REPLICA_OFFSET_MISMATCH, `replicated bytes start at ${fromOffset}, local end is ${this.log.endOffset}`);
    }
    const parsed = replicatedChunks(bytes, fromOffset, this.log.segmentSizeBytes, this.config.maxRecordBytes);
    await this.writeReplicated(parsed.chunks);
    if (this.config.flushDiskType === 'SYNC_FLUSH') await this.log.flush();
    this.log.advanceEnd(parsed.endOffset);
    for (const r of parsed.requests) {
      if (r.queueOffset + 1 > this.assigned.get(r.topic, r.queueId)) this.assigned.set(r.topic, r.queueId, r.queueOffset + 1);
    }
    this.dispatcher.enqueue(parsed.requests, parsed.endOffset);
    this.afterWrite(parsed.endOffset, this.config.flushDiskType === 'SYNC_FLUSH');
    return { endOffset: parsed.endOffset, records: parsed.requests.length };
  }

  private async writeReplicated(chunks: ReplicatedChunk[]): Promise<void> {
    for (const c of chunks) await this.log.write(c.logOffset, c.bytes, c.bytes.length);
  }

  // ---------------------------------------------------------------- reads

  /** Reads and verifies one record (CRC, size, position). */
  async getMessage(logOffset: number, size: number): Promise<StoredRecord> {
    this.assertOpen();
    this.checkReadable(logOffset, size);
    return this.verifiedRecord(await this.log.read(logOffset, size), 0, logOffset, size);
  }

  /**
   * Several records by location, in the order asked. Locations close together in the log (a
   * queue's entries usually are) are served by one read each run, up to Limits.maxRangedReadBytes;
   * every record is verified as getMessage verifies it. Records are views into shared buffers.
   */
  async getMessages(locations: readonly { logOffset: number; size: number }[]): Promise<StoredRecord[]> {
    this.assertOpen();
    const out = new Array<StoredRecord>(locations.length);
    const order = locations.map((_, i) => i).sort((a, b) => (locations[a] as { logOffset: number }).logOffset - (locations[b] as { logOffset: number }).logOffset);
    let i = 0;
    while (i < order.length) {
      const first = locations[order[i] as number] as { logOffset: number; size: number };
      this.checkReadable(first.logOffset, first.size);
      const segEnd = first.logOffset - (first.logOffset % this.log.segmentSizeBytes) + this.log.segmentSizeBytes;
      let end = first.logOffset + first.size;
      let j = i + 1;
      for (; j < order.length; j++) {
        const next = locations[order[j] as number] as { logOffset: number; size: number };
        const nextEnd = Math.max(end, next.logOffset + next.size);
        if (next.logOffset - end > Limits.maxRangedReadGapBytes || nextEnd - first.logOffset > Limits.maxRangedReadBytes || nextEnd > segEnd) break;
        this.checkReadable(next.logOffset, next.size);
        end = nextEnd;
      }
      const buf = await this.log.read(first.logOffset, end - first.logOffset);
      for (let k = i; k < j; k++) {
        const at = locations[order[k] as number] as { logOffset: number; size: number };
        out[order[k] as number] = this.verifiedRecord(buf, at.logOffset - first.logOffset, at.logOffset, at.size);
      }
      i = j;
    }
    return out;
  }

  private checkReadable(logOffset: number, size: number): void {
    assertSafeOffset(logOffset, 'logOffset');
    if (logOffset < this.log.minOffset) {
      throw new StorageError(StorageErrorCode.OFFSET_TOO_SMALL, `log offset ${logOffset} is below the oldest retained offset ${this.log.minOffset}`);
    }
    if (logOffset + size > this.log.endOffset) {
      throw new StorageError(StorageErrorCode.OFFSET_OVERFLOW, `log offset ${logOffset}+${size} is past the end ${this.log.endOffset}`);
    }
  }

  private verifiedRecord(buf: Buffer, at: number, logOffset: number, size: number): StoredRecord {
    const peek = peekRecord(buf, at, size, this.config.maxRecordBytes);
    if (peek.kind !== 'record' || peek.totalSize !== size || readU64(buf, at + 28) !== logOffset) {
      throw new StorageError(StorageErrorCode.CORRUPT_RECORD, `record at ${logOffset} (size ${size}) fails verification: ${peek.kind === 'corrupt' ? peek.reason : peek.kind}`);
    }
    return decodeRecord(buf, at);
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

  /** Queue ids of a topic that have ever received a message. */
  queueIdsOf(topic: string): number[] {
    return this.dispatcher.dispatched.queuesOf(topic);
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
    assertSafeOffset(fromOffset, 'fromOffset');
    const end = this.log.endOffset;
    if (fromOffset < this.log.minOffset) {
      throw new StorageError(StorageErrorCode.OFFSET_TOO_SMALL, `offset ${fromOffset} is below the oldest retained offset ${this.log.minOffset}`);
    }
    if (fromOffset > end) throw new StorageError(StorageErrorCode.OFFSET_OVERFLOW, `offset ${fromOffset} is past the end ${end}`);
    const segEnd = this.log.segmentStartOf(fromOffset) + this.log.segmentSizeBytes;
    const want = Math.min(Math.max(maxBytes, this.config.maxRecordBytes), segEnd - fromOffset, end - fromOffset);
    if (want === 0) return { bytes: Buffer.alloc(0), nextOffset: fromOffset };
    const buf = Buffer.allocUnsafe(want);
    const n = await this.log.readInto(buf, fromOffset, want);
    let at = 0;
    let next = fromOffset;
    while (at < n) {
      const peek = peekRecord(buf, at, n - at, this.config.maxRecordBytes);
      if (peek.kind === 'blank') {
        at += 8;
        next = segEnd;
        break;
      }
      if (peek.kind !== 'record') break;
      if (at > 0 && at + peek.totalSize > maxBytes) break;
      at += peek.totalSize;
      next += peek.totalSize;
    }
    return { bytes: buf.subarray(0, at), nextOffset: next };
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
      flushedOffset: this.flushedOffset,
      dispatchedOffset: this.dispatcher.offset,
      pendingAppends: this.writer.pendingMessages,
      dispatchBacklogRecords: this.dispatcher.backlogRecords,
      diskUsedPercent: this.diskUsedPercent,
      diskFull: this.diskFull,
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
    await this.flushOnce();
  }

  /** Runs one retention pass now (normally on cleanIntervalMs). */
  async runRetention(): Promise<void> {
    this.assertOpen();
    if (!this.retentionRunning) {
      this.retentionRunning = this.retentionOnce().finally(() => (this.retentionRunning = undefined));
    }
    await this.retentionRunning;
  }

  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    for (const t of this.timers) clearInterval(t);
    await this.writer.close();
    await this.replicaChain;
    await this.dispatcher.whenIdle();
    this.dispatcher.stop();
    await this.retentionRunning;
    await this.flushOnce();
    await this.kv.close();
    await this.log.close();
    this.checkpoint.close();
    await fs.promises.rm(path.join(this.config.rootDir, ABORT_FILE), { force: true });
    await fsyncDir(this.config.rootDir);
    this.state = 'closed';
    openInProcess.delete(this.lockKey);
  }

  /**
   * Test hook: drop the store as a SIGKILL would — file handles and the index closed with no
   * flush, no checkpoint, abort marker left in place. Bytes already written stay in the page
   * cache, exactly as after a process crash. Not for production use.
   */
  async abandonForCrashTest(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closed';
    for (const t of this.timers) clearInterval(t);
    await this.writer.close();
    await this.dispatcher.whenIdle();
    this.dispatcher.stop();
    await this.kv.close();
    await this.log.close();
    this.checkpoint.close();
    openInProcess.delete(this.lockKey);
  }

  // ---------------------------------------------------------------- background

  private afterWrite(endOffset: number, synced: boolean): void {
    if (synced) this.flushedOffset = endOffset;
  }

  private startTimers(): void {
    const flushEvery = this.config.flushDiskType === 'ASYNC_FLUSH' ? this.config.flushIntervalMs : this.config.checkpointIntervalMs;
    this.timers.push(
      setInterval(() => {
        this.flushOnce().catch((error: Error) => this.events.emit('backgroundError', { task: 'flush', error }));
      }, flushEvery),
      setInterval(() => {
        this.runRetention().catch((error: Error) => this.events.emit('backgroundError', { task: 'retention', error }));
      }, this.config.cleanIntervalMs),
    );
    for (const t of this.timers) t.unref();
  }

  /** fdatasync what was written (ASYNC), then record the durable offset in the checkpoint. */
  private flushOnce(): Promise<void> {
    if (this.flushRunning) return this.flushRunning;
    this.flushRunning = (async () => {
      const started = Date.now();
      const target = this.log.endOffset;
      if (target > this.flushedOffset) {
        await this.log.flush();
        this.flushedOffset = Math.max(this.flushedOffset, target);
      }
      if (this.flushedOffset !== this.checkpointedOffset) {
        await this.checkpoint.write(this.flushedOffset, Date.now());
        this.checkpointedOffset = this.flushedOffset;
        this.events.emit('flushed', {
          flushedOffset: this.flushedOffset,
          lagBytes: Math.max(0, this.log.endOffset - this.flushedOffset),
          durationMs: Date.now() - started,
        });
      }
    })().finally(() => (this.flushRunning = undefined));
    return this.flushRunning;
  }

  private async checkDisk(): Promise<void> {
    const u = await (this.config.diskUsage ?? statfsUsage)(this.config.commitLogDir);
    this.diskUsedPercent = u.totalBytes > 0 ? ((u.totalBytes - u.freeBytes) / u.totalBytes) * 100 : 0;
    this.diskFull = this.diskUsedPercent >= this.config.diskFullRatio;
  }

  private async retentionOnce(): Promise<void> {
    const probe = this.config.diskUsage ?? statfsUsage;
    const outcome = await retentionPass(this.log, this.config, (this.config.nowMs ?? Date.now)(), () => probe(this.config.commitLogDir));
    this.diskUsedPercent = outcome.diskUsedPercent;
    this.diskFull = outcome.diskFull;
    this.events.emit('diskUsage', { usedPercent: outcome.diskUsedPercent, diskFull: outcome.diskFull });
    for (const d of outcome.deleted) this.events.emit('segmentDeleted', d);
    if (outcome.deleted.length > 0) {
      const minOffset = this.log.minOffset;
      const removed = await pruneIndexesBelow(this.kv, this.dispatcher.dispatched, minOffset);
      this.queues.forget();
      this.events.emit('indexesPruned', { minOffset, consumeQueueEntries: removed });
    }
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new StorageError(StorageErrorCode.STORE_NOT_OPEN, `store is ${this.state}`);
  }
}

function first(results: AppendResult[]): AppendResult {
  return results[0] as AppendResult;
}

/** The segment size is fixed at creation: a different one would misplace every offset. */
async function checkSegmentSize(kv: Kv, segmentSizeBytes: number): Promise<void> {
  const stored = await kv.get(metaKey(META_SEGMENT_SIZE));
  if (!stored) {
    await kv.put(metaKey(META_SEGMENT_SIZE), u64Value(segmentSizeBytes));
    return;
  }
  const created = readU64(stored, 0);
  if (created !== segmentSizeBytes) {
    throw new StorageError(
      StorageErrorCode.INVALID_CONFIG,
      `invalid store config segmentSizeBytes=${segmentSizeBytes}: the store was created with ${created} and cannot change it`,
    );
  }
}
