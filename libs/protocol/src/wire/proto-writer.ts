/**
 * A minimal protobuf writer for the hot messages. One growing buffer, fields written in the order
 * called; a nested message reserves one length byte and shifts its bytes only when it turns out to
 * be 128 bytes or longer (one memmove), so nothing is sized twice and nothing is built as objects.
 */
export const WIRE_VARINT = 0;
export const WIRE_LENGTH_DELIMITED = 2;

export class ProtoWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialBytes = 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** A non-negative integer below 2^53. */
  varint(v: number): void {
    this.ensure(10);
    this.pos = writeVarintAt(this.buf, this.pos, v);
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** int32/enum: negative values take ten bytes, as protobuf sign-extends them. */
  int32Field(field: number, v: number): void {
    this.tag(field, WIRE_VARINT);
    if (v >= 0) this.varint(v);
    else this.uint64Big(BigInt.asUintN(64, BigInt(v)));
  }

  /** int64 given as a number or a decimal string (as proto-loader hands them out). */
  int64Field(field: number, v: number | string): void {
    this.tag(field, WIRE_VARINT);
    const n = typeof v === 'number' ? v : Number(v);
    if (Number.isSafeInteger(n) && n >= 0) this.varint(n);
    else this.uint64Big(BigInt.asUintN(64, BigInt(v)));
  }

  private uint64Big(v: bigint): void {
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  stringField(field: number, s: string): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    const len = Buffer.byteLength(s);
    this.varint(len);
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, len, 'utf8');
  }

  bytesField(field: number, b: Uint8Array): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Starts a nested message; pass the result to end(). */
  begin(field: number): number {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.ensure(1);
    return this.pos++;
  }

  end(lengthAt: number): void {
    const len = this.pos - lengthAt - 1;
    if (len < 0x80) {
      this.buf[lengthAt] = len;
      return;
    }
    const extra = varintSize(len) - 1;
    this.ensure(extra);
    this.buf.copyWithin(lengthAt + 1 + extra, lengthAt + 1, this.pos);
    writeVarintAt(this.buf, lengthAt, len);
    this.pos += extra;
  }

  /** The bytes written (a view of the writer's buffer; the writer is not used after this). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** Writes v (below 2^53) as a varint at `at`; returns the position after it. */
function writeVarintAt(buf: Buffer, at: number, v: number): number {
  while (v >= 0x80) {
    buf[at++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[at++] = v;
  return at;
}

function varintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}
