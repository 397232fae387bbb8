import { CqBlockBuilder, type OpenBlock } from './cq-blocks';
import type { Kv, KvBatch } from './kv';
import { assert } from './errors';
import { cqKey, encodeCqValue, keyIndexKey, messageIdKey, metaKey, metadataKey, queueOffsetKey, u32Value, u64Value } from './keys';
import type { Metadata } from './metadata';
import { QueueTable } from './queue-table';
import { decodeIndexFields } from './record-codec';
import { tagHash } from './tag-hash';

/**
 * Dispatch (RocketMQ's "reput"): turns records that are in the commit log into index entries.
 * For each round it writes, in ONE LevelDB batch, the consume-queue entries, key-index and
 * message-id entries, every registered extension's entries, the per-queue next offsets and the
 * new dispatchedOffset. A crash between rounds therefore leaves the indexes at a record boundary,
 * and recovery re-dispatches from dispatchedOffset; re-dispatching a record rewrites the same keys,
 * so it is idempotent.
 *
 * The writer hands over what it just wrote (no re-read of bytes it already has); recovery and
 * replicas feed it from records parsed off disk. Either way requests arrive in log order.
 */
export interface DispatchRequest {
  topic: string;
  queueId: number;
  queueOffset: number;
  logOffset: number;
  size: number;
  storeTimestampMs: number;
  sysFlag: number;
  messageId: string;
  tagHash: number;
  tag: string;
  keys: readonly string[] | undefined;
  /** The record's properties section (opaque to storage); a view, valid during the call only. */
  properties: Buffer;
}

/** Builds the dispatch request for a record read from bytes (recovery, replicas). */
export function requestFromRecord(buf: Buffer, at: number, logOffset: number, size: number): DispatchRequest {
  const f = decodeIndexFields(buf, at);
  return {
    topic: f.topic,
    queueId: f.queueId,
    queueOffset: f.queueOffset,
    logOffset,
    size,
    storeTimestampMs: f.storeTimestampMs,
    sysFlag: f.sysFlag,
    messageId: f.messageId,
    tagHash: tagHash(f.tag),
    tag: f.tag,
    keys: f.keys,
    properties: f.properties,
  };
}

/** The part of a dispatch round's batch an extension may write: metadata namespaces only. */
export interface ExtensionBatch {
  put(namespace: string, key: Buffer, value: Buffer): void;
  del(namespace: string, key: Buffer): void;
}

/**
 * Broker-registered dispatchers (timer index, transaction bookkeeping). Their entries join the
 * round's batch, so they are exactly as durable as the consume-queue entries of the same records
 * and are never written twice (dispatchedOffset commits in the same batch).
 */
export interface DispatchExtension {
  readonly name: string;
  onDispatch(req: DispatchRequest, batch: ExtensionBatch): void;
  /** The round's batch is in LevelDB: in-memory state that mirrors it may follow now. */
  onCommitted?(requests: readonly DispatchRequest[]): void;
  /** Recovery cut the log at endOffset: delete whatever this extension indexed at or past it. */
  onTruncate?(endOffset: number, metadata: Metadata): Promise<void>;
}

function extensionBatch(batch: KvBatch): ExtensionBatch {
  return {
    put: (namespace, key, value) => batch.put(metadataKey(namespace, key), value),
    del: (namespace, key) => batch.del(metadataKey(namespace, key)),
  };
}

export interface ArrivedQueue {
  topic: string;
  queueId: number;
  /** Next queue offset to be dispatched, i.e. one past the newest visible entry. */
  maxOffset: number;
}

export interface DispatcherHooks {
  /** A round's records are committed to LevelDB (before onArrived): the in-memory queue tails follow. */
  onCommitted?(requests: readonly DispatchRequest[]): void;
  onArrived(queues: ArrivedQueue[]): void;
  onDispatched(dispatchedOffset: number, records: number): void;
  onError(err: Error): void;
}

export const META_DISPATCHED_OFFSET = 'dispatchedOffset';
/** Largest number of records one LevelDB batch carries. */
const MAX_DISPATCH_BATCH_RECORDS = 8_192;
const RETRY_AFTER_ERROR_MS = 200;
const EMPTY_VALUE = Buffer.alloc(0);

export class Dispatcher {
  private pending: DispatchRequest[] = [];
  /** End offset (exclusive) that the pending requests reach, including trailing blanks. */
  private pendingEnd: number;
  private running = false;
  private stopped = false;
  private capacityWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private quietWaiters: (() => void)[] = [];
  /** setLimit: records ending past this wait in `pending` (SYNC_MASTER visibility gate). */
  private limit: number | undefined;
  /** Waiters for a log offset, in the order they were added (offsets only grow, so mostly sorted). */
  private offsetWaiters: { offset: number; resolve: () => void }[] = [];
  /** Consume-queue blocks being filled (cq-blocks.ts): each goes into the batch of its 256th entry. */
  private readonly blocks = new CqBlockBuilder();

  constructor(
    private readonly kv: Kv,
    /** Next queue offset per queue, as dispatched (what readers may see). */
    readonly dispatched: QueueTable,
    private dispatchedOffset: number,
    private readonly maxBacklogRecords: number,
    private readonly extensions: readonly DispatchExtension[],
    private readonly hooks: DispatcherHooks,
  ) {
    this.pendingEnd = dispatchedOffset;
  }

  get offset(): number {
    return this.dispatchedOffset;
  }

  get backlogRecords(): number {
    return this.pending.length;
  }

  /** Records handed over and not yet dispatched, in log order (read only). */
  get backlog(): readonly DispatchRequest[] {
    return this.pending;
  }

  get dispatchLimit(): number | undefined {
    return this.limit;
  }

  /**
   * While set, records that end past `offset` are not dispatched (not indexed, not visible, no
   * 'arrived'); they wait in the backlog, whose capacity limit still holds the writer back.
   * Raising or lifting (undefined) the limit dispatches what it now allows at once.
   */
  setLimit(offset: number | undefined): void {
    this.limit = offset;
    if (!this.running && (this.pending.length > 0 || this.dispatchedOffset < this.pendingEnd)) void this.run();
  }

  /**
   * truncateTo: the log now ends at `offset`, a record boundary. Drops backlog records at or past
   * it and sets (and persists) dispatchedOffset back to it, or forward to it when an emptied log
   * restarts elsewhere. The caller holds every writer off and prunes the index entries past
   * `offset` (pruneIndexesFrom, which also rolls `dispatched` back); no round may be running.
   */
  async reset(offset: number): Promise<void> {
    assert(!this.running, 'dispatcher reset while a round runs');
    this.pending = this.pending.filter((r) => r.logOffset < offset);
    this.pendingEnd = offset;
    this.blocks.clear();
    // Records still waiting (below the cut) keep dispatchedOffset where it is, at or before them.
    if (this.pending.length === 0) this.dispatchedOffset = offset;
    await this.kv.put(metaKey(META_DISPATCHED_OFFSET), u64Value(this.dispatchedOffset));
    this.releaseOffsetWaiters();
    if (this.pending.length > 0) void this.run();
    else this.releaseIdle();
  }

  /** Hands over records in log order; `endOffset` is where the log ends after them. */
  enqueue(requests: DispatchRequest[], endOffset: number): void {
    assert(endOffset >= this.pendingEnd, `dispatch end moves backwards ${this.pendingEnd} -> ${endOffset}`);
    const first = requests[0];
    assert(!first || first.logOffset >= this.pendingEnd, `dispatch request ${first?.logOffset} before ${this.pendingEnd}`);
    for (const r of requests) this.pending.push(r);
    this.pendingEnd = endOffset;
    if (!this.running) void this.run();
  }

  hasCapacity(): boolean {
    return this.pending.length < this.maxBacklogRecords;
  }

  /** Resolves when the backlog is below its limit, so the writer never outruns the indexes unboundedly. */
  waitForCapacity(): Promise<void> {
    if (this.hasCapacity()) return Promise.resolve();
    return new Promise((resolve) => this.capacityWaiters.push(resolve));
  }

  /** Resolves when everything enqueued so far is in LevelDB. */
  whenIdle(): Promise<void> {
    if (!this.running && this.pending.length === 0 && this.dispatchedOffset === this.pendingEnd) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves when no round is running (records held back by the limit may still wait). */
  whenQuiet(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.quietWaiters.push(resolve));
  }

  /** Resolves when every record before `logOffset` is in LevelDB, however busy dispatch stays. */
  whenDispatchedTo(logOffset: number): Promise<void> {
    if (this.dispatchedOffset >= logOffset) return Promise.resolve();
    return new Promise((resolve) => this.offsetWaiters.push({ offset: logOffset, resolve }));
  }

  stop(): void {
    this.stopped = true;
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (!this.stopped) {
        const take = this.takeRound();
        const end = this.pending.length > 0 ? (this.pending[0] as DispatchRequest).logOffset : this.pendingEnd;
        if (take.length === 0 && end <= this.dispatchedOffset) break; // all done, or the rest waits for the limit
        try {
          await this.writeRound(take, end);
        } catch (err) {
          this.pending.unshift(...take); // keep order; retry the same round
          this.blocks.clear(); // they took this round's entries: reload them from what LevelDB holds
          this.hooks.onError(err as Error);
          await new Promise((r) => setTimeout(r, RETRY_AFTER_ERROR_MS));
          continue;
        }
        this.releaseCapacity();
      }
    } finally {
      this.running = false;
      this.releaseCapacity();
      this.releaseIdle();
      const quiet = this.quietWaiters;
      this.quietWaiters = [];
      for (const w of quiet) w();
    }
  }

  private releaseIdle(): void {
    if (this.running || this.pending.length > 0 || this.dispatchedOffset !== this.pendingEnd) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async writeRound(requests: DispatchRequest[], endOffset: number): Promise<void> {
    const batch = this.kv.batch();
    const extBatch = this.extensions.length > 0 ? extensionBatch(batch) : undefined;
    const touched = new Map<string, ArrivedQueue>();
    // Records of one queue come in runs (a send batch goes to one queue): look a queue up once per run.
    let run: ArrivedQueue | undefined;
    // LevelDB copies each value on put, so records of one size share their size value.
    let sizeValue: Buffer = EMPTY_VALUE;
    let sizeOfValue = -1;
    let block: OpenBlock | undefined;
    for (const r of requests) {
      batch.put(cqKey(r.topic, r.queueId, r.queueOffset), encodeCqValue(r.logOffset, r.size, r.tagHash, r.storeTimestampMs));
      if (run === undefined || run.queueId !== r.queueId || run.topic !== r.topic) {
        const id = `${r.queueId}\u0000${r.topic}`;
        run = touched.get(id);
        if (!run) touched.set(id, (run = { topic: r.topic, queueId: r.queueId, maxOffset: 0 }));
        block = this.blocks.queue(r.topic, r.queueId);
        if (this.blocks.needsPriming(block, r.queueOffset)) await this.blocks.prime(block, r.queueOffset, this.kv);
      }
      this.blocks.add(block as OpenBlock, r, batch);
      if (r.size !== sizeOfValue) {
        sizeValue = u32Value(r.size);
        sizeOfValue = r.size;
      }
      if (r.messageId) batch.put(messageIdKey(r.messageId, r.logOffset), sizeValue);
      if (r.keys) for (const k of r.keys) if (k) batch.put(keyIndexKey(r.topic, k, r.storeTimestampMs, r.logOffset), sizeValue);
      if (extBatch) for (const ext of this.extensions) ext.onDispatch(r, extBatch);
      if (r.queueOffset + 1 > run.maxOffset) run.maxOffset = r.queueOffset + 1;
    }
    const arrived: ArrivedQueue[] = [];
    for (const q of touched.values()) {
      const next = Math.max(q.maxOffset, this.dispatched.get(q.topic, q.queueId));
      batch.put(queueOffsetKey(q.topic, q.queueId), u64Value(next));
      arrived.push({ topic: q.topic, queueId: q.queueId, maxOffset: next });
    }
    batch.put(metaKey(META_DISPATCHED_OFFSET), u64Value(endOffset));
    await batch.write();
    for (const q of arrived) this.dispatched.set(q.topic, q.queueId, q.maxOffset);
    this.hooks.onCommitted?.(requests);
    this.dispatchedOffset = endOffset;
    for (const ext of this.extensions) ext.onCommitted?.(requests);
    this.releaseOffsetWaiters();
    this.hooks.onDispatched(endOffset, requests.length);
    if (arrived.length > 0) this.hooks.onArrived(arrived);
  }

  /**
   * Takes up to MAX_DISPATCH_BATCH_RECORDS from the front, only records the limit allows; swaps the
   * array when it all goes. pendingEnd bounds every pending record's end, so while the limit is
   * unset or above it this costs one compare per round, not one per record.
   */
  private takeRound(): DispatchRequest[] {
    let n = Math.min(this.pending.length, MAX_DISPATCH_BATCH_RECORDS);
    if (this.limit !== undefined && this.pendingEnd > this.limit) n = this.allowedCount(n, this.limit);
    if (n === this.pending.length) {
      const all = this.pending;
      this.pending = [];
      return all;
    }
    return this.pending.splice(0, n);
  }

  /** How many records from the front, at most `max`, end at or before `limit`. */
  private allowedCount(max: number, limit: number): number {
    let n = 0;
    while (n < max) {
      const r = this.pending[n] as DispatchRequest;
      if (r.logOffset + r.size > limit) break;
      n++;
    }
    return n;
  }

  private releaseOffsetWaiters(): void {
    if (this.offsetWaiters.length === 0) return;
    const still: { offset: number; resolve: () => void }[] = [];
    for (const w of this.offsetWaiters) {
      if (w.offset <= this.dispatchedOffset) w.resolve();
      else still.push(w);
    }
    this.offsetWaiters = still;
  }

  private releaseCapacity(): void {
    if (this.pending.length >= this.maxBacklogRecords) return;
    const waiters = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const w of waiters) w();
  }
}
