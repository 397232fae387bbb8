import type { CommitLog } from './commit-log';
import { StorageError, StorageErrorCode } from './errors';
import { checkRecordAt, peekRecord } from './record-codec';

/** Why a scan stopped: clean end of data, a torn tail, or bytes that are not a valid record. */
interface ScanResult {
  /** First offset after the last valid record or blank (where the log should end). */
  endOffset: number;
  stop: 'end' | 'limit' | 'torn' | 'corrupt';
  detail?: string;
  records: number;
}

/** Called for each valid record; `buf.subarray(at, at + size)` is the record's bytes. */
type RecordVisitor = (buf: Buffer, at: number, logOffset: number, size: number) => void;

const SCAN_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Walks the log from `fromOffset` (a record boundary) record by record, verifying magic, size,
 * CRC and that each record's stored physical offset equals where it was found. Stops at the end
 * of data, at `limitOffset`, or at the first byte that is not a valid record.
 */
export async function scanLog(
  log: CommitLog,
  fromOffset: number,
  maxRecordBytes: number,
  visit: RecordVisitor,
  limitOffset = Number.MAX_SAFE_INTEGER,
): Promise<ScanResult> {
  const buf = Buffer.allocUnsafe(Math.max(SCAN_CHUNK_BYTES, maxRecordBytes * 2));
  const segSize = log.segmentSizeBytes;
  let pos = fromOffset;
  let records = 0;
  for (;;) {
    if (pos >= limitOffset) return { endOffset: pos, stop: 'limit', records };
    const segEnd = log.segmentStartOf(pos) + segSize;
    const want = Math.min(buf.length, segEnd - pos);
    let n: number;
    try {
      n = await log.readInto(buf, pos, want);
    } catch (err) {
      if (err instanceof StorageError && err.code === StorageErrorCode.OFFSET_OVERFLOW) return { endOffset: pos, stop: 'end', records };
      throw err;
    }
    if (n === 0) return { endOffset: pos, stop: 'end', records };
    const dataEnded = n < want;
    let at = 0;
    let nextPos: number | undefined;
    while (at < n && pos + at < limitOffset) {
      const peek = peekRecord(buf, at, n - at, maxRecordBytes);
      if (peek.kind === 'record') {
        const misplaced = checkRecordAt(buf, at, pos + at);
        if (misplaced !== undefined) return { endOffset: pos + at, stop: 'corrupt', detail: misplaced, records };
        visit(buf, at, pos + at, peek.totalSize);
        records++;
        at += peek.totalSize;
      } else if (peek.kind === 'blank') {
        if (pos + at + peek.totalSize !== segEnd) {
          return { endOffset: pos + at, stop: 'corrupt', detail: `end-of-segment marker at ${pos + at} does not reach ${segEnd}`, records };
        }
        nextPos = segEnd;
        break;
      } else if (peek.kind === 'incomplete') {
        if (pos + at + peek.needBytes > segEnd) {
          return { endOffset: pos + at, stop: 'corrupt', detail: `record at ${pos + at} would cross the segment end`, records };
        }
        if (dataEnded) return { endOffset: pos + at, stop: 'torn', detail: `${n - at} trailing bytes do not form a record`, records };
        break; // record continues past this chunk: re-read from its start
      } else {
        return { endOffset: pos + at, stop: 'corrupt', detail: peek.reason, records };
      }
    }
    if (nextPos !== undefined) pos = nextPos;
    else if (at === 0) return { endOffset: pos, stop: 'torn', detail: 'record larger than the scan buffer', records };
    else pos += at;
  }
}
