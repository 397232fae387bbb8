import type { CommitLog } from './commit-log';
import type { DispatchRequest, Dispatcher } from './dispatch';
import { StorageError, StorageErrorCode } from './errors';
import type { QueueTable } from './queue-table';
import { type AppendMessage, BLANK_BYTES, type RecordSizing, encodeBlank, encodeRecord } from './record-codec';
import { tagHash } from './tag-hash';

/** What an append resolves with. */
export interface AppendResult {
  logOffset: number;
  size: number;
  queueOffset: number;
  storeTimestampMs: number;
}

/** A caller's append (one message or a batch), waiting for the writer. */
interface PendingAppend {
  messages: readonly AppendMessage[];
  sizings: RecordSizing[];
  bytes: number;
  resolve(results: AppendResult[]): void;
  reject(err: Error): void;
}

/** One contiguous write inside one segment. */
interface Chunk {
  startOffset: number;
  buf: Buffer;
  length: number;
}

type QueueUndo = Map<string, { topic: string; queueId: number; next: number }>;

/** A planned batch whose bytes are being written. Slots complete strictly in log order. */
interface Slot {
  batch: PendingAppend[];
  startOffset: number;
  endOffset: number;
  results: AppendResult[][];
  requests: DispatchRequest[];
  undo: QueueUndo;
  state: 'writing' | 'written' | 'failed';
  error?: Error;
}

interface WriterHooks {
  /** Called after the bytes are written (and, in SYNC_FLUSH, synced). */
  onWritten(endOffset: number, synced: boolean, records: number, bytes: number): void;
  /** Throws (DISK_FULL) unless `bytes` more may be written now. */
  admit(bytes: number): void;
  /** A write failed (e.g. a real ENOSPC); its batch and every later one were failed. */
  onWriteFailed(error: Error): void;
}

/** Writes in flight at once. More than one lets the next batch encode while the last one writes. */
const MAX_IN_FLIGHT_WRITES = 4;
/** A batch is split so the pipeline stays busy, but never below this many records. */
const MIN_RECORDS_PER_WRITE = 64;
const EMPTY_PROPERTIES = Buffer.alloc(0);

/**
 * The commit log's single writer. Callers queue appends; the writer takes what is queued, assigns
 * log and queue offsets, encodes the records straight into one buffer per segment touched and
 * issues one positional write per buffer. Up to MAX_IN_FLIGHT_WRITES such batches are written
 * concurrently (at disjoint offsets); they complete in log order: the log end advances, the
 * records go to dispatch and the appends resolve only when every earlier batch has. In SYNC_FLUSH
 * each completing batch is fdatasynced first, and one sync covers everything written before it
 * (group commit). A failed write fails its batch and every later one, and the log is cut back.
 */
export class AppendWriter {
  private queue: PendingAppend[] = [];
  private queuedMessages = 0;
  private queuedBytes = 0;
  private inFlight: Slot[] = [];
  /** Where the next planned batch starts (log end plus what is in flight). */
  private plannedEnd: number;
  private settling = false;
  private pumpScheduled = false;
  /** SYNC_FLUSH: end of the bytes covered by the last fdatasync. */
  private syncedEnd = 0;
  private waitingForCapacity = false;
  private lastStoreTimestampMs = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly log: CommitLog,
    private readonly dispatcher: Dispatcher,
    /** Next queue offset per queue as handed out (ahead of, or equal to, the dispatcher's). */
    private readonly assigned: QueueTable,
    private readonly syncFlush: boolean,
    private readonly maxPendingAppends: number,
    private readonly maxWriteBatchBytes: number,
    private readonly nowMs: () => number,
    private readonly hooks: WriterHooks,
  ) {
    this.plannedEnd = log.endOffset;
  }

  get pendingMessages(): number {
    return this.queuedMessages;
  }

  /** Bytes queued or being written that are not written yet (the disk guard counts them as used). */
  get outstandingBytes(): number {
    return this.queuedBytes + (this.inFlight.length > 0 ? this.plannedEnd - this.log.endOffset : 0);
  }

  get idle(): boolean {
    return this.queue.length === 0 && this.inFlight.length === 0 && !this.pumpScheduled;
  }

  /**
   * The log was cut at (or emptied to) `offset` while the writer was idle: the next batch starts
   * there, and the SYNC_FLUSH group-commit mark must not cover bytes written after the cut.
   */
  truncatedTo(offset: number): void {
    if (!this.idle) throw new StorageError(StorageErrorCode.REPLICA_OFFSET_MISMATCH, 'local appends are in flight');
    this.plannedEnd = offset;
    if (this.syncedEnd > offset) this.syncedEnd = offset;
  }

  /** Queues already-validated messages; resolves in the same order once written (and synced). */
  append(messages: readonly AppendMessage[], sizings: RecordSizing[]): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new StorageError(StorageErrorCode.STORE_NOT_OPEN, 'store is closing'));
    if (this.queuedMessages + messages.length > this.maxPendingAppends) {
      return Promise.reject(
        new StorageError(StorageErrorCode.APPEND_QUEUE_FULL, `append queue is full (${this.queuedMessages} of maxPendingAppends=${this.maxPendingAppends})`),
      );
    }
    let bytes = 0;
    for (const s of sizings) bytes += s.totalSize;
    try {
      this.hooks.admit(bytes);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ messages, sizings, bytes, resolve, reject });
      this.queuedMessages += messages.length;
      this.queuedBytes += bytes;
      this.schedulePump();
    });
  }

  /**
   * Starts writes after the current turn of the event loop, so every append made in this turn
   * (e.g. all the callers a completed batch just released) joins one batch instead of each
   * starting a one-record write.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Stops taking appends; resolves once everything queued is written. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.idle) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Starts as many writes as the pipeline and the dispatcher's backlog allow. */
  private pump(): void {
    while (this.queue.length > 0 && this.inFlight.length < MAX_IN_FLIGHT_WRITES) {
      if (this.waitingForCapacity) return;
      if (!this.dispatcher.hasCapacity()) {
        this.waitingForCapacity = true;
        void this.dispatcher.waitForCapacity().then(() => {
          this.waitingForCapacity = false;
          this.pump();
        });
        return;
      }
      this.start(this.takeBatch());
    }
  }

  private takeBatch(): PendingAppend[] {
    // ASYNC: split what is queued over the free slots so encoding overlaps writing. SYNC: keep
    // batches whole, since every batch that completes alone costs its own fdatasync.
    const freeSlots = MAX_IN_FLIGHT_WRITES - this.inFlight.length;
    const recordTarget = this.syncFlush ? Number.MAX_SAFE_INTEGER : Math.max(MIN_RECORDS_PER_WRITE, Math.ceil(this.queuedMessages / freeSlots));
    let bytes = 0;
    let records = 0;
    let n = 0;
    while (n < this.queue.length) {
      const next = this.queue[n] as PendingAppend;
      if (n > 0 && (bytes + next.bytes > this.maxWriteBatchBytes || records >= recordTarget)) break;
      bytes += next.bytes;
      records += next.messages.length;
      n++;
    }
    const batch = n === this.queue.length ? this.queue : this.queue.slice(0, n);
    this.queue = n === this.queue.length ? [] : this.queue.slice(n);
    this.queuedMessages -= records;
    this.queuedBytes -= bytes;
    return batch;
  }

  private start(batch: PendingAppend[]): void {
    const undo: QueueUndo = new Map();
    // With nothing in flight the log end is authoritative (replicated appends move it too).
    const startOffset = this.inFlight.length === 0 ? this.log.endOffset : this.plannedEnd;
    const planned = this.plan(batch, startOffset, this.storeTimestamp(), undo);
    this.plannedEnd = planned.endOffset;
    const slot: Slot = { batch, startOffset, endOffset: planned.endOffset, results: planned.results, requests: planned.requests, undo, state: 'writing' };
    this.inFlight.push(slot);
    void this.writeChunks(planned.chunks).then(
      () => {
        slot.state = 'written';
        void this.settle();
      },
      (err: Error) => {
        slot.state = 'failed';
        slot.error = err;
        void this.settle();
      },
    );
  }

  private async writeChunks(chunks: Chunk[]): Promise<void> {
    for (const c of chunks) await this.log.write(c.startOffset, c.buf, c.length);
  }

  /** Completes finished slots from the head, in order. Only one settle loop runs at a time. */
  private async settle(): Promise<void> {
    if (this.settling) return;
    this.settling = true;
    try {
      for (;;) {
        const head = this.inFlight[0];
        if (!head || head.state === 'writing') break;
        if (head.state === 'failed') {
          if (this.inFlight.some((s) => s.state === 'writing')) break; // fail them together once all settle
          await this.failAll(head.error as Error);
          continue;
        }
        if (this.syncFlush && head.endOffset > this.syncedEnd) {
          // One fdatasync covers every slot whose bytes are already written (group commit).
          let covered = head.endOffset;
          for (const s of this.inFlight) {
            if (s.state !== 'written') break;
            covered = s.endOffset;
          }
          try {
            await this.log.flush();
            this.syncedEnd = covered;
          } catch (err) {
            head.state = 'failed';
            head.error = err as Error;
            continue;
          }
        }
        this.inFlight.shift();
        this.log.advanceEnd(head.endOffset);
        this.dispatcher.enqueue(head.requests, head.endOffset);
        this.hooks.onWritten(head.endOffset, this.syncFlush, head.requests.length, head.endOffset - head.startOffset);
        for (let i = 0; i < head.batch.length; i++) (head.batch[i] as PendingAppend).resolve(head.results[i] as AppendResult[]);
      }
    } finally {
      this.settling = false;
    }
    this.pump();
    if (this.idle) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** A write failed: every slot from it on fails, queue offsets go back, partial bytes are cut. */
  private async failAll(error: Error): Promise<void> {
    const failed = this.inFlight;
    this.inFlight = [];
    for (let i = failed.length - 1; i >= 0; i--) for (const u of (failed[i] as Slot).undo.values()) this.assigned.set(u.topic, u.queueId, u.next);
    const cutAt = (failed[0] as Slot).startOffset;
    this.plannedEnd = cutAt;
    await this.log.truncate(cutAt).catch(() => undefined);
    for (const slot of failed) for (const p of slot.batch) p.reject(error);
    this.hooks.onWriteFailed(error);
  }

  /** Store time never goes backwards, so offset-by-time binary searches stay valid. */
  private storeTimestamp(): number {
    const now = this.nowMs();
    this.lastStoreTimestampMs = now > this.lastStoreTimestampMs ? now : this.lastStoreTimestampMs;
    return this.lastStoreTimestampMs;
  }

  /** Lays the batch out over segments, assigns offsets, and encodes every record. */
  private plan(batch: PendingAppend[], startEnd: number, storeTs: number, undo: QueueUndo) {
    const segSize = this.log.segmentSizeBytes;
    // Pass 1: chunk boundaries. A record goes into the current segment only if 8 bytes remain
    // after it, so there is always room for the end-of-segment marker.
    const chunkLengths: number[] = [];
    let pos = startEnd;
    let chunkStart = startEnd;
    for (const p of batch) {
      for (const s of p.sizings) {
        const segEnd = pos - (pos % segSize) + segSize;
        if (pos + s.totalSize + BLANK_BYTES > segEnd) {
          chunkLengths.push(pos - chunkStart + BLANK_BYTES);
          pos = segEnd;
          chunkStart = segEnd;
        }
        pos += s.totalSize;
      }
    }
    chunkLengths.push(pos - chunkStart);
    // Pass 2: encode.
    const chunks: Chunk[] = [];
    let ci = 0;
    let chunk: Chunk = { startOffset: startEnd, buf: Buffer.allocUnsafe(chunkLengths[0] as number), length: chunkLengths[0] as number };
    chunks.push(chunk);
    pos = startEnd;
    const results: AppendResult[][] = [];
    const requests: DispatchRequest[] = [];
    for (const p of batch) {
      const out: AppendResult[] = [];
      for (let i = 0; i < p.messages.length; i++) {
        const msg = p.messages[i] as AppendMessage;
        const s = p.sizings[i] as RecordSizing;
        const segEnd = pos - (pos % segSize) + segSize;
        if (pos + s.totalSize + BLANK_BYTES > segEnd) {
          encodeBlank(chunk.buf, pos - chunk.startOffset, segEnd - pos);
          ci++;
          chunk = { startOffset: segEnd, buf: Buffer.allocUnsafe(chunkLengths[ci] as number), length: chunkLengths[ci] as number };
          chunks.push(chunk);
          pos = segEnd;
        }
        const queueOffset = this.assigned.get(msg.topic, msg.queueId);
        const undoKey = `${msg.queueId}\u0000${msg.topic}`;
        if (!undo.has(undoKey)) undo.set(undoKey, { topic: msg.topic, queueId: msg.queueId, next: queueOffset });
        this.assigned.set(msg.topic, msg.queueId, queueOffset + 1);
        encodeRecord(chunk.buf, pos - chunk.startOffset, msg, s, queueOffset, pos, storeTs);
        out.push({ logOffset: pos, size: s.totalSize, queueOffset, storeTimestampMs: storeTs });
        requests.push({
          topic: msg.topic,
          queueId: msg.queueId,
          queueOffset,
          logOffset: pos,
          size: s.totalSize,
          storeTimestampMs: storeTs,
          sysFlag: msg.sysFlag ?? 0,
          messageId: msg.messageId,
          tagHash: tagHash(msg.tag),
          tag: msg.tag ?? '',
          keys: msg.keys,
          properties: msg.properties ?? EMPTY_PROPERTIES,
        });
        pos += s.totalSize;
      }
      results.push(out);
    }
    return { chunks, results, requests, endOffset: pos };
  }
}
