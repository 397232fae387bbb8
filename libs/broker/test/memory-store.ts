import { EventEmitter } from 'node:events';
import type {
  StoreAppend,
  StoreAppendResult,
  StoreDispatchExtension,
  StoreDispatchRequest,
  StoreExtensionBatch,
  StoreFound,
  StoreMetadata,
  StorePort,
  StoreQueueEntry,
  StoreQueueRead,
  StoreRecord,
  StoreStatsView,
} from '../src/store-port';

/*
 * An in-memory StorePort for broker unit tests, kept as the model of libs/storage's MessageStore
 * the way nats-server keeps its memstore as the model of its filestore: same contract, no disk.
 *
 * What it keeps as the real store does: an append-only log with increasing byte offsets (each record
 * takes the size the real record codec would give it), queue offsets per (topic, queueId), consume
 * queue entries with FNV-1a tag hashes and the same readQueue statuses and filter/scan bounds,
 * monotonic store timestamps from an injectable clock, metadata namespaces listed in bytewise key
 * order, consumer offsets, lookups by message id and key, and dispatch: extensions see every record
 * (the real DispatchRequest fields) and write into one batch per append round, then onCommitted,
 * then 'arrived'.
 *
 * What it simplifies: no segments, files, flushing, crash recovery, retention or disk-full (so the
 * minimum log and queue offsets stay 0, nothing is ever OFFSET_TOO_SMALL, and onTruncate is never
 * called); no record size limit; and dispatch runs synchronously inside appendBatch, so a record is
 * readable from its queue when the append resolves (the real store indexes it a moment later;
 * callers that need it must await whenDispatched, which here resolves at once).
 */

/** The names StorageErrorCode gives these failures; the broker maps errors by `code`. */
export type MemoryStoreErrorCode = 'ILLEGAL_ARGUMENT' | 'OFFSET_TOO_SMALL' | 'OFFSET_OVERFLOW' | 'CORRUPT_RECORD';

export class MemoryStoreError extends Error {
  constructor(
    readonly code: MemoryStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** storage's DispatchRequest: the port's fields plus what storage's own indexes use. */
export interface MemoryDispatchRequest extends StoreDispatchRequest {
  queueOffset: number;
  tagHash: number;
  tag: string;
  keys: readonly string[] | undefined;
}

type MetadataOp = Parameters<StoreMetadata['batch']>[0][number];
type ReadQueueOptions = NonNullable<Parameters<StorePort['readQueue']>[4]>;
type ArrivedQueue = { topic: string; queueId: number; maxOffset: number };

/** storage/consume-queue.ts: entries examined per filtered read unless the caller says otherwise. */
const DEFAULT_MAX_SCAN_ENTRIES = 16_384;
/** storage/message-index.ts: bound of one lookup. */
const MAX_LOOKUP_RESULTS = 1_024;
/** Names are stored with a u8 length. */
const MAX_NAME_BYTES = 255;
/** storage/record-codec.ts: fixed header (56 bytes) plus six length prefixes. */
const RECORD_MIN_BYTES = 70;
const KEY_SEPARATOR = '\u0001';

/** storage/tag-hash.ts, copied (the broker lib may not import storage): FNV-1a, 0 means no tag. */
export function tagHash(tag: string | undefined): number {
  if (!tag) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < tag.length; i++) {
    h ^= tag.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0 || 1;
}

function illegal(message: string): never {
  throw new MemoryStoreError('ILLEGAL_ARGUMENT', message);
}

function checkName(what: string, s: string): void {
  const n = typeof s === 'string' ? Buffer.byteLength(s, 'utf8') : 0;
  if (n === 0 || n > MAX_NAME_BYTES) illegal(`${what} must be 1..${MAX_NAME_BYTES} bytes, got ${n}`);
}

function checkOffset(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) illegal(`${what} must be a non-negative safe integer, got ${value}`);
}

function keyBytes(key: Buffer | string): Buffer {
  return typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
}

/** The size the real codec gives the record, so log offsets advance as they would on disk. */
function recordSize(m: StoreAppend): number {
  const keys = (m.keys ?? []).join(KEY_SEPARATOR);
  const strings = [m.topic, m.messageId, m.tag ?? '', keys].reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0);
  return RECORD_MIN_BYTES + strings + (m.properties?.length ?? 0) + m.body.length;
}

/** storage/validate.ts, the checks a broker bug could trip. */
function validate(m: StoreAppend): void {
  checkName('topic', m.topic);
  if (!Number.isInteger(m.queueId) || m.queueId < 0 || m.queueId > 0xffff_ffff) illegal(`queueId ${m.queueId} out of range`);
  if (typeof m.messageId !== 'string' || Buffer.byteLength(m.messageId) > MAX_NAME_BYTES) illegal('messageId must be a string of at most 255 bytes');
  if (m.keys?.some((k) => k.includes(KEY_SEPARATOR))) illegal('a key contains the reserved character U+0001');
  if (!Buffer.isBuffer(m.body)) illegal('body must be a Buffer');
  if (m.properties !== undefined && !Buffer.isBuffer(m.properties)) illegal('properties must be a Buffer');
  if (!Number.isSafeInteger(m.bornTimestampMs) || m.bornTimestampMs < 0) illegal(`bornTimestampMs ${m.bornTimestampMs} is not a timestamp`);
}

/** A copy, as a fresh read of the log would give (the real store returns new buffers per read). */
function copyOf(r: StoreRecord): StoreRecord {
  return { ...r, keys: [...r.keys], properties: Buffer.from(r.properties), body: Buffer.from(r.body) };
}

function clampResults(n: number): number {
  return Math.max(1, Math.min(MAX_LOOKUP_RESULTS, Math.floor(n)));
}

/** Namespaced key/value metadata; keys compare bytewise, as LevelDB orders them. */
export class MemoryMetadata implements StoreMetadata {
  private readonly spaces = new Map<string, Map<string, { key: Buffer; value: Buffer }>>();

  async get(namespace: string, key: Buffer | string): Promise<Buffer | undefined> {
    checkName('namespace', namespace);
    const e = this.spaces.get(namespace)?.get(keyBytes(key).toString('hex'));
    return e ? Buffer.from(e.value) : undefined;
  }

  async put(namespace: string, key: Buffer | string, value: Buffer): Promise<void> {
    await this.batch([{ type: 'put', namespace, key, value }]);
  }

  async delete(namespace: string, key: Buffer | string): Promise<void> {
    await this.batch([{ type: 'del', namespace, key }]);
  }

  /** All or nothing: every op is checked before any is applied. */
  async batch(ops: readonly MetadataOp[]): Promise<void> {
    for (const op of ops) checkName('namespace', op.namespace);
    this.apply(ops);
  }

  /** Entries of a namespace in key order; `from` inclusive, `to` exclusive, at most `limit`. */
  async list(namespace: string, opts: { from?: Buffer | string; to?: Buffer | string; limit?: number } = {}): Promise<{ key: Buffer; value: Buffer }[]> {
    checkName('namespace', namespace);
    const from = opts.from !== undefined ? keyBytes(opts.from) : undefined;
    const to = opts.to !== undefined ? keyBytes(opts.to) : undefined;
    const inRange = [...(this.spaces.get(namespace)?.values() ?? [])].filter(
      (e) => (from === undefined || Buffer.compare(e.key, from) >= 0) && (to === undefined || Buffer.compare(e.key, to) < 0),
    );
    inRange.sort((a, b) => Buffer.compare(a.key, b.key));
    const limited = opts.limit === undefined || opts.limit < 0 ? inRange : inRange.slice(0, opts.limit);
    return limited.map((e) => ({ key: Buffer.from(e.key), value: Buffer.from(e.value) }));
  }

  /** Applies ops at once (also used for the dispatch round's extension batch). */
  apply(ops: readonly MetadataOp[]): void {
    for (const op of ops) {
      let space = this.spaces.get(op.namespace);
      if (!space) {
        space = new Map();
        this.spaces.set(op.namespace, space);
      }
      const key = keyBytes(op.key);
      if (op.type === 'put') space.set(key.toString('hex'), { key, value: Buffer.from(op.value) });
      else space.delete(key.toString('hex'));
    }
  }
}

export interface MemoryStoreOptions {
  /** Dispatch extensions (the broker's timer and transaction indexes), as MessageStore.open takes them. */
  extensions?: readonly StoreDispatchExtension[];
  /** Store timestamps come from here (never backwards), like the real store's config.nowMs. */
  nowMs?: () => number;
}

interface LogEntry {
  logOffset: number;
  size: number;
  record: StoreRecord;
}

export class MemoryStore implements StorePort {
  readonly metadata = new MemoryMetadata();
  readonly events: StorePort['events'];
  private readonly emitter = new EventEmitter();
  private readonly log: LogEntry[] = [];
  private readonly byOffset = new Map<number, LogEntry>();
  /** Consume queues: topic -> queueId -> entries; index = queue offset (nothing is ever pruned). */
  private readonly queues = new Map<string, Map<number, StoreQueueEntry[]>>();
  /** Next queue offset handed out per queue (the writer's table; dispatch makes entries visible). */
  private readonly assigned = new Map<string, Map<number, number>>();
  private readonly consumerOffsets = new Map<string, number>();
  private readonly extensions: readonly StoreDispatchExtension[];
  private readonly nowMs: () => number;
  private endOffset = 0;
  private lastStoreTimestampMs = 0;
  private dispatchWaiters: { offset: number; resolve: () => void }[] = [];

  constructor(opts: MemoryStoreOptions = {}) {
    this.extensions = opts.extensions ?? [];
    this.nowMs = opts.nowMs ?? Date.now;
    this.events = {
      on: (event, listener) => {
        this.emitter.on(event, listener);
        return () => this.emitter.off(event, listener);
      },
    };
  }

  // ---------------------------------------------------------------- appends and dispatch

  /** One write round: offsets assigned in order, then dispatched as one round; results in input order. */
  async appendBatch(messages: readonly StoreAppend[]): Promise<StoreAppendResult[]> {
    if (messages.length === 0) illegal('appendBatch needs at least one message');
    for (const m of messages) validate(m);
    const storeTimestampMs = this.storeTimestamp();
    const results: StoreAppendResult[] = [];
    const requests: MemoryDispatchRequest[] = [];
    for (const m of messages) {
      const queueOffset = this.assign(m.topic, m.queueId);
      const size = recordSize(m);
      const logOffset = this.endOffset;
      this.endOffset += size;
      const record: StoreRecord = {
        queueId: m.queueId,
        sysFlag: m.sysFlag ?? 0,
        queueOffset,
        physicalOffset: logOffset,
        bornTimestampMs: m.bornTimestampMs,
        storeTimestampMs,
        reconsumeTimes: m.reconsumeTimes ?? 0,
        topic: m.topic,
        messageId: m.messageId,
        tag: m.tag ?? '',
        keys: [...(m.keys ?? [])],
        properties: Buffer.from(m.properties ?? Buffer.alloc(0)),
        body: Buffer.from(m.body),
      };
      const entry = { logOffset, size, record };
      this.log.push(entry);
      this.byOffset.set(logOffset, entry);
      results.push({ logOffset, size, queueOffset, storeTimestampMs });
      requests.push(this.requestOf(record, logOffset, size));
    }
    this.dispatch(requests);
    return results;
  }

  /** Everything is dispatched when its append resolves; a later offset waits for later appends. */
  whenDispatched(logOffset?: number): Promise<void> {
    if (logOffset === undefined || logOffset <= this.endOffset) return Promise.resolve();
    return new Promise((resolve) => this.dispatchWaiters.push({ offset: logOffset, resolve }));
  }

  private requestOf(r: StoreRecord, logOffset: number, size: number): MemoryDispatchRequest {
    const { topic, queueId, queueOffset, storeTimestampMs, sysFlag, messageId, tag, keys, properties } = r;
    return { topic, queueId, queueOffset, logOffset, size, storeTimestampMs, sysFlag, messageId, tagHash: tagHash(tag), tag, keys, properties };
  }

  /** storage/dispatch.ts writeRound: queue entries and extension writes as one batch, then onCommitted, then 'arrived'. */
  private dispatch(requests: MemoryDispatchRequest[]): void {
    const ops: MetadataOp[] = [];
    const batch: StoreExtensionBatch = {
      put: (namespace, key, value) => void ops.push({ type: 'put', namespace, key: Buffer.from(key), value: Buffer.from(value) }),
      del: (namespace, key) => void ops.push({ type: 'del', namespace, key: Buffer.from(key) }),
    };
    const touched = new Map<string, ArrivedQueue>();
    for (const r of requests) {
      const { queueOffset, logOffset, size, storeTimestampMs } = r;
      this.queue(r.topic, r.queueId).push({ queueOffset, logOffset, size, tagHash: r.tagHash, storeTimestampMs });
      for (const ext of this.extensions) ext.onDispatch(r, batch);
      touched.set(`${r.queueId}\u0000${r.topic}`, { topic: r.topic, queueId: r.queueId, maxOffset: r.queueOffset + 1 });
    }
    this.metadata.apply(ops);
    for (const ext of this.extensions) ext.onCommitted?.(requests);
    const waiters = this.dispatchWaiters;
    this.dispatchWaiters = waiters.filter((w) => w.offset > this.endOffset);
    for (const w of waiters) if (w.offset <= this.endOffset) w.resolve();
    this.emitter.emit('arrived', [...touched.values()]);
  }

  /** Never backwards, so offset-by-time searches stay valid (as the real writer guarantees). */
  private storeTimestamp(): number {
    this.lastStoreTimestampMs = Math.max(this.lastStoreTimestampMs, this.nowMs());
    return this.lastStoreTimestampMs;
  }

  // ---------------------------------------------------------------- reads

  async getMessage(logOffset: number, size: number): Promise<StoreRecord> {
    checkOffset(logOffset, 'logOffset');
    if (logOffset + size > this.endOffset) throw new MemoryStoreError('OFFSET_OVERFLOW', `log offset ${logOffset}+${size} is past the end ${this.endOffset}`);
    const e = this.byOffset.get(logOffset);
    if (!e || e.size !== size) throw new MemoryStoreError('CORRUPT_RECORD', `no record of size ${size} at log offset ${logOffset}`);
    return copyOf(e.record);
  }

  async getMessageAt(logOffset: number): Promise<StoreRecord> {
    checkOffset(logOffset, 'logOffset');
    const e = this.byOffset.get(logOffset);
    if (!e) throw new MemoryStoreError('CORRUPT_RECORD', `no record starts at log offset ${logOffset}`);
    return copyOf(e.record);
  }

  /** In the order asked (the real store reads neighbours together; the result is the same). */
  async getMessages(locations: readonly { logOffset: number; size: number }[]): Promise<StoreRecord[]> {
    const out: StoreRecord[] = [];
    for (const l of locations) out.push(await this.getMessage(l.logOffset, l.size));
    return out;
  }

  async readQueue(topic: string, queueId: number, fromOffset: number, maxCount: number, opts: ReadQueueOptions = {}): Promise<StoreQueueRead> {
    checkOffset(fromOffset, 'fromOffset');
    if (!Number.isInteger(maxCount) || maxCount < 1) illegal(`maxCount must be >= 1, got ${maxCount}`);
    const all = this.queues.get(topic)?.get(queueId) ?? [];
    const minOffset = 0;
    const maxOffset = all.length;
    const bounds = { entries: [] as StoreQueueEntry[], minOffset, maxOffset };
    if (fromOffset < minOffset) return { status: 'OFFSET_TOO_SMALL', nextOffset: minOffset, ...bounds };
    if (fromOffset > maxOffset) return { status: 'OFFSET_OVERFLOW', nextOffset: maxOffset, ...bounds };
    if (fromOffset === maxOffset) return { status: 'NO_NEW_MESSAGES', nextOffset: maxOffset, ...bounds };
    // As the real read: a filter matches tag hashes (the caller confirms the tag on the record) and
    // bounds the entries examined; without one, maxCount entries are examined.
    const filter = opts.tags ? new Set([...opts.tags].map(tagHash)) : undefined;
    const maxScan = filter ? (opts.maxScanEntries ?? DEFAULT_MAX_SCAN_ENTRIES) : maxCount;
    const entries: StoreQueueEntry[] = [];
    let nextOffset = fromOffset;
    for (let o = fromOffset; o < maxOffset && o - fromOffset < maxScan; o++) {
      const e = all[o] as StoreQueueEntry;
      nextOffset = o + 1;
      if (!filter || filter.has(e.tagHash)) entries.push({ ...e });
      if (entries.length >= maxCount) break;
    }
    return { status: 'FOUND', entries, nextOffset, minOffset, maxOffset };
  }

  /** No retention: a queue always starts at 0. */
  async getMinQueueOffset(_topic: string, _queueId: number): Promise<number> {
    return 0;
  }

  getMaxQueueOffset(topic: string, queueId: number): number {
    return this.queues.get(topic)?.get(queueId)?.length ?? 0;
  }

  /** The first queue offset stored at or after `timestampMs`; the max offset when none is. */
  async getQueueOffsetByTime(topic: string, queueId: number, timestampMs: number): Promise<number> {
    const all = this.queues.get(topic)?.get(queueId) ?? [];
    const i = all.findIndex((e) => e.storeTimestampMs >= timestampMs);
    return i < 0 ? all.length : i;
  }

  /** Log order, which is the message-id index's order (id, then log offset). */
  async findByMessageId(messageId: string, maxResults = 32): Promise<StoreFound[]> {
    if (!messageId) return [];
    return this.found((r) => r.messageId === messageId, clampResults(maxResults));
  }

  /** Store time order, then log order, within [begin, end] inclusive (the key index's order). */
  async findByKey(topic: string, key: string, q: { beginTimestampMs?: number; endTimestampMs?: number; maxResults?: number } = {}): Promise<StoreFound[]> {
    const begin = q.beginTimestampMs ?? 0;
    const end = q.endTimestampMs ?? Number.MAX_SAFE_INTEGER;
    const hit = (r: StoreRecord) => r.topic === topic && key !== '' && r.keys.includes(key) && r.storeTimestampMs >= begin && r.storeTimestampMs <= end;
    return this.found(hit, clampResults(q.maxResults ?? 64));
  }

  private found(matches: (r: StoreRecord) => boolean, max: number): StoreFound[] {
    const out: StoreFound[] = [];
    for (const e of this.log) {
      if (out.length >= max) break;
      if (matches(e.record)) out.push({ logOffset: e.logOffset, size: e.size, record: copyOf(e.record) });
    }
    return out;
  }

  // ---------------------------------------------------------------- consumer offsets, admin, stats

  async getConsumerOffset(group: string, topic: string, queueId: number): Promise<number | undefined> {
    checkName('group', group);
    checkName('topic', topic);
    return this.consumerOffsets.get(`${group}\u0000${topic}\u0000${queueId}`);
  }

  async setConsumerOffset(group: string, topic: string, queueId: number, offset: number): Promise<void> {
    checkName('group', group);
    checkName('topic', topic);
    checkOffset(offset, 'offset');
    this.consumerOffsets.set(`${group}\u0000${topic}\u0000${queueId}`, offset);
  }

  /** Drops the topic's consume queues and queue counters (new appends start at offset 0); the log keeps its records. */
  async deleteTopic(topic: string): Promise<void> {
    checkName('topic', topic);
    this.queues.delete(topic);
    this.assigned.delete(topic);
  }

  stats(): StoreStatsView {
    const end = this.endOffset; // everything is written, flushed and dispatched at once
    return {
      minOffset: 0,
      endOffset: end,
      flushedOffset: end,
      dispatchedOffset: end,
      pendingAppends: 0,
      dispatchBacklogRecords: 0,
      diskUsedPercent: 0,
      diskFull: false,
    };
  }

  async commitLogBytes(): Promise<number> {
    return this.endOffset;
  }

  private assign(topic: string, queueId: number): number {
    let byId = this.assigned.get(topic);
    if (!byId) {
      byId = new Map();
      this.assigned.set(topic, byId);
    }
    const next = byId.get(queueId) ?? 0;
    byId.set(queueId, next + 1);
    return next;
  }

  private queue(topic: string, queueId: number): StoreQueueEntry[] {
    let byId = this.queues.get(topic);
    if (!byId) {
      byId = new Map();
      this.queues.set(topic, byId);
    }
    let q = byId.get(queueId);
    if (!q) {
      q = [];
      byId.set(queueId, q);
    }
    return q;
  }
}
