import * as fs from 'node:fs';
import type { DiskUsage } from './config';
import { StorageError, StorageErrorCode } from './errors';
import type { StoreEvents } from './events';

/** The guard's limits (StoreConfig fields of the same names). */
export interface DiskGuardLimits {
  /** Percent of the volume that may be used; an append that would cross it is refused. */
  diskFullRatio: number;
  /** Bytes that always stay free: an append that would leave less is refused. */
  diskReserveBytes: number;
  /** How often the volume is measured (statfs). */
  diskCheckIntervalMs: number;
  /** Bytes written since the last measurement that trigger a new one at once. */
  diskCheckAfterBytes: number;
  /** Largest record: after a refusal, appends resume once at least this much fits again. */
  maxRecordBytes: number;
}

export type DiskGuardState = 'accepting' | 'refusing';

/** What the guard reads from the writer. */
export interface DiskGuardWriter {
  /** Bytes queued or being written, not yet written (they are not on disk yet). */
  outstandingBytes(): number;
}

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

export function usedPercentOf(u: DiskUsage): number {
  return u.totalBytes > 0 ? ((u.totalBytes - u.freeBytes) / u.totalBytes) * 100 : 0;
}

const MIB = 1024 * 1024;

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

/**
 * Refuses appends before the disk fills, on the append path itself. The volume is measured every
 * diskCheckIntervalMs, and at once when diskCheckAfterBytes were written since the last
 * measurement. Between measurements the guard adds what was written since (and what is queued or
 * in flight) to the last reading, so a burst cannot pass the limit: an append is admitted only if
 * used + written since + outstanding + its own bytes stays within diskFullRatio of the volume AND
 * leaves diskReserveBytes free. The first refusal switches the guard to 'refusing' (every append
 * fails with DISK_FULL); a later measurement that finds room for a maximal record (maxRecordBytes)
 * under both limits switches it back. Each switch emits 'diskGuard'.
 */
export class DiskGuard {
  private usage: DiskUsage = { totalBytes: 0, freeBytes: 0 };
  private written = 0;
  private writtenAtCheck = 0;
  private current: DiskGuardState = 'accepting';
  private checking: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refusedAppends = 0;
  private stopped = false;

  constructor(
    private readonly limits: DiskGuardLimits,
    private readonly probe: () => Promise<DiskUsage>,
    private readonly writer: DiskGuardWriter,
    private readonly events: StoreEvents,
  ) {}

  get state(): DiskGuardState {
    return this.current;
  }

  /** Percent used at the last measurement. */
  get measuredUsedPercent(): number {
    return usedPercentOf(this.usage);
  }

  /** Appends refused by the guard since the store opened. */
  get refused(): number {
    return this.refusedAppends;
  }

  /** Bytes the volume may hold under both limits. */
  private capacityBytes(): number {
    const { totalBytes } = this.usage;
    return Math.min((totalBytes * this.limits.diskFullRatio) / 100, totalBytes - this.limits.diskReserveBytes);
  }

  /** Used bytes as of now: the last reading plus what was written since and what is on its way. */
  private projectedUsedBytes(): number {
    return this.usage.totalBytes - this.usage.freeBytes + (this.written - this.writtenAtCheck) + this.writer.outstandingBytes();
  }

  /** Throws DISK_FULL unless `bytes` more fit under both limits. */
  admit(bytes: number): void {
    if (this.current === 'accepting' && this.projectedUsedBytes() + bytes <= this.capacityBytes()) return;
    this.refusedAppends++;
    if (this.current === 'accepting') this.switchTo('refusing');
    throw new StorageError(StorageErrorCode.DISK_FULL, this.describe());
  }

  /** The writer wrote `bytes`; measures again once enough were written since the last reading. */
  noteWritten(bytes: number): void {
    this.written += bytes;
    if (this.written - this.writtenAtCheck >= this.limits.diskCheckAfterBytes) void this.check().catch(() => undefined);
  }

  /** Measures the volume now (one measurement at a time; callers during one share it). */
  check(): Promise<void> {
    if (!this.checking) this.checking = this.measure().finally(() => (this.checking = undefined));
    return this.checking;
  }

  start(onError: (error: Error) => void): void {
    this.timer = setInterval(() => void this.check().catch(onError), this.limits.diskCheckIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Why appends are refused, with figures; the message clients see. */
  describe(): string {
    const { totalBytes } = this.usage;
    const usedNow = this.projectedUsedBytes();
    const pct = totalBytes > 0 ? (usedNow / totalBytes) * 100 : 100;
    const free = Math.max(0, totalBytes - usedNow);
    return (
      `disk full: ${pct.toFixed(1)} % used, ${mib(free)} free (limit ${this.limits.diskFullRatio} %, reserve ${mib(this.limits.diskReserveBytes)}): ` +
      'writes are refused until space is freed'
    );
  }

  private async measure(): Promise<void> {
    const writtenBefore = this.written; // bytes written after this point count as pending
    const usage = await this.probe();
    this.usage = usage;
    this.writtenAtCheck = writtenBefore;
    if (this.stopped) return;
    const room = this.capacityBytes() - this.projectedUsedBytes();
    if (this.current === 'accepting' && room < 0) this.switchTo('refusing');
    else if (this.current === 'refusing' && room >= this.limits.maxRecordBytes) this.switchTo('accepting');
  }

  private switchTo(state: DiskGuardState): void {
    this.current = state;
    const { totalBytes } = this.usage;
    const usedPercent = totalBytes > 0 ? (this.projectedUsedBytes() / totalBytes) * 100 : 100;
    this.events.emit('diskGuard', {
      state,
      usedPercent: Math.round(usedPercent * 10) / 10,
      limitPercent: this.limits.diskFullRatio,
      freeBytes: Math.max(0, totalBytes - this.projectedUsedBytes()),
      reserveBytes: this.limits.diskReserveBytes,
      message: state === 'refusing' ? this.describe() : 'writes accepted again',
    });
  }
}
