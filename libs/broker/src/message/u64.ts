/**
 * u64 in `number` (offsets stay below 2^53), for the broker's own binary keys and handles. The
 * broker may not import storage, which has the same helpers for its formats.
 */
const TWO_32 = 0x1_0000_0000;

export function writeU64(buf: Buffer, value: number, at: number): void {
  const hi = Math.floor(value / TWO_32);
  buf.writeUInt32BE(hi, at);
  buf.writeUInt32BE(value - hi * TWO_32, at + 4);
}

export function readU64(buf: Buffer, at: number): number {
  return buf.readUInt32BE(at) * TWO_32 + buf.readUInt32BE(at + 4);
}
