import { decodeProperties, HALF_TOPIC, SYSFLAG_TXN_END, readU64, writeU64 } from '../message';
import { scanNamespace, METADATA_NS } from '../meta';
import type { StoreDispatchExtension, StoreDispatchRequest, StoreExtensionBatch, StoreMetadata } from '../store-port';

/*
 * Two namespaces track half messages (records in HALF_TOPIC):
 *
 * `txn-half`: one entry per unresolved half message; its presence IS "pending".
 *   key   = halfLogOffset u64 BE
 *   value = size u32 | storeTimestampMs u64 | topicLen u16 | topic | idLen u16 | messageId
 *           | clientLen u16 | producerClientId                                      (all BE, utf8)
 *   Written in the dispatch round of the half record; deleted in the dispatch round of the record
 *   that ends it (SYSFLAG_TXN_END: the committed copy in the real topic, or a rollback/discard in
 *   OP_TOPIC). Both ride dispatch batches, so after a crash it agrees with the commit log.
 *
 * `txn-check`: when to check each half message next, and how often it has been checked.
 *   key   = dueMs u64 BE | halfLogOffset u64 BE
 *   value = checksDone u16 BE
 *   The first entry is written with the half entry (due = store time + transactionTimeOut). Only
 *   the checker moves it; an entry whose half entry is gone is stale and the checker drops it.
 */
export const TXN_HALF_NS = METADATA_NS.txnHalf;
export const TXN_CHECK_NS = METADATA_NS.txnCheck;

export interface HalfEntry {
  size: number;
  storeTimestampMs: number;
  topic: string;
  messageId: string;
  producerClientId: string;
}

export function halfKey(halfLogOffset: number): Buffer {
  const k = Buffer.allocUnsafe(8);
  writeU64(k, halfLogOffset, 0);
  return k;
}

export function encodeHalfEntry(e: HalfEntry): Buffer {
  const parts = [e.topic, e.messageId, e.producerClientId].map((s) => Buffer.from(s, 'utf8'));
  const buf = Buffer.allocUnsafe(12 + parts.reduce((n, p) => n + 2 + p.length, 0));
  buf.writeUInt32BE(e.size, 0);
  writeU64(buf, e.storeTimestampMs, 4);
  let p = 12;
  for (const part of parts) {
    buf.writeUInt16BE(part.length, p);
    part.copy(buf, p + 2);
    p += 2 + part.length;
  }
  return buf;
}

export function decodeHalfEntry(buf: Buffer): HalfEntry {
  let p = 12;
  const next = () => {
    const n = buf.readUInt16BE(p);
    const s = buf.toString('utf8', p + 2, p + 2 + n);
    p += 2 + n;
    return s;
  };
  return { size: buf.readUInt32BE(0), storeTimestampMs: readU64(buf, 4), topic: next(), messageId: next(), producerClientId: next() };
}

export function checkKey(dueMs: number, halfLogOffset: number): Buffer {
  const k = Buffer.allocUnsafe(16);
  writeU64(k, Math.max(0, dueMs), 0);
  writeU64(k, halfLogOffset, 8);
  return k;
}

export function decodeCheckKey(key: Buffer): { dueMs: number; halfLogOffset: number } {
  return { dueMs: readU64(key, 0), halfLogOffset: readU64(key, 8) };
}

export function checksValue(checksDone: number): Buffer {
  const v = Buffer.allocUnsafe(2);
  v.writeUInt16BE(Math.min(checksDone, 0xffff), 0);
  return v;
}

/** The transaction id handed to the producer: the half record's log offset, 16 hex digits. */
export function transactionIdOf(halfLogOffset: number): string {
  return halfLogOffset.toString(16).toUpperCase().padStart(16, '0');
}

export function parseTransactionId(id: string): number | undefined {
  return /^[0-9A-F]{16}$/.test(id) ? Number.parseInt(id, 16) : undefined;
}

type TxnChange = { kind: 'half'; entry: HalfEntry; logOffset: number } | { kind: 'end'; halfLogOffset: number };

function txnChange(req: StoreDispatchRequest): TxnChange | undefined {
  const half = req.topic === HALF_TOPIC;
  if (!half && (req.sysFlag & SYSFLAG_TXN_END) === 0) return undefined;
  const sys = decodeProperties(req.properties).system;
  if (half) {
    const entry = {
      size: req.size,
      storeTimestampMs: req.storeTimestampMs,
      topic: sys.realTopic ?? '',
      messageId: req.messageId,
      producerClientId: sys.producerClientId ?? '',
    };
    return { kind: 'half', entry, logOffset: req.logOffset };
  }
  return sys.originOffset === undefined ? undefined : { kind: 'end', halfLogOffset: Number(sys.originOffset) };
}

/**
 * Half-message bookkeeping as a dispatch extension, and the pending count shown in metrics (exact
 * after load(), then kept in step with each committed dispatch round).
 */
export class TransactionIndex implements StoreDispatchExtension {
  readonly name = 'transaction-index';
  private count = 0;
  private loaded = false;

  constructor(private readonly transactionTimeoutMs: number) {}

  onDispatch(req: StoreDispatchRequest, batch: StoreExtensionBatch): void {
    const c = txnChange(req);
    if (!c) return;
    if (c.kind === 'half') {
      batch.put(TXN_HALF_NS, halfKey(c.logOffset), encodeHalfEntry(c.entry));
      batch.put(TXN_CHECK_NS, checkKey(c.entry.storeTimestampMs + this.transactionTimeoutMs, c.logOffset), checksValue(0));
    } else batch.del(TXN_HALF_NS, halfKey(c.halfLogOffset));
  }

  onCommitted(requests: readonly StoreDispatchRequest[]): void {
    if (!this.loaded) return; // load() counts from LevelDB; recovery's re-dispatch is already in it
    for (const r of requests) {
      const c = txnChange(r);
      if (c) this.count += c.kind === 'half' ? 1 : -1;
    }
  }

  /** Recovery cut the log: half entries past the cut go; their check entries become stale. */
  async onTruncate(endOffset: number, metadata: StoreMetadata): Promise<void> {
    const doomed = await metadata.list(TXN_HALF_NS, { from: halfKey(endOffset) });
    if (doomed.length > 0) await metadata.batch(doomed.map(({ key }) => ({ type: 'del' as const, namespace: TXN_HALF_NS, key })));
  }

  async load(metadata: StoreMetadata): Promise<void> {
    this.loaded = true;
    this.count = await scanNamespace(metadata, TXN_HALF_NS, () => undefined);
  }

  pending(): number {
    return this.count;
  }
}
