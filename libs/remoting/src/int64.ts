// i64 fields as JavaScript numbers: OrbitMQ keeps offsets and timestamps as safe integers, and
// writing two i32 halves avoids a BigInt per field on the hot path.
import { RemotingProtocolError, type RemotingProtocolErrorCode } from './errors';

const TWO_POW_32 = 0x1_0000_0000;

/** Writes a safe integer as a big-endian i64; returns the offset after it. */
export function writeInt64(buf: Buffer, value: number, offset: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`);
  const high = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(high, offset);
  buf.writeUInt32BE(value - high * TWO_POW_32, offset + 4);
  return offset + 8;
}

/** Reads a big-endian i64 that must be a safe integer. */
export function readInt64(buf: Buffer, offset: number, code: RemotingProtocolErrorCode, what: string): number {
  const value = buf.readInt32BE(offset) * TWO_POW_32 + buf.readUInt32BE(offset + 4);
  if (!Number.isSafeInteger(value)) throw new RemotingProtocolError(code, `${what} ${buf.readBigInt64BE(offset)} is beyond 2^53`);
  return value;
}
