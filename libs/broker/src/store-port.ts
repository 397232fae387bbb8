/**
 * What the broker needs from its store. libs/broker may not import @orbitmq/storage (only the
 * broker-store and ha-replicator apps may), so it names the operations it uses here; the app passes
 * the real MessageStore, and TypeScript's structural typing checks at compile time that it fits.
 */
export interface StoreAppend {
  topic: string;
  queueId: number;
  sysFlag?: number;
  bornTimestampMs: number;
  reconsumeTimes?: number;
  messageId: string;
  tag?: string;
  keys?: readonly string[];
  properties?: Buffer;
  body: Buffer;
}

export interface StoreAppendResult {
  logOffset: number;
  size: number;
  queueOffset: number;
  storeTimestampMs: number;
}

export interface StoreRecord {
  queueId: number;
  sysFlag: number;
  queueOffset: number;
  physicalOffset: number;
  bornTimestampMs: number;
  storeTimestampMs: number;
  reconsumeTimes: number;
  topic: string;
  messageId: string;
  tag: string;
  keys: string[];
  properties: Buffer;
  body: Buffer;
  /** CRC-32 (zlib) of the body when the store verified the record on this read. */
  bodyCrc32?: number;
}

export interface StoreQueueEntry {
  queueOffset: number;
  logOffset: number;
  size: number;
  tagHash: number;
  storeTimestampMs: number;
}

export interface StoreQueueRead {
  status: 'FOUND' | 'OFFSET_TOO_SMALL' | 'OFFSET_OVERFLOW' | 'NO_NEW_MESSAGES';
  entries: StoreQueueEntry[];
  nextOffset: number;
  minOffset: number;
  maxOffset: number;
}

export interface StoreMetadata {
  get(namespace: string, key: Buffer | string): Promise<Buffer | undefined>;
  put(namespace: string, key: Buffer | string, value: Buffer): Promise<void>;
  delete(namespace: string, key: Buffer | string): Promise<void>;
  batch(
    ops: readonly ({ type: 'put'; namespace: string; key: Buffer | string; value: Buffer } | { type: 'del'; namespace: string; key: Buffer | string })[],
  ): Promise<void>;
  list(namespace: string, opts?: { from?: Buffer | string; to?: Buffer | string; limit?: number }): Promise<{ key: Buffer; value: Buffer }[]>;
}

export interface StoreStatsView {
  minOffset: number;
  endOffset: number;
  flushedOffset: number;
  dispatchedOffset: number;
  pendingAppends: number;
  dispatchBacklogRecords: number;
  diskUsedPercent: number;
  diskFull: boolean;
}

export interface StoreFound {
  logOffset: number;
  size: number;
  record: StoreRecord;
}

/** A record as dispatch hands it to extensions (storage's DispatchRequest, the fields we use). */
export interface StoreDispatchRequest {
  topic: string;
  queueId: number;
  logOffset: number;
  size: number;
  storeTimestampMs: number;
  sysFlag: number;
  messageId: string;
  properties: Buffer;
}

/** Writes an extension adds to a dispatch round's LevelDB batch (metadata namespaces). */
export interface StoreExtensionBatch {
  put(namespace: string, key: Buffer, value: Buffer): void;
  del(namespace: string, key: Buffer): void;
}

/** Storage's DispatchExtension: indexes kept in step with the commit log (timer, transactions). */
export interface StoreDispatchExtension {
  readonly name: string;
  onDispatch(req: StoreDispatchRequest, batch: StoreExtensionBatch): void;
  onCommitted?(requests: readonly StoreDispatchRequest[]): void;
  onTruncate?(endOffset: number, metadata: StoreMetadata): Promise<void>;
}

export interface StorePort {
  findByMessageId(messageId: string, maxResults?: number): Promise<StoreFound[]>;
  findByKey(topic: string, key: string, query?: { beginTimestampMs?: number; endTimestampMs?: number; maxResults?: number }): Promise<StoreFound[]>;
  deleteTopic(topic: string): Promise<void>;
  appendBatch(messages: readonly StoreAppend[]): Promise<StoreAppendResult[]>;
  /** Resolves once every record before `logOffset` is indexed (extensions included). */
  whenDispatched(logOffset?: number): Promise<void>;
  getMessage(logOffset: number, size: number): Promise<StoreRecord>;
  /** The record starting at logOffset, its size read from the log (4.x addresses records so). */
  getMessageAt(logOffset: number): Promise<StoreRecord>;
  /**
   * Several records in the order asked; neighbours in the log share one read. `opts.allocate`
   * supplies the read buffers (records are views into them: the caller reuses a buffer only when
   * done with every record from it).
   */
  getMessages(locations: readonly { logOffset: number; size: number }[], opts?: { allocate?: (bytes: number) => Buffer }): Promise<StoreRecord[]>;
  readQueue(
    topic: string,
    queueId: number,
    fromOffset: number,
    maxCount: number,
    opts?: { tags?: Iterable<string>; maxScanEntries?: number },
  ): Promise<StoreQueueRead>;
  getMinQueueOffset(topic: string, queueId: number): Promise<number>;
  getMaxQueueOffset(topic: string, queueId: number): number;
  getQueueOffsetByTime(topic: string, queueId: number, timestampMs: number): Promise<number>;
  getConsumerOffset(group: string, topic: string, queueId: number): Promise<number | undefined>;
  setConsumerOffset(group: string, topic: string, queueId: number, offset: number): Promise<void>;
  readonly metadata: StoreMetadata;
  readonly events: { on(event: 'arrived', listener: (queues: { topic: string; queueId: number; maxOffset: number }[]) => void): () => void };
  stats(): StoreStatsView;
  commitLogBytes(): Promise<number>;
}
