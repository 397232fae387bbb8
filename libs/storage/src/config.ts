import * as path from 'node:path';
import { StorageError, StorageErrorCode } from './errors';
import { Limits } from './limits';
import { BLANK_BYTES } from './record-codec';

export type FlushDiskType = 'ASYNC_FLUSH' | 'SYNC_FLUSH';

/** Disk space as seen by statfs; injectable so tests can simulate a full disk. */
export interface DiskUsage {
  totalBytes: number;
  freeBytes: number;
}

/**
 * Store settings. Names follow RocketMQ's broker keys where one exists (in comments), with units
 * in our names. The broker maps its properties file onto this.
 */
export interface StoreConfig {
  /** storePathRootDir: holds checkpoint, abort marker and the LevelDB index directory. */
  rootDir: string;
  /** storePathCommitLog: defaults to <rootDir>/commitlog. */
  commitLogDir: string;
  /** mappedFileSizeCommitLog. */
  segmentSizeBytes: number;
  /** flushDiskType. */
  flushDiskType: FlushDiskType;
  /** flushIntervalCommitLog (ASYNC_FLUSH only). */
  flushIntervalMs: number;
  /** maxMessageSize plus record overhead; a record larger than this is refused. */
  maxRecordBytes: number;
  /** Appends waiting for the writer; beyond this, append fails with APPEND_QUEUE_FULL. */
  maxPendingAppends: number;
  /** Bytes the writer coalesces into one positional write. */
  maxWriteBatchBytes: number;
  /** Records written but not yet indexed; the writer pauses when the dispatcher is this far behind. */
  maxDispatchBacklogRecords: number;
  /** fileReservedTime, in hours. */
  fileReservedTimeHours: number;
  /** deleteWhen: hours of the day ("04", "01;13") when expired segments are deleted. */
  deleteWhenHours: number[];
  /** diskMaxUsedSpaceRatio (percent): above it, delete the oldest segments even if not expired. */
  diskMaxUsedSpaceRatio: number;
  /**
   * diskSpaceWarningLevelRatio (percent, RocketMQ: 90): an append that would take disk use past it
   * is refused with DISK_FULL (checked on the append path, see DiskGuard).
   */
  diskFullRatio: number;
  /** Bytes of the volume that always stay free: an append that would leave less is refused. */
  diskReserveBytes: number;
  /** How often the disk guard measures the volume (statfs), in ms. */
  diskCheckIntervalMs: number;
  /** Bytes written since the last measurement after which the guard measures again at once. */
  diskCheckAfterBytes: number;
  /**
   * cleanFileForciblyEnable: above diskMaxUsedSpaceRatio, also delete segments holding messages a
   * consumer group has not consumed (reported per group). Off: such segments are kept and the
   * disk guard refuses appends instead. RocketMQ defaults it to true; we default to false.
   */
  cleanFileForciblyEnable: boolean;
  /** How often retention runs (cleanResourceInterval), in ms. */
  cleanIntervalMs: number;
  /** How often the checkpoint file is rewritten (also written on every flush in async mode). */
  checkpointIntervalMs: number;
  /** Disk usage probe; default statfs on commitLogDir. */
  diskUsage?: (dir: string) => Promise<DiskUsage>;
  /** Clock, injectable for retention tests. */
  nowMs?: () => number;
}

export type StoreConfigInput = Partial<StoreConfig> & { rootDir: string };

/** Keys that may change while the store runs: retention and the disk guard read them at each pass. */
export const LIVE_STORE_KEYS = ['fileReservedTimeHours', 'deleteWhenHours', 'diskMaxUsedSpaceRatio', 'diskFullRatio', 'cleanFileForciblyEnable'] as const;
export type LiveStoreConfig = Pick<StoreConfig, (typeof LIVE_STORE_KEYS)[number]>;

/**
 * Applies `patch` to the running store's `config` in place (retention and the disk guard hold this
 * same object and read it at each pass), after validating the result as a whole: a bad value or a
 * key outside LIVE_STORE_KEYS throws INVALID_CONFIG and nothing changes. Returns the live values.
 */
export function applyLiveChanges(config: StoreConfig, patch: Partial<LiveStoreConfig>): LiveStoreConfig {
  const next = withLiveChanges(config, patch);
  for (const key of LIVE_STORE_KEYS) (config as unknown as Record<string, unknown>)[key] = next[key];
  return Object.fromEntries(LIVE_STORE_KEYS.map((k) => [k, config[k]])) as unknown as LiveStoreConfig;
}

function withLiveChanges(current: StoreConfig, patch: Partial<LiveStoreConfig>): StoreConfig {
  for (const key of Object.keys(patch)) {
    if (!(LIVE_STORE_KEYS as readonly string[]).includes(key)) fail(key, (patch as Record<string, unknown>)[key], 'cannot change while the store runs');
  }
  const next = { ...current, ...stripUndefined(patch) };
  validate(next);
  return next;
}

export const STORE_DEFAULTS = {
  segmentSizeBytes: 1024 * 1024 * 1024,
  flushDiskType: 'ASYNC_FLUSH' as FlushDiskType,
  flushIntervalMs: 500,
  maxRecordBytes: 4 * 1024 * 1024 + 64 * 1024,
  maxPendingAppends: 100_000,
  maxWriteBatchBytes: 4 * 1024 * 1024,
  maxDispatchBacklogRecords: 200_000,
  fileReservedTimeHours: 72,
  deleteWhenHours: [4],
  diskMaxUsedSpaceRatio: 75,
  diskFullRatio: 90,
  diskReserveBytes: 64 * 1024 * 1024,
  diskCheckIntervalMs: 1_000,
  diskCheckAfterBytes: 16 * 1024 * 1024,
  cleanFileForciblyEnable: false,
  cleanIntervalMs: 10_000,
  checkpointIntervalMs: 1_000,
};

export function resolveStoreConfig(input: StoreConfigInput): StoreConfig {
  const cfg: StoreConfig = {
    ...STORE_DEFAULTS,
    commitLogDir: path.join(input.rootDir, 'commitlog'),
    ...stripUndefined(input),
    rootDir: input.rootDir,
  };
  validate(cfg);
  return cfg;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function fail(key: string, value: unknown, why: string): never {
  throw new StorageError(StorageErrorCode.INVALID_CONFIG, `invalid store config ${key}=${String(value)}: ${why}`);
}

function positiveInt(cfg: StoreConfig, key: keyof StoreConfig, min = 1, max = Number.MAX_SAFE_INTEGER): void {
  const v = cfg[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    fail(key, v, `must be an integer in [${min}, ${max}]`);
  }
}

function validate(cfg: StoreConfig): void {
  if (!cfg.rootDir) fail('rootDir', cfg.rootDir, 'is required');
  if (cfg.flushDiskType !== 'ASYNC_FLUSH' && cfg.flushDiskType !== 'SYNC_FLUSH') {
    fail('flushDiskType', cfg.flushDiskType, 'must be ASYNC_FLUSH or SYNC_FLUSH');
  }
  positiveInt(cfg, 'maxRecordBytes', 256, Limits.maxRecordBytesCeiling);
  // A segment must hold at least one maximal record plus the end-of-segment marker.
  positiveInt(cfg, 'segmentSizeBytes', cfg.maxRecordBytes + BLANK_BYTES, 0xffff_ffff);
  positiveInt(cfg, 'flushIntervalMs', 1, 60_000);
  positiveInt(cfg, 'maxPendingAppends', 1);
  positiveInt(cfg, 'maxWriteBatchBytes', 4096, 256 * 1024 * 1024);
  positiveInt(cfg, 'maxDispatchBacklogRecords', 1);
  positiveInt(cfg, 'fileReservedTimeHours', 0, 24 * 365 * 10);
  positiveInt(cfg, 'diskMaxUsedSpaceRatio', 10, 95);
  positiveInt(cfg, 'diskFullRatio', 10, 99);
  positiveInt(cfg, 'diskReserveBytes', 0);
  positiveInt(cfg, 'diskCheckIntervalMs', 10, 60_000);
  positiveInt(cfg, 'diskCheckAfterBytes', 4096);
  if (typeof cfg.cleanFileForciblyEnable !== 'boolean') fail('cleanFileForciblyEnable', cfg.cleanFileForciblyEnable, 'must be true or false');
  positiveInt(cfg, 'cleanIntervalMs', 10);
  positiveInt(cfg, 'checkpointIntervalMs', 10);
  if (!Array.isArray(cfg.deleteWhenHours) || cfg.deleteWhenHours.some((h) => !Number.isInteger(h) || h < 0 || h > 23)) {
    fail('deleteWhenHours', cfg.deleteWhenHours, 'must be hours 0-23');
  }
}

/** Parses RocketMQ's deleteWhen value: "04" or "01;13". */
export function parseDeleteWhen(value: string): number[] {
  const hours = value
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number(s));
  if (hours.length === 0 || hours.some((h) => !Number.isInteger(h) || h < 0 || h > 23)) {
    throw new StorageError(StorageErrorCode.INVALID_CONFIG, `invalid deleteWhen=${value}: expected hours 0-23 separated by ';'`);
  }
  return hours;
}
