import * as fs from 'node:fs';
import type { CommitLog } from './commit-log';
import type { DiskUsage, StoreConfig } from './config';
import type { ConsumeQueues } from './consume-queue';
import type { StoreEvents } from './events';
import { pruneIndexesBelow } from './index-pruning';
import type { Kv } from './kv';
import type { QueueTable } from './queue-table';

/** Why a segment was deleted. */
export type DeleteReason = 'expired' | 'disk-pressure';

interface RetentionPolicy {
  fileReservedTimeHours: number;
  deleteWhenHours: number[];
  diskMaxUsedSpaceRatio: number;
  diskFullRatio: number;
}

interface RetentionOutcome {
  diskUsedPercent: number;
  diskFull: boolean;
  deleted: { startOffset: number; reason: DeleteReason }[];
}

/** Most segments one pass deletes, so a pass never stalls the store for long (RocketMQ: 10). */
const MAX_SEGMENTS_DELETED_PER_PASS = 10;

/**
 * Disk use as df and RocketMQ compute it: used = blocks - free, and the whole is used + what an
 * unprivileged writer can still get (root-reserved blocks count as neither).
 */
async function statfsUsage(dir: string): Promise<DiskUsage> {
  const st = await fs.promises.statfs(dir);
  const usedBytes = (st.blocks - st.bfree) * st.bsize;
  const availableBytes = st.bavail * st.bsize;
  return { totalBytes: usedBytes + availableBytes, freeBytes: availableBytes };
}

function usedPercent(u: DiskUsage): number {
  return u.totalBytes > 0 ? ((u.totalBytes - u.freeBytes) / u.totalBytes) * 100 : 0;
}

/**
 * One retention pass, RocketMQ's rules: at a `deleteWhen` hour delete segments whose last write is
 * older than fileReservedTime; whenever disk use is above diskMaxUsedSpaceRatio delete the oldest
 * segments regardless of age. Oldest first, never the active segment, at most
 * MAX_SEGMENTS_DELETED_PER_PASS. The caller prunes indexes below the new minimum afterwards.
 */
async function retentionPass(log: CommitLog, policy: RetentionPolicy, nowMs: number, diskUsage: () => Promise<DiskUsage>): Promise<RetentionOutcome> {
  let used = usedPercent(await diskUsage());
  const deleted: RetentionOutcome['deleted'] = [];
  const deleteHour = policy.deleteWhenHours.includes(new Date(nowMs).getHours());
  const reservedMs = policy.fileReservedTimeHours * 3_600_000;
  for (const seg of await log.inactiveSegments()) {
    if (deleted.length >= MAX_SEGMENTS_DELETED_PER_PASS) break;
    const pressure = used >= policy.diskMaxUsedSpaceRatio;
    const expired = seg.mtimeMs + reservedMs <= nowMs;
    if (!(pressure || (deleteHour && expired))) break; // later segments are newer
    await log.deleteOldest();
    deleted.push({ startOffset: seg.startOffset, reason: pressure ? 'disk-pressure' : 'expired' });
    if (pressure) used = usedPercent(await diskUsage());
  }
  return { diskUsedPercent: used, diskFull: used >= policy.diskFullRatio, deleted };
}

interface RetentionLoopDeps {
  log: CommitLog;
  kv: Kv;
  /** The dispatcher's queue table: the queues whose consume-queue entries get pruned. */
  dispatched: QueueTable;
  queues: ConsumeQueues;
  config: StoreConfig;
  events: StoreEvents;
}

/**
 * Runs retention passes every cleanIntervalMs and keeps the last disk reading, which refuses
 * appends once disk use reaches diskFullRatio. When a pass deletes segments, the indexes pointing
 * below the new oldest offset are pruned.
 */
export class RetentionLoop {
  private lastUsedPercent = 0;
  private full = false;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: RetentionLoopDeps) {}

  get diskUsedPercent(): number {
    return this.lastUsedPercent;
  }

  get diskFull(): boolean {
    return this.full;
  }

  /** Reads disk use without deleting anything (at open, before appends are accepted). */
  async probeDisk(): Promise<void> {
    this.lastUsedPercent = usedPercent(await this.diskUsage());
    this.full = this.lastUsedPercent >= this.deps.config.diskFullRatio;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.run().catch((error: Error) => this.deps.events.emit('backgroundError', { task: 'retention', error }));
    }, this.deps.config.cleanIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass now; a call while a pass runs waits for that pass. */
  run(): Promise<void> {
    if (!this.running) this.running = this.runOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves once the pass in progress, if any, has finished. */
  async whenIdle(): Promise<void> {
    await this.running;
  }

  private diskUsage(): Promise<DiskUsage> {
    return (this.deps.config.diskUsage ?? statfsUsage)(this.deps.config.commitLogDir);
  }

  private async runOnce(): Promise<void> {
    const { log, config, events } = this.deps;
    const outcome = await retentionPass(log, config, (config.nowMs ?? Date.now)(), () => this.diskUsage());
    this.lastUsedPercent = outcome.diskUsedPercent;
    this.full = outcome.diskFull;
    events.emit('diskUsage', { usedPercent: outcome.diskUsedPercent, diskFull: outcome.diskFull });
    for (const d of outcome.deleted) events.emit('segmentDeleted', d);
    if (outcome.deleted.length === 0) return;
    const minOffset = log.minOffset;
    const removed = await pruneIndexesBelow(this.deps.kv, this.deps.dispatched, minOffset);
    this.deps.queues.forget();
    events.emit('indexesPruned', { minOffset, consumeQueueEntries: removed });
  }
}
