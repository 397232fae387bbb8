import type { CommitLog } from './commit-log';
import type { DiskUsage, StoreConfig } from './config';
import type { ConsumeQueues } from './consume-queue';
import { type DiskGuard, usedPercentOf } from './disk-guard';
import type { StoreEvents } from './events';
import { pruneIndexesBelow } from './index-pruning';
import type { Kv } from './kv';
import type { QueueTable } from './queue-table';
import { type ConsumerClaims, countUnconsumed, loadConsumerClaims } from './unconsumed';

/** Why a segment was deleted. */
export type DeleteReason = 'expired' | 'disk-pressure';

interface RetentionPolicy {
  fileReservedTimeHours: number;
  deleteWhenHours: number[];
  diskMaxUsedSpaceRatio: number;
  cleanFileForciblyEnable: boolean;
}

interface DeletedSegment {
  startOffset: number;
  endOffset: number;
  reason: DeleteReason;
  /** Set when a segment holding unconsumed messages was deleted (cleanFileForciblyEnable). */
  unconsumedByGroup?: Record<string, number>;
}

interface RetentionOutcome {
  diskUsedPercent: number;
  deleted: DeletedSegment[];
  /** Pressure wanted this segment gone, but groups have not consumed it (not forcibly). */
  blocked?: { startOffset: number; unconsumedByGroup: Record<string, number> };
}

/** What a pass reads besides the log. */
interface PassInputs {
  kv: Kv;
  dispatched: QueueTable;
  dispatchedOffset: () => number;
  diskUsage: () => Promise<DiskUsage>;
}

/** Most segments one pass deletes, so a pass never stalls the store for long (RocketMQ: 10). */
const MAX_SEGMENTS_DELETED_PER_PASS = 10;

/**
 * One retention pass, RocketMQ's rules: at a `deleteWhen` hour delete segments whose last write is
 * older than fileReservedTime; whenever disk use is above diskMaxUsedSpaceRatio delete the oldest
 * segments regardless of age, but a segment holding messages some consumer group has not consumed
 * only with cleanFileForciblyEnable (otherwise the pass stops there and the disk guard refuses
 * writes instead). Oldest first, never the active segment, at most MAX_SEGMENTS_DELETED_PER_PASS.
 * The caller prunes indexes below the new minimum afterwards.
 */
async function retentionPass(log: CommitLog, policy: RetentionPolicy, nowMs: number, inputs: PassInputs): Promise<RetentionOutcome> {
  let used = usedPercentOf(await inputs.diskUsage());
  const out: RetentionOutcome = { diskUsedPercent: used, deleted: [] };
  const deleteHour = policy.deleteWhenHours.includes(new Date(nowMs).getHours());
  const reservedMs = policy.fileReservedTimeHours * 3_600_000;
  let claims: ConsumerClaims | undefined;
  for (const seg of await log.inactiveSegments()) {
    if (out.deleted.length >= MAX_SEGMENTS_DELETED_PER_PASS) break;
    const pressure = used >= policy.diskMaxUsedSpaceRatio;
    const expired = deleteHour && seg.mtimeMs + reservedMs <= nowMs;
    if (!(pressure || expired)) break; // later segments are newer
    const endOffset = seg.startOffset + log.segmentSizeBytes;
    let forced: Record<string, number> | undefined;
    if (!expired) {
      // Not yet indexed: whose messages these are is unknown, so they count as unconsumed.
      if (endOffset > inputs.dispatchedOffset() && !policy.cleanFileForciblyEnable) {
        out.blocked = { startOffset: seg.startOffset, unconsumedByGroup: {} };
        break;
      }
      claims ??= await loadConsumerClaims(inputs.kv);
      const unconsumed = await countUnconsumed(inputs.kv, claims, inputs.dispatched, seg.startOffset, endOffset);
      if (Object.keys(unconsumed).length > 0) {
        if (!policy.cleanFileForciblyEnable) {
          out.blocked = { startOffset: seg.startOffset, unconsumedByGroup: unconsumed };
          break;
        }
        forced = unconsumed;
      }
    }
    await log.deleteOldest();
    out.deleted.push({
      startOffset: seg.startOffset,
      endOffset,
      reason: expired ? 'expired' : 'disk-pressure',
      ...(forced ? { unconsumedByGroup: forced } : {}),
    });
    if (pressure) used = usedPercentOf(await inputs.diskUsage());
  }
  out.diskUsedPercent = used;
  return out;
}

interface RetentionLoopDeps {
  log: CommitLog;
  kv: Kv;
  /** The dispatcher's queue table: the queues whose consume-queue entries get pruned. */
  dispatched: QueueTable;
  /** Everything below this log offset is indexed. */
  dispatchedOffset: () => number;
  queues: ConsumeQueues;
  config: StoreConfig;
  events: StoreEvents;
  /** Refuses appends near a full disk; measured again after segments are deleted. */
  guard: DiskGuard;
  diskUsage: () => Promise<DiskUsage>;
}

/**
 * Runs retention passes every cleanIntervalMs. When a pass deletes segments, the indexes pointing
 * below the new oldest offset are pruned and the disk guard measures again at once, so appends
 * resume as soon as the space is there.
 */
export class RetentionLoop {
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: RetentionLoopDeps) {}

  start(): void {
    this.timer = setInterval(() => void this.run(), this.deps.config.cleanIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass now; a call while a pass runs waits for that pass. Failures are reported, not thrown. */
  run(): Promise<void> {
    if (!this.running) {
      this.running = this.runOnce()
        .catch((error: Error) => this.deps.events.emit('backgroundError', { task: 'retention', error }))
        .finally(() => (this.running = undefined));
    }
    return this.running;
  }

  /** Resolves once the pass in progress, if any, has finished. */
  async whenIdle(): Promise<void> {
    await this.running;
  }

  private async runOnce(): Promise<void> {
    const { log, config, events, guard } = this.deps;
    const outcome = await retentionPass(log, config, (config.nowMs ?? Date.now)(), this.deps);
    if (outcome.blocked) {
      events.emit('pressureDeletionBlocked', { ...outcome.blocked, usedPercent: outcome.diskUsedPercent, limitPercent: config.diskMaxUsedSpaceRatio });
    }
    for (const d of outcome.deleted) {
      events.emit('segmentDeleted', { startOffset: d.startOffset, reason: d.reason });
      if (d.unconsumedByGroup) {
        events.emit('forcedDeletion', {
          startOffset: d.startOffset,
          endOffset: d.endOffset,
          usedPercent: outcome.diskUsedPercent,
          unconsumedByGroup: d.unconsumedByGroup,
        });
      }
    }
    if (outcome.deleted.length > 0) {
      const minOffset = log.minOffset;
      const removed = await pruneIndexesBelow(this.deps.kv, this.deps.dispatched, minOffset);
      this.deps.queues.forget();
      events.emit('indexesPruned', { minOffset, consumeQueueEntries: removed });
    }
    await guard.check();
    events.emit('diskUsage', { usedPercent: outcome.diskUsedPercent, diskFull: guard.state === 'refusing' });
  }
}
