import * as fs from 'node:fs';
import type { CommitLog } from './commit-log';
import type { DiskUsage } from './config';

/** Why a segment was deleted. */
export type DeleteReason = 'expired' | 'disk-pressure';

export interface RetentionPolicy {
  fileReservedTimeHours: number;
  deleteWhenHours: number[];
  diskMaxUsedSpaceRatio: number;
  diskFullRatio: number;
}

export interface RetentionOutcome {
  diskUsedPercent: number;
  diskFull: boolean;
  deleted: { startOffset: number; reason: DeleteReason }[];
}

/** Most segments one pass deletes, so a pass never stalls the store for long (RocketMQ: 10). */
export const MAX_SEGMENTS_DELETED_PER_PASS = 10;

/**
 * Disk use as df and RocketMQ compute it: used = blocks - free, and the whole is used + what an
 * unprivileged writer can still get (root-reserved blocks count as neither).
 */
export async function statfsUsage(dir: string): Promise<DiskUsage> {
  const st = await fs.promises.statfs(dir);
  const usedBytes = (st.blocks - st.bfree) * st.bsize;
  const availableBytes = st.bavail * st.bsize;
  return { totalBytes: usedBytes + availableBytes, freeBytes: availableBytes };
}

export function usedPercent(u: DiskUsage): number {
  return u.totalBytes > 0 ? ((u.totalBytes - u.freeBytes) / u.totalBytes) * 100 : 0;
}

/**
 * One retention pass, RocketMQ's rules: at a `deleteWhen` hour delete segments whose last write is
 * older than fileReservedTime; whenever disk use is above diskMaxUsedSpaceRatio delete the oldest
 * segments regardless of age. Oldest first, never the active segment, at most
 * MAX_SEGMENTS_DELETED_PER_PASS. The caller prunes indexes below the new minimum afterwards.
 */
export async function retentionPass(
  log: CommitLog,
  policy: RetentionPolicy,
  nowMs: number,
  diskUsage: () => Promise<DiskUsage>,
): Promise<RetentionOutcome> {
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
