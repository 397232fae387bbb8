import { TypedEvents } from '@orbitmq/events';
import type { ArrivedQueue } from './dispatch';
import type { RecoveryReport } from './recovery';
import type { DiskGuardState } from './disk-guard';
import type { DeleteReason } from './retention';
import type { StateOp } from './state-sync';

/**
 * Everything the store reports. Storage has no logger or metrics registry: apps subscribe and turn
 * these into log lines and gauges.
 */
export interface StoreEventMap {
  /** Once per open, after recovery and before the store accepts appends. */
  recovered: RecoveryReport;
  /** New entries are visible in these queues (wake long polls). */
  arrived: ArrivedQueue[];
  segmentRolled: { startOffset: number };
  segmentDeleted: { startOffset: number; reason: DeleteReason };
  /** After each flush (ASYNC) or checkpoint (SYNC); lagBytes = written but not yet synced. */
  flushed: { flushedOffset: number; lagBytes: number; durationMs: number };
  /** After each dispatch round; lagBytes = written but not yet indexed. */
  dispatched: { dispatchedOffset: number; lagBytes: number; records: number };
  /** After each retention pass: disk use as measured, and whether the disk guard refuses appends. */
  diskUsage: { usedPercent: number; diskFull: boolean };
  /**
   * The disk guard switched: 'refusing' (appends fail with DISK_FULL; `message` is what callers
   * are told) or 'accepting' again. usedPercent counts bytes written or queued since the last
   * statfs; limitPercent is diskFullRatio.
   */
  diskGuard: { state: DiskGuardState; usedPercent: number; limitPercent: number; freeBytes: number; reserveBytes: number; message: string };
  /**
   * Disk pressure (diskMaxUsedSpaceRatio) wanted the oldest segment gone, but it holds messages
   * consumer groups have not consumed and cleanFileForciblyEnable is off: it is kept.
   */
  pressureDeletionBlocked: { startOffset: number; usedPercent: number; limitPercent: number; unconsumedByGroup: Record<string, number> };
  /**
   * cleanFileForciblyEnable: a segment holding unconsumed messages was deleted under disk
   * pressure; per group, how many messages it had not consumed are gone.
   */
  forcedDeletion: { startOffset: number; endOffset: number; usedPercent: number; unconsumedByGroup: Record<string, number> };
  /** Indexes below the new minimum offset were removed after retention. */
  indexesPruned: { minOffset: number; consumeQueueEntries: number };
  /** A background task failed; the store retries or stays degraded, and says which. */
  backgroundError: { task: string; error: Error };
  /**
   * Bytes reached the log (local write batch or replicated append), synced first in SYNC_FLUSH.
   * A replication leader wakes on it; not yet dispatched, so not necessarily visible.
   */
  written: { endOffset: number };
  /** truncateTo cut the log: the tail [toOffset, fromEndOffset) and its index entries are gone. */
  truncated: { fromEndOffset: number; toOffset: number; droppedBytes: number; droppedIndexedRecords: number };
  /**
   * Replicable state (consumer offsets, metadata namespaces) changed and is committed: 'local'
   * for writes through store.metadata, 'replicated' for applyState. Dispatch-extension writes
   * are not reported (a replica rebuilds them by dispatching the same records).
   */
  stateChanged: { ops: StateOp[]; origin: 'local' | 'replicated' };
}

export type StoreEventName = keyof StoreEventMap;

/** The store's event channel (see @orbitmq/events). */
export class StoreEvents extends TypedEvents<StoreEventMap> {}
