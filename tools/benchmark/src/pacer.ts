/**
 * Paces sends to a fixed rate: take(n) resolves when n more messages fit under `ratePerSec`
 * since the start. Rate 0 means unpaced. Shared by all send loops of a run, so the rate is
 * global, not per loop. No timer per message: one sleep per call, until its slot.
 */
export class Pacer {
  private nextSlotMs: number;

  constructor(
    private readonly ratePerSec: number,
    startMs = performance.now(),
  ) {
    this.nextSlotMs = startMs;
  }

  async take(n: number): Promise<void> {
    if (this.ratePerSec <= 0) return;
    const slot = this.nextSlotMs;
    this.nextSlotMs += (n * 1000) / this.ratePerSec;
    const waitMs = slot - performance.now();
    if (waitMs >= 1) await new Promise((r) => setTimeout(r, waitMs));
  }
}

/** Wall-clock ms with sub-ms precision; comparable between processes on one machine. */
export function nowPreciseMs(): number {
  return performance.timeOrigin + performance.now();
}

/*
 * Benchmark body stamp, so a consumer can tell end-to-end latency from the body alone:
 *
 *   0        8          12
 *   +--------+----------+---------------- ... size
 *   | sentMs | 'OBMK'   | filler (0x61)
 *   | f64 LE | magic    |
 *   +--------+----------+---------------- ...
 */
const STAMP_MAGIC = 0x4b4d424f; // 'OBMK' little-endian
const STAMP_BYTES = 12;

/** A body of `size` bytes; stamped with the send time when it has room. */
export function stampedBody(size: number, sentMs: number): Buffer {
  const body = Buffer.alloc(size, 0x61);
  if (size >= STAMP_BYTES) {
    body.writeDoubleLE(sentMs, 0);
    body.writeUInt32LE(STAMP_MAGIC, 8);
  }
  return body;
}

/** The send time stamped in a body, or undefined for a body the tool did not stamp. */
export function sentMsOf(body: Buffer): number | undefined {
  if (body.length < STAMP_BYTES || body.readUInt32LE(8) !== STAMP_MAGIC) return undefined;
  return body.readDoubleLE(0);
}
