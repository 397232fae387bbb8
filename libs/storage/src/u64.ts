/**
 * u64 helpers that stay in `number` (no BigInt allocation on hot paths). Offsets must be safe
 * integers (< 2^53 = 8 PiB of commit log written over the store's life; at a sustained 250 MB/s
 * that is about 13 months). readU64 refuses larger values instead of silently rounding.
 */
const TWO_32 = 0x1_0000_0000;

export function writeU64(buf: Buffer, value: number, offset: number): void {
  const hi = Math.floor(value / TWO_32);
  buf.writeUInt32BE(hi, offset);
  buf.writeUInt32BE(value - hi * TWO_32, offset + 4);
}

export function readU64(buf: Buffer, offset: number): number {
  const hi = buf.readUInt32BE(offset);
  const lo = buf.readUInt32BE(offset + 4);
  const value = hi * TWO_32 + lo;
  if (!Number.isSafeInteger(value)) throw new RangeError(`u64 at ${offset} exceeds 2^53`);
  return value;
}
