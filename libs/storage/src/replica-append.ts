import type { AppendWriter } from './append-writer';
import type { CommitLog } from './commit-log';
import { type DispatchRequest, type Dispatcher, requestFromRecord } from './dispatch';
import { StorageError, StorageErrorCode, assertSafeOffset } from './errors';
import type { QueueTable } from './queue-table';
import { BLANK_BYTES, checkRecordAt, peekRecord } from './record-codec';

/** A run of replicated bytes to write at one log offset, inside one segment. */
interface ReplicatedChunk {
  logOffset: number;
  bytes: Buffer;
}

interface ReplicaAppenderDeps {
  log: CommitLog;
  writer: AppendWriter;
  dispatcher: Dispatcher;
  /** The writer's queue offsets, moved past every replicated record. */
  assigned: QueueTable;
  maxRecordBytes: number;
  syncFlush: boolean;
  /** Throws unless the store is open; checked when each append's turn comes. */
  assertOpen(): void;
  onWritten(endOffset: number, synced: boolean): void;
  /**
   * The log has no segment (new, or emptied by truncateTo(minOffset)) and the master's bytes
   * start at `offset`, segment-aligned, elsewhere than its end: move the log end, the dispatcher
   * and the flusher there before anything is written.
   */
  restartAt(offset: number): Promise<void>;
}

/**
 * The replica's write path: a master's bytes written at the same offsets, then dispatched like
 * local appends. Appends run one at a time, each starting where the previous one ended.
 */
export class ReplicaAppender {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ReplicaAppenderDeps) {}

  /** `bytes` must start exactly at the local end and hold whole, valid records; nothing is written otherwise. */
  append(fromOffset: number, bytes: Buffer): Promise<{ endOffset: number; records: number }> {
    const run = this.chain.then(() => this.appendNow(fromOffset, bytes));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Runs `task` in turn with appends (none runs meanwhile): truncateTo. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every append queued so far has finished (failed ones included). */
  whenIdle(): Promise<unknown> {
    return this.chain;
  }

  private async appendNow(fromOffset: number, bytes: Buffer): Promise<{ endOffset: number; records: number }> {
    const deps = this.deps;
    const log = deps.log;
    deps.assertOpen();
    assertSafeOffset(fromOffset, 'fromOffset');
    if (!deps.writer.idle) mismatch('local appends are in flight; a replica store takes replicated bytes only');
    // Parsed first, so refused bytes leave the log (an empty one included) where it was.
    const parsed = replicatedChunks(bytes, fromOffset, log.segmentSizeBytes, deps.maxRecordBytes);
    if (log.lastSegmentStart === undefined && fromOffset !== log.endOffset && fromOffset % log.segmentSizeBytes === 0) {
      await deps.restartAt(fromOffset); // an empty replica starts wherever the master's retained log starts
    }
    if (fromOffset !== log.endOffset) mismatch(`replicated bytes start at ${fromOffset}, local end is ${log.endOffset}`);
    for (const c of parsed.chunks) await log.write(c.logOffset, c.bytes, c.bytes.length);
    if (deps.syncFlush) await log.flush();
    log.advanceEnd(parsed.endOffset);
    for (const r of parsed.requests) {
      if (r.queueOffset + 1 > deps.assigned.get(r.topic, r.queueId)) deps.assigned.set(r.topic, r.queueId, r.queueOffset + 1);
    }
    deps.dispatcher.enqueue(parsed.requests, parsed.endOffset);
    deps.onWritten(parsed.endOffset, deps.syncFlush);
    return { endOffset: parsed.endOffset, records: parsed.requests.length };
  }
}

function mismatch(message: string): never {
  throw new StorageError(StorageErrorCode.REPLICA_OFFSET_MISMATCH, message);
}

/**
 * Checks a master's bytes before anything is written: whole records with good CRCs, each at the
 * offset it claims, no record crossing a segment end, end-of-segment markers that reach exactly the
 * segment end (the master sends only their 8 bytes; the offset then jumps to the next segment).
 */
function replicatedChunks(
  bytes: Buffer,
  fromOffset: number,
  segmentSizeBytes: number,
  maxRecordBytes: number,
): { chunks: ReplicatedChunk[]; requests: DispatchRequest[]; endOffset: number } {
  const chunks: ReplicatedChunk[] = [];
  const requests: DispatchRequest[] = [];
  let pos = fromOffset;
  let at = 0;
  let chunkAt = 0;
  let chunkPos = fromOffset;
  while (at < bytes.length) {
    const segEnd = pos - (pos % segmentSizeBytes) + segmentSizeBytes;
    const peek = peekRecord(bytes, at, bytes.length - at, maxRecordBytes);
    if (peek.kind === 'blank') {
      if (pos + peek.totalSize !== segEnd) mismatch(`end-of-segment marker at ${pos} does not reach ${segEnd}`);
      at += BLANK_BYTES;
      chunks.push({ logOffset: chunkPos, bytes: bytes.subarray(chunkAt, at) });
      pos = segEnd;
      chunkAt = at;
      chunkPos = pos;
      continue;
    }
    if (peek.kind !== 'record') mismatch(`replicated bytes at ${pos} are not a whole record (${peek.kind === 'corrupt' ? peek.reason : 'incomplete'})`);
    const misplaced = checkRecordAt(bytes, at, pos);
    if (misplaced !== undefined) mismatch(misplaced);
    if (pos + peek.totalSize + BLANK_BYTES > segEnd) mismatch(`record at ${pos} crosses the segment end ${segEnd}`);
    requests.push(requestFromRecord(bytes, at, pos, peek.totalSize));
    at += peek.totalSize;
    pos += peek.totalSize;
  }
  if (at > chunkAt) chunks.push({ logOffset: chunkPos, bytes: bytes.subarray(chunkAt, at) });
  return { chunks, requests, endOffset: pos };
}
