/**
 * What replication needs from a store. Each port is a structural subset of @orbitmq/storage's
 * MessageStore, so an app passes its store as is; this lib never imports storage.
 */

/** One change of the replicated key-value state (same shape as storage's StateOp). 'clear' deletes gte <= k < lt. */
export type StateOp = { kind: 'put'; key: Buffer; value: Buffer } | { kind: 'del'; key: Buffer } | { kind: 'clear'; gte: Buffer; lt: Buffer };

/** <epoch, startOffset>: the log from startOffset on was written under this epoch. */
export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

export type FlushDiskType = 'ASYNC_FLUSH' | 'SYNC_FLUSH';

export interface StoreIdentity {
  /** A uuid made when the store was created. */
  storeId: string;
  segmentSizeBytes: number;
}

/** The offsets replication reads (the store reports more). */
export interface StoreOffsets {
  minOffset: number;
  /** End of what is written (page cache). */
  endOffset: number;
  /** End of what is fdatasync'd. */
  flushedOffset: number;
  /** End of what is indexed (consume queues). */
  dispatchedOffset: number;
}

export interface StoreWritten {
  endOffset: number;
}

export interface StoreStateChanged {
  ops: StateOp[];
  origin: 'local' | 'replicated';
}

export interface StoreFlushed {
  flushedOffset: number;
}

/** The store's event channel; `on` returns the unsubscribe. */
export interface StoreEventsPort {
  /** After each append batch, local or replicated. */
  on(event: 'written', listener: (e: StoreWritten) => void): () => void;
  on(event: 'stateChanged', listener: (e: StoreStateChanged) => void): () => void;
  on(event: 'flushed', listener: (e: StoreFlushed) => void): () => void;
}

interface StoreBasePort {
  readonly events: StoreEventsPort;
  identity(): StoreIdentity;
  stats(): StoreOffsets;
  epochs(): readonly EpochEntry[];
  /** CRC32 of whole-record bytes ending at endOffset, at most maxBytes of them. */
  tailDigest(endOffset: number, maxBytes?: number): Promise<{ fromOffset: number; crc32: number }>;
  applyState(ops: readonly StateOp[], opts?: { replaceAll?: boolean }): Promise<void>;
}

/** The master's store. */
export interface LeaderStore extends StoreBasePort {
  /** Whole records of one segment from fromOffset (at least one); an end-of-segment marker moves nextOffset to the next segment. */
  readRaw(fromOffset: number, maxBytes: number): Promise<{ bytes: Buffer; nextOffset: number }>;
  /** Visits the replicable state in chunks; resolves with the number of ops visited. */
  stateSnapshot(visit: (ops: StateOp[]) => Promise<void>, chunkBytes?: number): Promise<number>;
}

/** The replica's store. */
export interface FollowerStore extends StoreBasePort {
  /** Appends bytes read by the master's readRaw; must start at the local end (an empty store: any segment-aligned offset). Fsyncs in SYNC_FLUSH. */
  appendReplicated(fromOffset: number, bytes: Buffer): Promise<{ endOffset: number; records: number }>;
  appendEpoch(epoch: number, startOffset: number): Promise<void>;
  /** Cuts the log (and its indexes and epochs) at offset; offset === minOffset empties it. */
  truncateTo(offset: number): Promise<{ droppedBytes: number; droppedIndexedRecords: number }>;
  /** Per-store values that are not replicated. */
  getLocalMeta(name: string): Promise<Buffer | undefined>;
  setLocalMeta(name: string, value: Buffer): Promise<void>;
}

/** Local meta names the follower keeps in its store. */
export const META_MASTER_STORE_ID = 'masterStoreId';
export const META_CONFIRMED_OFFSET = 'confirmedOffset';
/** The highest offset this replica acknowledged as durable to a master (written before the ack is sent). */
export const META_ACKED_OFFSET = 'ackedOffset';

/** Timer functions; tests may inject their own. */
export interface ReplicationTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers, unref'd: replication alone does not keep a process alive. */
export const REAL_TIMERS: ReplicationTimers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
