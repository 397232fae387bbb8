// Remoting frames on a TCP stream, and the streaming splitter that cuts them out of socket chunks.
//
//   0          4                      8                 8+h
//   +----------+----------+-----------+-----------------+-----------------+
//   | length   | type     | headerLen | header (h bytes)| body            |
//   | i32      | u8       | u24       | JSON or binary  | length - 4 - h  |
//   +----------+----------+-----------+-----------------+-----------------+
//   length = 4 + h + bodyLen (it does not count itself); type 0 = JSON, 1 = ROCKETMQ.
//
// ali-ons writes the second int as a plain header length, i.e. type byte 0 = JSON: reading the
// type as the top byte and the length as the low 24 bits handles it without special cases.
import { SerializeTypeCode } from './codes';
import type { RemotingCommand, SerializeTypeName } from './command';
import { RemotingProtocolError } from './errors';
import { decodeBinaryHeader, decodeJsonHeader, jsonHeaderText, measureBinaryHeader, writeBinaryHeader } from './header-codec';

/** RocketMQ's com.rocketmq.remoting.frameMaxLength default (16 MiB), counting the length field like Netty does. */
export const DEFAULT_MAX_FRAME_BYTES = 16_777_216;
const MAX_HEADER_BYTES = 0xffffff;

function badFrame(message: string): RemotingProtocolError {
  return new RemotingProtocolError('REMOTING_BAD_FRAME', message);
}

/** The whole frame (length field included) in one allocation. */
export function encodeCommand(cmd: RemotingCommand): Buffer {
  const head = encodeFrameHead(cmd);
  return cmd.body && cmd.body.length > 0 ? Buffer.concat([head, cmd.body]) : head;
}

/**
 * The frame up to its body (length field, type and header length, header): a connection writes
 * it and then the body as it is, so a large body (a batch send, a pull response of 4 MiB) is
 * neither copied nor allocated twice.
 */
export function encodeFrameHead(cmd: RemotingCommand): Buffer {
  const bodyBytes = cmd.body ? cmd.body.length : 0;
  let buf: Buffer;
  let headerBytes: number;
  if (cmd.serializeType === 'ROCKETMQ') {
    headerBytes = measureBinaryHeader(cmd);
    buf = Buffer.allocUnsafe(8 + headerBytes);
    writeBinaryHeader(buf, 8, cmd);
  } else {
    const text = jsonHeaderText(cmd);
    headerBytes = Buffer.byteLength(text, 'utf8');
    buf = Buffer.allocUnsafe(8 + headerBytes);
    buf.write(text, 8, 'utf8');
  }
  if (headerBytes > MAX_HEADER_BYTES) throw badFrame(`header of ${headerBytes} bytes exceeds the 24-bit header length`);
  if (4 + headerBytes + bodyBytes > 0x7fffffff) throw badFrame('frame exceeds the i32 length field');
  buf.writeInt32BE(4 + headerBytes + bodyBytes, 0);
  buf.writeUInt32BE(((SerializeTypeCode[cmd.serializeType === 'ROCKETMQ' ? 'ROCKETMQ' : 'JSON'] << 24) | headerBytes) >>> 0, 4);
  return buf;
}

/**
 * Decodes one frame without its length field: `type|headerLen | header | body`. The body is a view
 * of `frame`, not a copy.
 */
export function decodeFrame(frame: Buffer): RemotingCommand {
  if (frame.length < 4) throw badFrame(`frame of ${frame.length} bytes has no header length`);
  const mark = frame.readUInt32BE(0);
  const typeCode = mark >>> 24;
  const headerBytes = mark & MAX_HEADER_BYTES;
  let serializeType: SerializeTypeName;
  if (typeCode === SerializeTypeCode.JSON) serializeType = 'JSON';
  else if (typeCode === SerializeTypeCode.ROCKETMQ) serializeType = 'ROCKETMQ';
  else throw new RemotingProtocolError('REMOTING_BAD_SERIALIZE_TYPE', `unknown serialize type ${typeCode}`);
  if (4 + headerBytes > frame.length) throw badFrame(`header length ${headerBytes} exceeds the frame (${frame.length - 4} bytes after it)`);
  const header = frame.subarray(4, 4 + headerBytes);
  const fields = serializeType === 'JSON' ? decodeJsonHeader(header) : decodeBinaryHeader(header);
  const cmd: RemotingCommand = { ...fields, serializeType };
  if (frame.length > 4 + headerBytes) cmd.body = frame.subarray(4 + headerBytes);
  return cmd;
}

export interface FrameDecoderOptions {
  /** Largest frame accepted, counting its 4-byte length field (Netty's maxFrameLength). */
  maxFrameBytes?: number;
}

/**
 * Cuts frames out of a byte stream. Chunks are kept as a list and each byte is copied at most once
 * (frames inside one chunk are views of it), so many small reads cost linear time. The length is
 * checked before any of the frame is buffered. After an error the decoder refuses further input.
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  private chunks: Buffer[] = [];
  /** Read position inside chunks[0]. */
  private headOffset = 0;
  private bufferedBytes = 0;
  /** Length field of the frame being collected, or -1 while reading a length field. */
  private frameBytes = -1;
  private failed: RemotingProtocolError | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Bytes held for an incomplete frame. */
  get pendingBytes(): number {
    return this.bufferedBytes;
  }

  /** Adds a chunk and returns the commands it completes, in order. Throws RemotingProtocolError on a bad frame. */
  push(chunk: Buffer): RemotingCommand[] {
    if (this.failed) throw this.failed;
    const out: RemotingCommand[] = [];
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
    }
    try {
      for (;;) {
        if (this.frameBytes < 0) {
          if (this.bufferedBytes < 4) break;
          this.frameBytes = this.checkLength(this.take(4).readInt32BE(0));
        }
        if (this.bufferedBytes < this.frameBytes) break;
        const frame = this.take(this.frameBytes);
        this.frameBytes = -1;
        out.push(decodeFrame(frame));
      }
    } catch (e) {
      this.failed = e instanceof RemotingProtocolError ? e : badFrame(String(e));
      this.chunks = [];
      this.bufferedBytes = 0;
      throw this.failed;
    }
    return out;
  }

  private checkLength(length: number): number {
    if (length < 4) throw badFrame(`frame length ${length} is below the 4-byte header length field`);
    if (length + 4 > this.maxFrameBytes) {
      throw new RemotingProtocolError('REMOTING_FRAME_TOO_LARGE', `frame of ${length + 4} bytes exceeds the limit of ${this.maxFrameBytes}`);
    }
    return length;
  }

  /** Removes `bytes` buffered bytes: a view when they sit in one chunk, else one copy. */
  private take(bytes: number): Buffer {
    const head = this.chunks[0] as Buffer;
    this.bufferedBytes -= bytes;
    if (head.length - this.headOffset >= bytes) {
      const view = head.subarray(this.headOffset, this.headOffset + bytes);
      this.headOffset += bytes;
      if (this.headOffset === head.length) this.dropHead(1);
      return view;
    }
    const out = Buffer.allocUnsafe(bytes);
    let written = 0;
    let used = 0;
    while (written < bytes) {
      const chunk = this.chunks[used] as Buffer;
      const n = Math.min(chunk.length - this.headOffset, bytes - written);
      chunk.copy(out, written, this.headOffset, this.headOffset + n);
      written += n;
      this.headOffset += n;
      if (this.headOffset === chunk.length) {
        used++;
        this.headOffset = 0;
      }
    }
    this.chunks.splice(0, used);
    return out;
  }

  private dropHead(count: number): void {
    this.chunks.splice(0, count);
    this.headOffset = 0;
  }
}
