import * as fs from 'node:fs';
import { StorageError, StorageErrorCode, assert } from './errors';
import { SEGMENT_NAME, Segment, fsyncDir } from './segment';

/**
 * The segment set of one commit log: which file holds which offset, positional writes and reads,
 * flush, truncation and deletion. It knows nothing of record contents; the writer, recovery and
 * retention decide what goes where.
 *
 * Offsets are global byte positions. Segment i covers [start_i, start_i + segmentSizeBytes), and
 * segments are contiguous: retention only ever removes the oldest one.
 */
export class CommitLog {
  private segments: Segment[] = [];
  /** Segment creation in progress; concurrent writers wait for it and look again. */
  private creating: Promise<void> | undefined;
  /** First byte past the last written record (set by recovery, advanced by the writer). */
  private end = 0;

  private constructor(
    readonly dir: string,
    readonly segmentSizeBytes: number,
  ) {}

  static async open(dir: string, segmentSizeBytes: number): Promise<CommitLog> {
    await fs.promises.mkdir(dir, { recursive: true });
    const log = new CommitLog(dir, segmentSizeBytes);
    const names = (await fs.promises.readdir(dir)).filter((n) => SEGMENT_NAME.test(n)).sort();
    let expected: number | undefined;
    for (const name of names) {
      const start = Number(name);
      if (!Number.isSafeInteger(start) || start % segmentSizeBytes !== 0) {
        throw new StorageError(
          StorageErrorCode.INVALID_CONFIG,
          `segment ${name} does not start at a multiple of segmentSizeBytes=${segmentSizeBytes} (was the segment size changed?)`,
        );
      }
      if (expected !== undefined && start !== expected) {
        throw new StorageError(StorageErrorCode.CORRUPT_RECORD, `commit log has a gap: expected segment ${expected}, found ${name}`);
      }
      const seg = await Segment.open(dir, start, false);
      if ((await seg.size()) > segmentSizeBytes) {
        await seg.close();
        throw new StorageError(StorageErrorCode.INVALID_CONFIG, `segment ${name} is larger than segmentSizeBytes=${segmentSizeBytes}`);
      }
      log.segments.push(seg);
      expected = start + segmentSizeBytes;
    }
    const first = log.segments[0];
    log.end = first ? first.startOffset : 0;
    return log;
  }

  /** Oldest retained offset (start of the oldest segment), or the end when the log is empty. */
  get minOffset(): number {
    const first = this.segments[0];
    return first ? first.startOffset : this.end;
  }

  get endOffset(): number {
    return this.end;
  }

  /** Start offsets of the segments, oldest first. */
  get segmentStarts(): number[] {
    return this.segments.map((s) => s.startOffset);
  }

  get lastSegmentStart(): number | undefined {
    return this.segments[this.segments.length - 1]?.startOffset;
  }

  segmentStartOf(offset: number): number {
    return offset - (offset % this.segmentSizeBytes);
  }

  /** Set by recovery once the valid end is known; the writer moves it forward afterwards. */
  setEnd(offset: number): void {
    assert(offset >= this.minOffset || this.segments.length === 0, `end ${offset} below min ${this.minOffset}`);
    this.end = offset;
  }

  advanceEnd(offset: number): void {
    assert(offset >= this.end, `end moves backwards ${this.end} -> ${offset}`);
    this.end = offset;
  }

  /** Where the next segment would start, given an empty log starting at `emptyStart`. */
  private segmentAt(offset: number): Segment | undefined {
    const first = this.segments[0];
    if (!first) return undefined;
    const i = Math.floor((offset - first.startOffset) / this.segmentSizeBytes);
    return i >= 0 ? this.segments[i] : undefined;
  }

  /**
   * Returns the segment holding `offset`, creating it (and fsyncing the directory) when new.
   * Pipelined writes can ask for segment N+1 before an earlier write has asked for N, so creation
   * is serialized and creates every missing segment up to the one asked for, in order.
   */
  async segmentForWrite(offset: number): Promise<Segment> {
    for (;;) {
      const existing = this.segmentAt(offset);
      if (existing) return existing;
      if (!this.creating) {
        this.creating = this.createThrough(this.segmentStartOf(offset)).finally(() => (this.creating = undefined));
      }
      await this.creating;
    }
  }

  private async createThrough(start: number): Promise<void> {
    for (;;) {
      const last = this.segments[this.segments.length - 1];
      const next = last ? last.startOffset + this.segmentSizeBytes : start;
      if (next > start) return;
      const seg = await Segment.open(this.dir, next, true);
      this.segments.push(seg);
      await fsyncDir(this.dir);
      this.onSegmentCreated?.(next);
    }
  }

  /** Set by the store to report rollovers. */
  onSegmentCreated: ((startOffset: number) => void) | undefined;

  /** Writes bytes that lie entirely inside one segment. */
  async write(offset: number, buf: Buffer, length: number): Promise<Segment> {
    const seg = await this.segmentForWrite(offset);
    assert(offset + length <= seg.startOffset + this.segmentSizeBytes, `write crosses segment end at ${offset}+${length}`);
    await seg.write(buf, length, offset - seg.startOffset);
    return seg;
  }

  /**
   * Reads [offset, offset+size) from one segment. The caller checks bounds against what is
   * written and retained; this only refuses reads it cannot serve. `allocate` supplies the
   * buffer (a caller that reuses buffers); by default a new one.
   */
  async read(offset: number, size: number, allocate: (bytes: number) => Buffer = Buffer.allocUnsafe): Promise<Buffer> {
    const buf = allocate(size);
    const n = await this.readInto(buf, offset, size);
    if (n < size) {
      throw new StorageError(StorageErrorCode.OFFSET_OVERFLOW, `read past end of data at ${offset}+${size} (got ${n} bytes)`);
    }
    return buf;
  }

  /** Reads up to `size` bytes at `offset` (clipped to the segment), returns how many were read. */
  async readInto(buf: Buffer, offset: number, size: number): Promise<number> {
    if (offset < this.minOffset) {
      throw new StorageError(StorageErrorCode.OFFSET_TOO_SMALL, `offset ${offset} is below the oldest retained offset ${this.minOffset}`);
    }
    const seg = this.segmentAt(offset);
    if (!seg) throw new StorageError(StorageErrorCode.OFFSET_OVERFLOW, `offset ${offset} is past the last segment`);
    const inSeg = Math.min(size, seg.startOffset + this.segmentSizeBytes - offset);
    return seg.read(buf, 0, inSeg, offset - seg.startOffset);
  }

  /** fdatasync every segment written since the last flush (normally just the active one). */
  async flush(): Promise<void> {
    for (const seg of this.segments) if (seg.dirty) await seg.datasync();
  }

  /** Cuts the log at `endOffset`: truncates its segment and deletes every later segment. */
  async truncate(endOffset: number): Promise<{ removedSegments: number[] }> {
    const removed: number[] = [];
    while (this.segments.length > 0) {
      const last = this.segments[this.segments.length - 1] as Segment;
      if (last.startOffset < endOffset || (last.startOffset === endOffset && this.segments.length === 1)) break;
      this.segments.pop();
      removed.push(last.startOffset);
      await last.destroy();
    }
    const seg = this.segmentAt(endOffset);
    if (seg) await seg.truncate(endOffset - seg.startOffset);
    if (removed.length > 0) await fsyncDir(this.dir);
    this.end = endOffset;
    return { removedSegments: removed };
  }

  /**
   * Deletes every segment: the log is empty and starts (and ends) at `offset`. truncateTo(minOffset)
   * on a replica, whose next replicated bytes may then start at any segment-aligned offset.
   */
  async removeAll(offset: number): Promise<number[]> {
    const removed = this.segments.map((s) => s.startOffset);
    for (const seg of this.segments.splice(0)) await seg.destroy();
    if (removed.length > 0) await fsyncDir(this.dir);
    this.end = offset;
    return removed;
  }

  /**
   * One past the last byte on disk of the segment starting at `startOffset` (start + file size), or
   * undefined when there is no such segment. A full segment ends with its end-of-segment marker.
   */
  async segmentDataEnd(startOffset: number): Promise<number | undefined> {
    const seg = this.segmentAt(startOffset);
    return seg && seg.startOffset === startOffset ? startOffset + (await seg.size()) : undefined;
  }

  /** Segments other than the active one, oldest first, with their last-modified time. */
  async inactiveSegments(): Promise<{ startOffset: number; mtimeMs: number; sizeBytes: number }[]> {
    const out = [];
    for (const seg of this.segments.slice(0, -1)) out.push({ startOffset: seg.startOffset, mtimeMs: await seg.mtimeMs(), sizeBytes: await seg.size() });
    return out;
  }

  /** Deletes the oldest segment; refuses the active (last) one. */
  async deleteOldest(): Promise<number> {
    assert(this.segments.length > 1, 'never delete the active segment');
    const seg = this.segments.shift() as Segment;
    await seg.destroy();
    await fsyncDir(this.dir);
    return seg.startOffset;
  }

  async lastSegmentSizeBytes(): Promise<number> {
    const last = this.segments[this.segments.length - 1];
    return last ? last.size() : 0;
  }

  async totalBytes(): Promise<number> {
    let sum = 0;
    for (const seg of this.segments) sum += await seg.size();
    return sum;
  }

  async close(): Promise<void> {
    for (const seg of this.segments) await seg.close();
    this.segments = [];
  }
}
