import { TypedEvents } from '@orbitmq/events';
import type { ErrorCode } from '@orbitmq/protocol';
import type { StateOp } from './ports';

export type StartReason = '' | 'truncate' | 'reseed';

/** Everything the leader reports. This lib has no logger or metrics: apps subscribe and log or count. */
export interface LeaderEventMap {
  /** A stream opened (handshake not yet checked). */
  followerConnected: { peer: string };
  followerAccepted: { brokerId: number; peer: string; startOffset: number; reason: StartReason };
  /** A handshake was refused (brokerId when the handshake named one). */
  followerRefused: { brokerId: number | undefined; peer: string; code: ErrorCode; message: string };
  followerInSync: { brokerId: number; reason: string };
  followerOutOfSync: { brokerId: number; reason: string };
  followerDisconnected: { brokerId: number | undefined; reason: string };
  /** One awaitReplicated finished. */
  syncWaitFinished: { outcome: 'ok' | 'timeout' | 'unavailable'; waitMs: number };
  /** State a replica changed while it served without a master was applied here: reload caches. */
  stateApplied: { brokerId: number; ops: StateOp[]; origin: 'replica' };
  /** The confirm offset moved (the app gates consumer visibility with it). */
  confirmed: { confirmOffset: number };
}

export class LeaderEvents extends TypedEvents<LeaderEventMap> {}

export type FollowerState =
  'no-master' | 'connecting' | 'handshaking' | 'truncating' | 'reseeding' | 'snapshot' | 'transferring' | 'refused' | 'disconnected' | 'stopped';

export interface FollowerEventMap {
  stateChanged: { from: FollowerState; to: FollowerState; reason: string };
  /** The log was cut to the master's start (its tail diverged; nothing confirmed was lost). */
  truncated: { fromEndOffset: number; toOffset: number; droppedBytes: number };
  /** The log was emptied to restart from the master's oldest offset. */
  reseeded: { fromEndOffset: number; startOffset: number; droppedBytes: number };
  /** State from the master was applied (snapshot: it replaced the replicated state). */
  stateApplied: { snapshot: boolean; ops: number };
  /** A stream that was transferring ended. */
  masterLost: { masterAddress: string; reason: string };
  /** The master's confirm offset moved. */
  confirmed: { confirmOffset: number };
  /** Local state changes were dropped because more than maxLocalStateOps piled up without a master. */
  localStateOverflow: { droppedOps: number };
}

export class FollowerEvents extends TypedEvents<FollowerEventMap> {}
