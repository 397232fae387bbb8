/**
 * @orbitmq/storage — the commit log and its LevelDB indexes. No network, no logging, no metrics:
 * the store reports through `store.events`, and apps turn that into logs and gauges.
 */
export { MessageStore, type StoreStats, type OpenOptions } from './message-store';
export { type StoreConfig, type StoreConfigInput, type FlushDiskType, type DiskUsage, STORE_DEFAULTS, resolveStoreConfig, parseDeleteWhen, LIVE_STORE_KEYS, type LiveStoreConfig } from './config';
export { StorageError, StorageErrorCode, isStorageError } from './errors';
export { type StoreEventMap, type StoreEventName, StoreEvents } from './events';
export type { DiskGuardState } from './disk-guard';
export type { AppendResult } from './append-writer';
export type { AppendMessage, StoredRecord } from './record-codec';
export type { QueueRead, QueueReadStatus, QueueReadOptions } from './consume-queue';
export type { ReadBufferOptions } from './log-reader';
export type { CqEntry } from './keys';
export type { DispatchExtension, DispatchRequest, ExtensionBatch, ArrivedQueue } from './dispatch';
export type { KvBatch, Kv } from './kv';
export type { FoundMessage, KeyQuery } from './message-index';
export type { ConsumerOffsetEntry, MetadataOp, Metadata } from './metadata';
export type { RecoveryReport } from './recovery';
export type { StateOp } from './state-sync';
export type { EpochEntry } from './epochs';
export { tagHash } from './tag-hash';
export { Limits, KEY_SEPARATOR } from './limits';
