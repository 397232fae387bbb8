import type { StoreMetadata, StoreRecord } from '../store-port';
import { METADATA_NS } from '../meta';
import { randomInt } from 'node:crypto';
import { decodeProperties, messageTypeOfFlag, readU64, writeU64 } from '../message';

/**
 * Receive/ack ("pop") bookkeeping for one (group, topic, queue). Messages are delivered in place:
 * a message that is not acked in time becomes visible again at its original queue offset with
 * delivery attempt + 1, so nothing is copied to a retry topic.
 *
 *   ackOffset ≤ every in-flight offset < scanOffset
 *   [ackOffset, scanOffset): delivered; those still in `inflight` are unacked, the rest are done
 *   (acked, or skipped by the group's filter for good)
 *
 * ackOffset is what the group has consumed (it becomes the group's consumer offset, for progress
 * and lag). Every change is persisted to the store's metadata so a restarted broker redelivers
 * exactly the unacked messages, after their invisible time.
 */
export interface InflightEntry {
  queueOffset: number;
  logOffset: number;
  size: number;
  /**
   * Deliveries so far (1 on the first). 0: not delivered yet, held back because an earlier
   * message of its message group is still in flight (FIFO).
   */
  attempt: number;
  invisibleUntilMs: number;
  /** Changes on every delivery and every visibility change: older handles stop matching. */
  nonce: number;
  /** The message group of a FIFO message delivered in order ('' when none or unordered). */
  messageGroup: string;
}

export interface QueuePopState {
  group: string;
  topic: string;
  queueId: number;
  scanOffset: number;
  /** Keyed by queue offset. */
  inflight: Map<number, InflightEntry>;
}

export function ackOffsetOf(s: QueuePopState): number {
  let min = s.scanOffset;
  for (const k of s.inflight.keys()) if (k < min) min = k;
  return min;
}

/*
 * Metadata keys:
 *   ns 'popscan': group \0 topic \0 queueId(u32)               -> scanOffset u64
 *   ns 'pop':     group \0 topic \0 queueId(u32) queueOffset(u64) -> entry (30 bytes + group, below)
 *
 *   entry: logOffset u64 | size u32 | attempt u32 | invisibleUntilMs u64 | nonce u32
 *          | groupLen u16 | messageGroup (utf8)
 */
export const NS_SCAN = METADATA_NS.popScan;
export const NS_INFLIGHT = METADATA_NS.popInflight;
export function queueKey(group: string, topic: string, queueId: number): Buffer {
  const head = Buffer.from(`${group}\u0000${topic}\u0000`, 'utf8');
  const key = Buffer.allocUnsafe(head.length + 4);
  head.copy(key, 0);
  key.writeUInt32BE(queueId, head.length);
  return key;
}

export function inflightKey(qk: Buffer, queueOffset: number): Buffer {
  const key = Buffer.allocUnsafe(qk.length + 8);
  qk.copy(key, 0);
  writeU64(key, queueOffset, qk.length);
  return key;
}

export function encodeEntry(e: InflightEntry): Buffer {
  const g = Buffer.byteLength(e.messageGroup);
  const b = Buffer.allocUnsafe(30 + g);
  writeU64(b, e.logOffset, 0);
  b.writeUInt32BE(e.size, 8);
  b.writeUInt32BE(e.attempt, 12);
  writeU64(b, e.invisibleUntilMs, 16);
  b.writeUInt32BE(e.nonce >>> 0, 24);
  b.writeUInt16BE(g, 28);
  b.write(e.messageGroup, 30, g, 'utf8');
  return b;
}

function decodeEntry(queueOffset: number, b: Buffer): InflightEntry {
  const g = b.readUInt16BE(28);
  return {
    queueOffset,
    logOffset: readU64(b, 0),
    size: b.readUInt32BE(8),
    attempt: b.readUInt32BE(12),
    invisibleUntilMs: readU64(b, 16),
    nonce: b.readUInt32BE(24),
    messageGroup: b.toString('utf8', 30, 30 + g),
  };
}

export function u64(v: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  writeU64(b, v, 0);
  return b;
}

function parseQueueKey(key: Buffer): { group: string; topic: string; queueId: number } {
  const text = key.toString('utf8', 0, key.length - 4);
  const [group, topic] = text.split('\u0000') as [string, string];
  return { group, topic, queueId: key.readUInt32BE(key.length - 4) };
}

/** Loads every persisted pop state (scan offsets and in-flight entries). */
export async function loadPopStates(metadata: StoreMetadata): Promise<QueuePopState[]> {
  const states = new Map<string, QueuePopState>();
  for (const { key, value } of await metadata.list(NS_SCAN)) {
    const q = parseQueueKey(key);
    states.set(key.toString('latin1'), { ...q, scanOffset: readU64(value, 0), inflight: new Map() });
  }
  for (const { key, value } of await metadata.list(NS_INFLIGHT)) {
    const qk = key.subarray(0, key.length - 8);
    const s = states.get(qk.toString('latin1'));
    if (!s) continue; // an entry without its scan record cannot be placed; it was written in the same batch
    const off = readU64(key, key.length - 8);
    s.inflight.set(off, decodeEntry(off, value));
  }
  return [...states.values()];
}

/** Serializes async work per key (per group/topic/queue), so two receives never pop the same entry. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();
  /** Resolved unless runExclusive() holds (or waits for) the whole lock. */
  private barrier: Promise<void> = Promise.resolve();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    await this.barrier;
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    await prev;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /**
   * Runs `work` alone: after every keyed run started or queued before it has finished, and before
   * any later one starts (a reload of the whole pop state must not interleave with a pop that is
   * half-way between changing its queue's state and persisting it).
   */
  async runExclusive<T>(work: () => Promise<T>): Promise<T> {
    const before = this.barrier;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    this.barrier = before.then(() => gate);
    await before;
    await Promise.all([...this.tails.values()]);
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/** An auto-renew delivery (PushConsumer): kept invisible while its client is connected. */
export interface Renewal {
  clientId: string;
  group: string;
  topic: string;
  queueId: number;
  queueOffset: number;
}

export function renewKey(group: string, topic: string, queueId: number, queueOffset: number): string {
  return `${group}\u0000${topic}\u0000${queueId}\u0000${queueOffset}`;
}

/** The message group of a FIFO message ('' otherwise). */
export function messageGroupOf(r: StoreRecord): string {
  if (messageTypeOfFlag(r.sysFlag) !== 'FIFO') return '';
  return decodeProperties(r.properties).system.messageGroup ?? '';
}

export function stateKey(group: string, topic: string, queueId: number): string {
  return `${group}\u0000${topic}\u0000${queueId}`;
}

/** A fresh nonce, never equal to the previous one. */
export function newNonce(previous: number): number {
  let n = randomInt(0, 0xffff_ffff);
  if (n === previous) n = (n + 1) >>> 0;
  return n;
}
