import * as zlib from 'node:zlib';
import { TypedEvents } from '@orbitmq/events';
import type { EpochEntry, FollowerStore, LeaderStore, StateOp, StoreFlushed, StoreStateChanged, StoreWritten } from '../src';

interface FakeEventMap {
  written: StoreWritten;
  stateChanged: StoreStateChanged;
  flushed: StoreFlushed;
}

interface FakeRecord {
  offset: number;
  bytes: Buffer;
}

export const FAKE_SEGMENT_BYTES = 1024 * 1024;

/** A payload as a fake record: u32 length prefix + payload. The lib never parses it; the fake does. */
export function fakeRecord(payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

/**
 * An in-memory store implementing both replication ports: a log of length-prefixed records,
 * epochs, a key-value state and local meta. Its SYNC_FLUSH mode fsyncs in appendReplicated
 * (flushed = end); crash() drops what is not flushed.
 */
export class FakeStore implements LeaderStore, FollowerStore {
  readonly events = new TypedEvents<FakeEventMap>();
  readonly state = new Map<string, Buffer>();
  readonly meta = new Map<string, Buffer>();
  readonly records: FakeRecord[] = [];
  epochList: EpochEntry[] = [];
  minOffset: number;
  flushedOffset: number;
  /** Observers for tests. */
  onReadRaw: ((fromOffset: number, nextOffset: number) => void) | undefined;
  /** When set, appendReplicated waits for it (a slow disk). */
  appendGate: Promise<void> | undefined;
  appendedFrames = 0;

  constructor(
    readonly storeId: string,
    opts: { baseOffset?: number; syncFlush?: boolean; segmentSizeBytes?: number } = {},
  ) {
    this.minOffset = opts.baseOffset ?? 0;
    this.flushedOffset = this.minOffset;
    this.syncFlush = opts.syncFlush ?? false;
    this.segmentSizeBytes = opts.segmentSizeBytes ?? FAKE_SEGMENT_BYTES;
  }

  readonly syncFlush: boolean;
  readonly segmentSizeBytes: number;

  get endOffset(): number {
    const last = this.records[this.records.length - 1];
    return last ? last.offset + last.bytes.length : this.minOffset;
  }

  identity() {
    return { storeId: this.storeId, segmentSizeBytes: this.segmentSizeBytes };
  }

  stats() {
    return { minOffset: this.minOffset, endOffset: this.endOffset, flushedOffset: this.flushedOffset, dispatchedOffset: this.endOffset };
  }

  epochs(): readonly EpochEntry[] {
    return this.epochList;
  }

  async appendEpoch(epoch: number, startOffset: number): Promise<void> {
    const last = this.epochList[this.epochList.length - 1];
    if (last && (epoch <= last.epoch || startOffset < last.startOffset))
      throw new Error(`epoch ${epoch}@${startOffset} after ${last.epoch}@${last.startOffset}`);
    this.epochList = [...this.epochList, { epoch, startOffset }];
  }

  async beginMasterEpoch(): Promise<EpochEntry> {
    const entry = { epoch: (this.epochList[this.epochList.length - 1]?.epoch ?? 0) + 1, startOffset: this.endOffset };
    await this.appendEpoch(entry.epoch, entry.startOffset);
    return entry;
  }

  /** A local append (the master's producers). */
  append(...payloads: (Buffer | string)[]): number {
    for (const p of payloads) this.records.push({ offset: this.endOffset, bytes: fakeRecord(p) });
    if (this.syncFlush) this.flushedOffset = this.endOffset;
    this.events.emit('written', { endOffset: this.endOffset });
    return this.endOffset;
  }

  flush(): void {
    this.flushedOffset = this.endOffset;
    this.events.emit('flushed', { flushedOffset: this.flushedOffset });
  }

  /** Drops what was never flushed (a power loss). */
  crash(): void {
    while (this.records.length > 0 && this.endOffset > this.flushedOffset) this.records.pop();
    this.epochList = this.epochList.filter((e) => e.startOffset <= this.endOffset);
  }

  private indexOf(offset: number): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.records[mid] as FakeRecord).offset < offset) lo = mid + 1;
      else hi = mid;
    }
    if (offset === this.endOffset) return this.records.length;
    if (this.records[lo]?.offset !== offset) throw new Error(`offset ${offset} is not a record boundary of [${this.minOffset}, ${this.endOffset})`);
    return lo;
  }

  async readRaw(fromOffset: number, maxBytes: number): Promise<{ bytes: Buffer; nextOffset: number }> {
    if (fromOffset < this.minOffset || fromOffset >= this.endOffset) throw new Error(`readRaw(${fromOffset}) outside [${this.minOffset}, ${this.endOffset})`);
    const parts: Buffer[] = [];
    let total = 0;
    for (let i = this.indexOf(fromOffset); i < this.records.length; i++) {
      const r = this.records[i] as FakeRecord;
      if (parts.length > 0 && total + r.bytes.length > maxBytes) break;
      parts.push(r.bytes);
      total += r.bytes.length;
    }
    const nextOffset = fromOffset + total;
    this.onReadRaw?.(fromOffset, nextOffset);
    return { bytes: Buffer.concat(parts), nextOffset };
  }

  async appendReplicated(fromOffset: number, bytes: Buffer): Promise<{ endOffset: number; records: number }> {
    if (this.appendGate) await this.appendGate;
    if (this.records.length > 0 && fromOffset !== this.endOffset)
      throw new Error(`appendReplicated(${fromOffset}) does not continue the end ${this.endOffset}`);
    if (this.records.length === 0) {
      this.minOffset = fromOffset;
      this.flushedOffset = fromOffset;
    }
    let at = 0;
    let count = 0;
    while (at < bytes.length) {
      if (at + 4 > bytes.length) throw new Error('a torn record header');
      const size = 4 + bytes.readUInt32BE(at);
      if (at + size > bytes.length) throw new Error('a torn record');
      this.records.push({ offset: fromOffset + at, bytes: Buffer.from(bytes.subarray(at, at + size)) });
      at += size;
      count++;
    }
    this.appendedFrames++;
    if (this.syncFlush) this.flushedOffset = this.endOffset;
    this.events.emit('written', { endOffset: this.endOffset });
    return { endOffset: this.endOffset, records: count };
  }

  async truncateTo(offset: number): Promise<{ droppedBytes: number; droppedIndexedRecords: number }> {
    if (offset < this.minOffset || offset > this.endOffset) throw new Error(`truncateTo(${offset}) outside [${this.minOffset}, ${this.endOffset}]`);
    const i = this.indexOf(offset);
    const dropped = this.records.splice(i);
    this.epochList = this.epochList.filter((e) => e.startOffset < offset);
    this.flushedOffset = Math.min(this.flushedOffset, this.endOffset);
    return { droppedBytes: dropped.reduce((n, r) => n + r.bytes.length, 0), droppedIndexedRecords: dropped.length };
  }

  /** Bytes [from, to) of the log. */
  bytesBetween(fromOffset: number, toOffset: number): Buffer {
    const parts: Buffer[] = [];
    for (const r of this.records) {
      const end = r.offset + r.bytes.length;
      if (end <= fromOffset || r.offset >= toOffset) continue;
      parts.push(r.bytes.subarray(Math.max(0, fromOffset - r.offset), Math.min(r.bytes.length, toOffset - r.offset)));
    }
    return Buffer.concat(parts);
  }

  async tailDigest(endOffset: number, maxBytes = 4096): Promise<{ fromOffset: number; crc32: number }> {
    const fromOffset = Math.max(this.minOffset, endOffset - maxBytes);
    return { fromOffset, crc32: zlib.crc32(this.bytesBetween(fromOffset, Math.min(endOffset, this.endOffset))) };
  }

  async stateSnapshot(visit: (ops: StateOp[]) => Promise<void>, _chunkBytes?: number): Promise<number> {
    const keys = [...this.state.keys()].sort();
    const chunk = 3;
    for (let i = 0; i < keys.length; i += chunk) {
      await visit(keys.slice(i, i + chunk).map((k) => ({ kind: 'put', key: Buffer.from(k, 'hex'), value: this.state.get(k) as Buffer })));
    }
    return keys.length;
  }

  private apply(ops: readonly StateOp[]): void {
    for (const op of ops) {
      if (op.kind === 'put') this.state.set(op.key.toString('hex'), op.value);
      else if (op.kind === 'del') this.state.delete(op.key.toString('hex'));
      else {
        for (const k of [...this.state.keys()]) {
          const key = Buffer.from(k, 'hex');
          if (Buffer.compare(key, op.gte) >= 0 && Buffer.compare(key, op.lt) < 0) this.state.delete(k);
        }
      }
    }
  }

  async applyState(ops: readonly StateOp[], opts: { replaceAll?: boolean } = {}): Promise<void> {
    if (opts.replaceAll) this.state.clear();
    this.apply(ops);
    this.events.emit('stateChanged', { ops: [...ops], origin: 'replicated' });
  }

  /** A local state change (a consumer committing an offset here). */
  changeLocal(ops: StateOp[]): void {
    this.apply(ops);
    this.events.emit('stateChanged', { ops, origin: 'local' });
  }

  getValue(key: string): string | undefined {
    return this.state.get(Buffer.from(key).toString('hex'))?.toString();
  }

  async getLocalMeta(name: string): Promise<Buffer | undefined> {
    return this.meta.get(name);
  }

  async setLocalMeta(name: string, value: Buffer): Promise<void> {
    this.meta.set(name, value);
  }

  /** The whole log as bytes. */
  logBytes(): Buffer {
    return this.bytesBetween(this.minOffset, this.endOffset);
  }
}

export function put(key: string, value: string): StateOp {
  return { kind: 'put', key: Buffer.from(key), value: Buffer.from(value) };
}
