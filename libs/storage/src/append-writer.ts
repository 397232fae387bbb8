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

export interface WriterHooks {
  /** Called after the bytes are written (and, in SYNC_FLUSH, synced). */
  onWritten(endOffset: number, synced: boolean, records: number, bytes: number): void;
  /** Whether appends are currently refused because the disk is nearly full. */
  diskFull(): boolean;
}

/**
 * The commit log's single writer. Callers queue appends; whenever the writer is idle it takes
 * everything queued (up to maxWriteBatchBytes), assigns log and queue offsets, encodes the records
 * straight into one buffer per segment touched and issues one positional write per buffer. In
 * SYNC_FLUSH every append of the batch shares one fdatasync (group commit) and resolves after it.
 * While a batch is being written and synced, new appends gather into the next batch.
 */
export class AppendWriter {
  private queue: PendingAppend[] = [];
  private queuedMessages = 0;
  private busy = false;
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
  ) {}

  get pendingMessages(): number {
    return this.queuedMessages;
  }

  /** Queues already-validated messages; resolves in the same order once written (and synced). */
  append(messages: readonly AppendMessage[], sizings: RecordSizing[]): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new StorageError(StorageErrorCode.STORE_NOT_OPEN, 'store is closing'));
    if (this.hooks.diskFull()) {
      return Promise.reject(new StorageError(StorageErrorCode.DISK_FULL, 'disk use is above diskFullRatio; appends are refused until space is freed'));
    }
    if (this.queuedMessages + messages.length > this.maxPendingAppends) {
      return Promise.reject(
        new StorageError(StorageErrorCode.APPEND_QUEUE_FULL, `append queue is full (${this.queuedMessages} of maxPendingAppends=${this.maxPendingAppends})`),
      );
    }
    let bytes = 0;
    for (const s of sizings) bytes += s.totalSize;
    return new Promise((resolve, reject) => {
      this.queue.push({ messages, sizings, bytes, resolve, reject });
      this.queuedMessages += messages.length;
      if (!this.busy) void this.drain();
    });
  }

  /** Stops taking appends; resolves once everything queued is written. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.busy && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length > 0) {
        await this.dispatcher.waitForCapacity();
        const batch = this.takeBatch();
        await this.writeBatch(batch);
      }
    } finally {
      this.busy = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private takeBatch(): PendingAppend[] {
    let bytes = 0;
    let n = 0;
    while (n < this.queue.length) {
      const next = this.queue[n] as PendingAppend;
      if (n > 0 && bytes + next.bytes > this.maxWriteBatchBytes) break;
      bytes += next.bytes;
      n++;
    }
    const batch = n === this.queue.length ? this.queue : this.queue.slice(0, n);
    this.queue = n === this.queue.length ? [] : this.queue.slice(n);
    for (const p of batch) this.queuedMessages -= p.messages.length;
    return batch;
  }

  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    const startEnd = this.log.endOffset;
    const undo = new Map<string, { topic: string; queueId: number; next: number }>();
    let results: AppendResult[][];
    let requests: DispatchRequest[];
    let endOffset: number;
    try {
      const storeTs = this.storeTimestamp();
      const planned = this.plan(batch, startEnd, storeTs, undo);
      results = planned.results;
      requests = planned.requests;
      endOffset = planned.endOffset;
      for (const chunk of planned.chunks) await this.log.write(chunk.startOffset, chunk.buf, chunk.length);
      if (this.syncFlush) await this.log.flush();
    } catch (err) {
      for (const u of undo.values()) this.assigned.set(u.topic, u.queueId, u.next);
      await this.log.truncate(startEnd).catch(() => undefined); // drop any partial bytes
      for (const p of batch) p.reject(err as Error);
      return;
    }
    this.log.advanceEnd(endOffset);
    this.dispatcher.enqueue(requests, endOffset);
    this.hooks.onWritten(endOffset, this.syncFlush, requests.length, endOffset - startEnd);
    for (let i = 0; i < batch.length; i++) (batch[i] as PendingAppend).resolve(results[i] as AppendResult[]);
  }

  /** Store time never goes backwards, so offset-by-time binary searches stay valid. */
  private storeTimestamp(): number {
    const now = this.nowMs();
    this.lastStoreTimestampMs = now > this.lastStoreTimestampMs ? now : this.lastStoreTimestampMs;
    return this.lastStoreTimestampMs;
  }

  /** Lays the batch out over segments, assigns offsets, and encodes every record. */
  private plan(batch: PendingAppend[], startEnd: number, storeTs: number, undo: Map<string, { topic: string; queueId: number; next: number }>) {
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
        });
        pos += s.totalSize;
      }
      results.push(out);
    }
    return { chunks, results, requests, endOffset: pos };
  }
}
