// The offset message id (MessageDecoder.createMessageId / decodeMessageId): upper-case hex of
//
//   +----------------------+-----------+---------------------------+
//   | store host IP        | port      | commit-log offset         |
//   | 4 bytes (IPv6: 16)   | i32       | i64                       |
//   +----------------------+-----------+---------------------------+
//   = 32 hex chars for IPv4, 56 for IPv6. END_TRANSACTION and VIEW_MESSAGE_BY_ID address records by it.
import { RemotingProtocolError } from './errors';
import { formatIp, parseIp } from './ip';

export interface OffsetMessageId {
  host: string;
  port: number;
  commitLogOffset: bigint;
}

function badId(message: string): RemotingProtocolError {
  return new RemotingProtocolError('REMOTING_BAD_MESSAGE_ID', message);
}

/** `host` is an IP literal (or pre-parsed IP bytes); the store host must be an address, not a name. */
export function createOffsetMsgId(host: string | Buffer, port: number, commitLogOffset: bigint | number): string {
  const ip = typeof host === 'string' ? parseIp(host) : host;
  if (ip.length !== 4 && ip.length !== 16) throw badId(`store host has ${ip.length} address bytes`);
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw badId(`port ${port} is out of range`);
  if (typeof commitLogOffset === 'number' && !Number.isSafeInteger(commitLogOffset)) throw badId(`offset ${commitLogOffset} is not a safe integer`);
  const buf = Buffer.allocUnsafe(ip.length + 12);
  ip.copy(buf, 0);
  buf.writeInt32BE(port, ip.length);
  buf.writeBigInt64BE(BigInt(commitLogOffset), ip.length + 4);
  return buf.toString('hex').toUpperCase();
}

/**
 * createOffsetMsgId for the offsets of one store host, as a function: the host part is encoded
 * once and each id is two hex words of a number (a send answers one id per message; a BigInt and
 * a buffer per id were 3 % of the broker's main thread in W1). Offsets must be safe integers.
 */
export function offsetMsgIdFormatter(host: string | Buffer, port: number): (commitLogOffset: number) => string {
  const prefix = createOffsetMsgId(host, port, 0).slice(0, -16);
  return (offset) => {
    if (!Number.isSafeInteger(offset) || offset < 0) throw badId(`offset ${offset} is not a safe non-negative integer`);
    const hi = Math.floor(offset / 0x1_0000_0000);
    return prefix + hex8(hi) + hex8(offset - hi * 0x1_0000_0000);
  };
}

function hex8(n: number): string {
  return n.toString(16).toUpperCase().padStart(8, '0');
}

export function decodeOffsetMsgId(msgId: string): OffsetMessageId {
  if ((msgId.length !== 32 && msgId.length !== 56) || !/^[0-9A-Fa-f]+$/.test(msgId)) {
    throw badId(`${JSON.stringify(msgId.slice(0, 64))} is not a 32 or 56 hex-digit offset message id`);
  }
  const buf = Buffer.from(msgId, 'hex');
  const ipBytes = buf.length - 12;
  const port = buf.readInt32BE(ipBytes);
  if (port < 0 || port > 0xffff) throw badId(`${msgId} holds port ${port}`);
  return { host: formatIp(buf.subarray(0, ipBytes)), port, commitLogOffset: buf.readBigInt64BE(ipBytes + 4) };
}
