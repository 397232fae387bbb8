import { OrbitError } from '@orbitmq/protocol';
import type { EpochEntry } from '../ports';
import type { StartReason } from '../events';

/** One log as the start-point search sees it. */
export interface LogView {
  minOffset: number;
  endOffset: number;
  epochs: readonly EpochEntry[];
}

export interface ReplicaView extends LogView {
  /** The replica's persisted confirm offset: it must never be cut below this. */
  confirmedOffset: number;
  tailFromOffset: number;
  tailCrc32: number;
}

export interface StartPoint {
  startOffset: number;
  reason: StartReason;
}

/** Where epoch i of `epochs` ends: the next epoch's start, or the log end. */
function epochEnd(epochs: readonly EpochEntry[], index: number, logEnd: number): number {
  return epochs[index + 1]?.startOffset ?? logEnd;
}

/**
 * RocketMQ's EpochFileCache.findConsistentPoint: the last epoch both logs have with the same
 * start; the logs agree up to where the earlier of the two ends that epoch. A replica reseeded in
 * the middle of an epoch recorded that epoch at its own first offset, so starts are compared
 * clamped to the replica's min offset. Undefined when no epoch is common.
 */
export function findConsistentPoint(ours: LogView, theirs: LogView): number | undefined {
  if (ours.epochs.length === 0 && theirs.epochs.length === 0) return Math.min(ours.endOffset, theirs.endOffset);
  const clamp = (offset: number): number => Math.max(offset, theirs.minOffset);
  for (let i = ours.epochs.length - 1; i >= 0; i--) {
    const mine = ours.epochs[i] as EpochEntry;
    const j = theirs.epochs.findIndex((e) => e.epoch === mine.epoch);
    if (j < 0) continue;
    const other = theirs.epochs[j] as EpochEntry;
    if (clamp(mine.startOffset) !== clamp(other.startOffset)) continue;
    return Math.min(epochEnd(ours.epochs, i, ours.endOffset), epochEnd(theirs.epochs, j, theirs.endOffset));
  }
  return undefined;
}

/**
 * Where the leader starts sending to a replica, or the refusal. Never cuts a replica below its
 * confirmed offset: that would silently drop records a client was told are stored.
 */
export async function planStart(
  ours: LogView,
  theirs: ReplicaView,
  ourTailDigest: (endOffset: number, maxBytes: number) => Promise<{ fromOffset: number; crc32: number }>,
): Promise<StartPoint> {
  const replicaEmpty = theirs.endOffset <= theirs.minOffset;
  if (replicaEmpty || theirs.endOffset < ours.minOffset) return { startOffset: ours.minOffset, reason: 'reseed' };
  const consistent = findConsistentPoint(ours, theirs);
  if (consistent === undefined) {
    throw new OrbitError(
      'REPLICA_DIVERGED',
      `the replica's log [${theirs.minOffset}, ${theirs.endOffset}) shares no epoch with the master's ` +
        `(replica epochs ${describeEpochs(theirs.epochs)}, master epochs ${describeEpochs(ours.epochs)}): ` +
        `replica kept as is; wipe the replica's store to reseed it`,
    );
  }
  if (consistent < theirs.endOffset) {
    if (theirs.confirmedOffset > consistent) {
      throw new OrbitError(
        'REPLICA_DIVERGED',
        `the master lost confirmed records [${consistent}, ${theirs.confirmedOffset}): replica kept as is; ` +
          `restore the master's log or promote this replica`,
      );
    }
    // Behind our retention: nothing to continue from, start over at our oldest offset.
    if (consistent < ours.minOffset) return { startOffset: ours.minOffset, reason: 'reseed' };
    return { startOffset: consistent, reason: 'truncate' };
  }
  await checkTail(theirs, ourTailDigest);
  return { startOffset: theirs.endOffset, reason: '' };
}

/** Equal epochs and lengths are not equal bytes: the replica's last bytes must be ours too. */
async function checkTail(theirs: ReplicaView, ourTailDigest: (endOffset: number, maxBytes: number) => Promise<{ fromOffset: number; crc32: number }>) {
  if (theirs.endOffset <= theirs.minOffset || theirs.tailFromOffset >= theirs.endOffset) return;
  if (theirs.tailFromOffset < theirs.minOffset) {
    throw new OrbitError('BAD_REQUEST', `tail_from_offset ${theirs.tailFromOffset} is below the replica's min offset ${theirs.minOffset}`);
  }
  const digest = await ourTailDigest(theirs.endOffset, theirs.endOffset - theirs.tailFromOffset);
  if (digest.fromOffset !== theirs.tailFromOffset || digest.crc32 !== theirs.tailCrc32 >>> 0) {
    throw new OrbitError(
      'REPLICA_DIVERGED',
      `bytes before ${theirs.endOffset} differ: the replica's [${theirs.tailFromOffset}, ${theirs.endOffset}) has crc32 ${theirs.tailCrc32 >>> 0}, ` +
        `the master's [${digest.fromOffset}, ${theirs.endOffset}) has ${digest.crc32 >>> 0}: replica kept as is; wipe the replica's store to reseed it`,
    );
  }
}

function describeEpochs(epochs: readonly EpochEntry[]): string {
  if (epochs.length === 0) return '[]';
  return `[${epochs.map((e) => `${e.epoch}@${e.startOffset}`).join(', ')}]`;
}
