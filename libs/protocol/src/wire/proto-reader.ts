import { OrbitError } from '../error-table';

/** A minimal protobuf reader over [pos, end) of one buffer; every overrun is BAD_REQUEST. */
export class ProtoReader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
    readonly end = buf.length,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  private fail(what: string): never {
    throw new OrbitError('BAD_REQUEST', `malformed protobuf: ${what} at byte ${this.pos}`);
  }

  /** A varint as a number; exact below 2^53 (lengths, tags, int32, enums, small int64). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = this.buf[this.pos++] as number;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** int32: the low 32 bits, signed (negative int32 arrive as 10-byte varints). */
  int32(): number {
    const start = this.pos;
    const v = this.varint();
    if (v <= 0x7fff_ffff) return v;
    this.pos = start;
    return Number(BigInt.asIntN(32, this.uint64Big()));
  }

  /** int64 as a decimal string, as proto-loader's `longs: String` gives it. */
  int64String(): string {
    const start = this.pos;
    const v = this.varint();
    if (v <= Number.MAX_SAFE_INTEGER && this.pos - start < 8) return String(v);
    this.pos = start;
    return BigInt.asIntN(64, this.uint64Big()).toString();
  }

  private uint64Big(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = this.buf[this.pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** The end of a length-delimited field starting here (its length read). */
  delimitedEnd(): number {
    const len = this.varint();
    const end = this.pos + len;
    if (end > this.end) this.fail(`length ${len} past the end`);
    return end;
  }

  string(): string {
    const end = this.delimitedEnd();
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return s;
  }

  /** A view of the field's bytes (no copy), as protobufjs gives bytes fields. */
  bytes(): Buffer {
    const end = this.delimitedEnd();
    const b = this.buf.subarray(this.pos, end);
    this.pos = end;
    return b;
  }

  /** Skips a field of an unknown number. */
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.delimitedEnd();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        this.fail(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) this.fail('truncated fixed field');
  }
}
