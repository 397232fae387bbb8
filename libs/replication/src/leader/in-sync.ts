import type { ReplicationSettings } from '../settings';
import { formatBytes } from '../wire/convert';
import type { FollowerSession, SessionState } from './follower-session';

/** One follower as the leader's status reports it. */
export interface FollowerStatus {
  brokerId: number;
  /** The replica's address as the stream sees it. */
  peer: string;
  /** The replica's client endpoint (where it serves reads). */
  clientEndpoint: string;
  state: SessionState;
  inSync: boolean;
  /** Why it is not in sync; '' when it is. */
  notInSyncReason: string;
  ackedWrittenOffset: number;
  ackedDurableOffset: number;
  sentOffset: number;
  /** Our end minus its durable ack. */
  lagBytes: number;
  /** How long our end has been beyond its durable ack (0 when it has our end). */
  lagMs: number;
  connectedAtMs: number;
  lastAckAtMs: number;
  /** Why the stream closed (state 'disconnected'). */
  closeReason: string;
}

export interface LeaderStatus {
  role: 'SYNC_MASTER' | 'ASYNC_MASTER';
  confirmOffset: number;
  masterEpoch: number;
  endOffset: number;
  followers: FollowerStatus[];
}

/**
 * Why a follower does not count for SYNC_MASTER right now, or undefined when it does: it must be
 * transferring, have acked within the housekeeping interval, and be within haMaxGapNotInSync of
 * our end (RocketMQ's rule, measured on its durable ack).
 */
export function notInSyncReason(s: FollowerSession, nowMs: number, ourEndOffset: number, settings: ReplicationSettings): string | undefined {
  if (s.state !== 'transferring') return `replica ${s.name} is ${s.state}`;
  const silentMs = nowMs - s.lastAckAtMs;
  if (silentMs > settings.housekeepingMs) return `replica ${s.name} has not acked for ${Math.round(silentMs / 1000)} s`;
  const gapBytes = ourEndOffset - s.ackedDurableOffset;
  if (gapBytes > settings.haMaxGapNotInSyncBytes) {
    return `replica ${s.name} is ${formatBytes(gapBytes)} behind (haMaxGapNotInSync ${formatBytes(settings.haMaxGapNotInSyncBytes)})`;
  }
  return undefined;
}

export function followerStatus(s: FollowerSession, nowMs: number, ourEndOffset: number, settings: ReplicationSettings): FollowerStatus {
  const reason = notInSyncReason(s, nowMs, ourEndOffset, settings);
  return {
    brokerId: s.brokerId ?? 0,
    peer: s.peer,
    clientEndpoint: s.clientEndpoint,
    state: s.state,
    inSync: reason === undefined,
    notInSyncReason: reason ?? '',
    ackedWrittenOffset: s.ackedWrittenOffset,
    ackedDurableOffset: s.ackedDurableOffset,
    sentOffset: s.sentOffset,
    lagBytes: Math.max(0, ourEndOffset - s.ackedDurableOffset),
    lagMs: s.behindSinceMs === undefined ? 0 : Math.max(0, nowMs - s.behindSinceMs),
    connectedAtMs: s.connectedAtMs,
    lastAckAtMs: s.lastAckAtMs,
    closeReason: s.closeReason,
  };
}
