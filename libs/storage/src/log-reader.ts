import type { CommitLog } from './commit-log';
import { StorageError, StorageErrorCode, assertSafeOffset } from './errors';
import { Limits } from './limits';
import { BLANK_BYTES, type StoredRecord, checkRecordAt, decodeRecord, peekRecord } from './record-codec';

/** Where a record sits in the log, as consume queues and indexes point at it. */
interface RecordLocation {
  logOffset: number;
  size: number;
}

/** Locations one read serves: [startOffset, endOffset) of the log, inside one segment. */
interface ReadRun {
  startOffset: number;
  endOffset: number;
  segmentEndOffset: number;
  /** Positions in the caller's list, so answers come back in the order asked. */
  members: { location: RecordLocation; index: number }[];
}

/**
 * Reads from the commit log for callers outside the store: records verified one by one (CRC,
 * size, position), neighbouring records coalesced into one read, and raw runs of whole records for
 * replicas. Bounds are checked against what is written and retained; the store checks it is open.
 */
/** Where a read's buffers come from: a caller that reuses buffers (a pool) supplies them. */
export interface ReadBufferOptions {
  allocate?: (bytes: number) => Buffer;
}

export class LogReader {
  constructor(
    private readonly log: CommitLog,
    private readonly maxRecordBytes: number,
  ) {}

  async readRecord(logOffset: number, size: number): Promise<StoredRecord> {
    this.checkReadable({ logOffset, size });
    return this.verifiedRecord(await this.log.read(logOffset, size), 0, logOffset, size);
  }

  /**
   * The record starting at `logOffset`, its size read from its first 4 bytes (RocketMQ 4.x
   * addresses messages by log offset alone: offsetMsgId, CONSUMER_SEND_MSG_BACK). A wrong offset
   * fails the record's checks (size, magic, CRC, position) like any bad read.
   */
  async readRecordAt(logOffset: number): Promise<StoredRecord> {
    this.checkReadable({ logOffset, size: 4 });
    const size = (await this.log.read(logOffset, 4)).readUInt32BE(0);
    if (size < 4 || size > this.maxRecordBytes) {
      throw new StorageError(StorageErrorCode.CORRUPT_RECORD, `no record starts at offset ${logOffset} (size field ${size})`);
    }
    return this.readRecord(logOffset, size);
  }

  /**
   * Several records, in the order asked. Locations close together in the log (a queue's entries
   * usually are) share one read, up to Limits.maxRangedReadBytes; records are views into it.
   * With `allocate` the caller supplies those buffers (and must not reuse one while a record
   * from it is still in use).
   */
  async readRecords(locations: readonly RecordLocation[], allocate?: (bytes: number) => Buffer): Promise<StoredRecord[]> {
    const out = new Array<StoredRecord>(locations.length);
    for (const run of this.readRuns(locations)) {
      const buf = await this.log.read(run.startOffset, run.endOffset - run.startOffset, allocate);
      for (const { location, index } of run.members) {
        out[index] = this.verifiedRecord(buf, location.logOffset - run.startOffset, location.logOffset, location.size);
      }
    }
    return out;
  }

  /**
   * Groups locations, in log order, into runs one read can serve. Lazy: each run is read and
   * verified before the next is planned, so the first bad location in log order is the one reported.
   */
  private *readRuns(locations: readonly RecordLocation[]): Generator<ReadRun> {
    const sorted = locations.map((location, index) => ({ location, index })).sort((a, b) => a.location.logOffset - b.location.logOffset);
    let run: ReadRun | undefined;
    for (const member of sorted) {
      const { logOffset, size } = member.location;
      if (run && !fitsRun(run, logOffset, size)) {
        yield run;
        run = undefined;
      }
      this.checkReadable(member.location);
      if (run) {
        run.endOffset = Math.max(run.endOffset, logOffset + size);
        run.members.push(member);
      } else {
        const segmentEndOffset = this.log.segmentStartOf(logOffset) + this.log.segmentSizeBytes;
        run = { startOffset: logOffset, endOffset: logOffset + size, segmentEndOffset, members: [member] };
      }
    }
    if (run) yield run;
  }

  private checkReadable({ logOffset, size }: RecordLocation): void {
    assertSafeOffset(logOffset, 'logOffset');
    if (logOffset < this.log.minOffset) {
      throw new StorageError(StorageErrorCode.OFFSET_TOO_SMALL, `log offset ${logOffset} is below the oldest retained offset ${this.log.minOffset}`);
    }
    if (logOffset + size > this.log.endOffset) {
      throw new StorageError(StorageErrorCode.OFFSET_OVERFLOW, `log offset ${logOffset}+${size} is past the end ${this.log.endOffset}`);
    }
  }

  private verifiedRecord(buf: Buffer, at: number, logOffset: number, size: number): StoredRecord {
    const peek = peekRecord(buf, at, size, this.maxRecordBytes);
    if (peek.kind !== 'record' || peek.totalSize !== size || checkRecordAt(buf, at, logOffset) !== undefined) {
      const reason = peek.kind === 'corrupt' ? peek.reason : peek.kind;
      throw new StorageError(StorageErrorCode.CORRUPT_RECORD, `record at ${logOffset} (size ${size}) fails verification: ${reason}`);
    }
    return decodeRecord(buf, at, peek.bodyCrc32);
  }

  /**
   * Whole records (and end-of-segment markers) from `fromOffset`, within one segment, about
   * `maxBytes` long (at least one record). For replication and filter servers.
   */
  async readRaw(fromOffset: number, maxBytes: number): Promise<{ bytes: Buffer; nextOffset: number }> {
    assertSafeOffset(fromOffset, 'fromOffset');
    const end = this.log.endOffset;
    if (fromOffset < this.log.minOffset) {
      throw new StorageError(StorageErrorCode.OFFSET_TOO_SMALL, `offset ${fromOffset} is below the oldest retained offset ${this.log.minOffset}`);
    }
    if (fromOffset > end) throw new StorageError(StorageErrorCode.OFFSET_OVERFLOW, `offset ${fromOffset} is past the end ${end}`);
    const segEnd = this.log.segmentStartOf(fromOffset) + this.log.segmentSizeBytes;
    const want = Math.min(Math.max(maxBytes, this.maxRecordBytes), segEnd - fromOffset, end - fromOffset);
    if (want === 0) return { bytes: Buffer.alloc(0), nextOffset: fromOffset };
    const buf = Buffer.allocUnsafe(want);
    const n = await this.log.readInto(buf, fromOffset, want);
    let at = 0;
    let next = fromOffset;
    while (at < n) {
      const peek = peekRecord(buf, at, n - at, this.maxRecordBytes);
      if (peek.kind === 'blank') {
        at += BLANK_BYTES;
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
}

/** Whether a record joins `run`: a small gap before it, a bounded read, the same segment. */
function fitsRun(run: ReadRun, logOffset: number, size: number): boolean {
  const endOffset = Math.max(run.endOffset, logOffset + size);
  return (
    logOffset - run.endOffset <= Limits.maxRangedReadGapBytes && endOffset - run.startOffset <= Limits.maxRangedReadBytes && endOffset <= run.segmentEndOffset
  );
}
