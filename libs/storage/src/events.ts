import { EventEmitter } from 'node:events';
import type { ArrivedQueue } from './dispatch';
import type { RecoveryReport } from './recovery';
import type { DeleteReason } from './retention';

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
  /** After each disk check. */
  diskUsage: { usedPercent: number; diskFull: boolean };
  /** Indexes below the new minimum offset were removed after retention. */
  indexesPruned: { minOffset: number; consumeQueueEntries: number };
  /** A background task failed; the store retries or stays degraded, and says which. */
  backgroundError: { task: string; error: Error };
}

export type StoreEventName = keyof StoreEventMap;

export class StoreEvents {
  private readonly emitter = new EventEmitter();

  on<K extends StoreEventName>(event: K, listener: (payload: StoreEventMap[K]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  once<K extends StoreEventName>(event: K, listener: (payload: StoreEventMap[K]) => void): void {
    this.emitter.once(event, listener);
  }

  emit<K extends StoreEventName>(event: K, payload: StoreEventMap[K]): void {
    if (this.emitter.listenerCount(event) > 0) this.emitter.emit(event, payload);
  }
}
