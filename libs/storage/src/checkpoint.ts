import * as fs from 'node:fs';
import { crc32 } from 'node:zlib';
import { readU64, writeU64 } from './u64';

/*
 * Checkpoint file: the newest commit-log offset known to be on disk (after an fdatasync). Two
 * fixed slots written alternately, so a torn write of one leaves the other intact.
 *
 *   slot (32 bytes) at 0 and at 32:
 *   0        4        8                 16                24       28
 *   +--------+--------+-----------------+-----------------+--------+--------+
 *   | magic  | seq u32| flushedOffset   | writtenAtMs u64 | crc32  | zero   |
 *   | OCP1   |        | u64             |                 | 0..24  |        |
 *   +--------+--------+-----------------+-----------------+--------+--------+
 *
 * The slot with the larger seq and a good CRC wins.
 */
const MAGIC = 0x4f435031; // 'OCP1'
const SLOT_BYTES = 32;

export interface CheckpointState {
  flushedOffset: number;
  writtenAtMs: number;
}

export class Checkpoint {
  private seq = 0;
  private readonly slot = Buffer.alloc(SLOT_BYTES);

  private constructor(
    private readonly fd: number,
    readonly state: CheckpointState | undefined,
    seq: number,
  ) {
    this.seq = seq;
  }

  static async open(file: string): Promise<Checkpoint> {
    const fd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w+');
    const buf = Buffer.alloc(SLOT_BYTES * 2);
    fs.readSync(fd, buf, 0, buf.length, 0);
    let best: { seq: number; state: CheckpointState } | undefined;
    for (const at of [0, SLOT_BYTES]) {
      const parsed = parseSlot(buf, at);
      if (parsed && (!best || parsed.seq > best.seq)) best = parsed;
    }
    return new Checkpoint(fd, best?.state, best?.seq ?? 0);
  }

  /** Writes the next slot and syncs it. Callers serialize writes (the flush loop). */
  async write(flushedOffset: number, nowMs: number): Promise<void> {
    this.seq = (this.seq + 1) >>> 0;
    const s = this.slot;
    s.fill(0);
    s.writeUInt32BE(MAGIC, 0);
    s.writeUInt32BE(this.seq, 4);
    writeU64(s, flushedOffset, 8);
    writeU64(s, nowMs, 16);
    s.writeUInt32BE(crc32(s.subarray(0, 24)) >>> 0, 24);
    const at = (this.seq % 2) * SLOT_BYTES;
    await new Promise<void>((resolve, reject) =>
      fs.write(this.fd, s, 0, SLOT_BYTES, at, (err) => (err ? reject(err) : fs.fdatasync(this.fd, (e) => (e ? reject(e) : resolve())))),
    );
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

function parseSlot(buf: Buffer, at: number): { seq: number; state: CheckpointState } | undefined {
  if (buf.readUInt32BE(at) !== MAGIC) return undefined;
  if (crc32(buf.subarray(at, at + 24)) >>> 0 !== buf.readUInt32BE(at + 24)) return undefined;
  return { seq: buf.readUInt32BE(at + 4), state: { flushedOffset: readU64(buf, at + 8), writtenAtMs: readU64(buf, at + 16) } };
}
