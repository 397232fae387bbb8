import * as grpc from '@grpc/grpc-js';
import { OrbitError, errorSpec, orbitmqV1, toOrbitError, type v1 } from '@orbitmq/protocol';
import { createClient, fromServiceError } from '@orbitmq/rpc';
import type { FollowerState } from '../events';
import { type FlushDiskType, type FollowerStore, META_ACKED_OFFSET, META_CONFIRMED_OFFSET, META_MASTER_STORE_ID, type ReplicationTimers } from '../ports';
import { REPLICATION_PROTOCOL_VERSION, type ReplicationSettings } from '../settings';
import { epochsToWire, parseU64, stateOpsFromWire, stateOpsToWire, u64 } from '../wire/convert';
import type { LocalStateJournal } from './local-state-journal';

export interface FollowerIdentity {
  clusterName: string;
  brokerName: string;
  brokerId: number;
}

/** What a link needs from its follower (which outlives links). */
export interface LinkHost {
  readonly store: FollowerStore;
  readonly settings: ReplicationSettings;
  readonly identity: FollowerIdentity;
  readonly clientEndpoint: string;
  readonly flushDiskType: FlushDiskType;
  readonly journal: LocalStateJournal;
  readonly timers: ReplicationTimers;
  nowMs(): number;
  setState(state: FollowerState, reason: string): void;
  /** Anything heard from the master (frame, heartbeat, accepted). */
  heard(info: { masterEndOffset?: number; confirmOffset?: number; masterEpoch?: number }): void;
  /** Confirmed offset read from the store at handshake. */
  persistedConfirm(value: number): void;
  truncated(fromEndOffset: number, toOffset: number, droppedBytes: number): void;
  reseeded(fromEndOffset: number, startOffset: number, droppedBytes: number): void;
  stateApplied(snapshot: boolean, ops: number): void;
}

export interface LinkOutcome {
  /** The master accepted the handshake (the stream transferred, for however long). */
  accepted: boolean;
  /** The master refused us (a FAILED_PRECONDITION or BAD_REQUEST status): retrying soon will not help. */
  refused: boolean;
  error: OrbitError;
}

/**
 * The offset below which this replica refuses to cut its log: the highest of what the master told
 * it was confirmed and what it acknowledged as durable itself. A master hears of a confirmation
 * one round trip before its replica does, and in SYNC_MASTER it confirms to clients exactly what
 * this replica acked — so what we acked may have been confirmed even if we never heard it.
 */
async function refuseCutBelow(store: { getLocalMeta(name: string): Promise<Buffer | undefined> }): Promise<number> {
  const [confirmed, acked] = await Promise.all([store.getLocalMeta(META_CONFIRMED_OFFSET), store.getLocalMeta(META_ACKED_OFFSET)]);
  return Math.max(decodeOffsetMeta(confirmed), decodeOffsetMeta(acked));
}

/** Text form of an offset in the store's local meta. */
export function decodeOffsetMeta(value: Buffer | undefined): number {
  if (!value || value.length === 0) return 0;
  const n = Number(value.toString('utf8'));
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/**
 * One Follow stream from the replica's side: handshake, then frames applied strictly in order
 * (one at a time, through a promise chain), acks coalesced to one per event-loop turn.
 */
export class FollowerLink {
  private call: grpc.ClientDuplexStream<v1.FollowerMessage, v1.LeaderMessage__Output> | undefined;
  private client: grpc.Client | undefined;
  private chain: Promise<void> = Promise.resolve();
  private outcome: LinkOutcome | undefined;
  private finishRun: ((o: LinkOutcome) => void) | undefined;
  private accepted = false;
  /** Our log position as the master sees it: the start after accept, then each frame's end. */
  private positionOffset = 0;
  private stateOpsApplied = 0;
  private ackScheduled = false;
  private ackAgain = false;
  /** Highest offset recorded as acknowledged (META_ACKED_OFFSET) by this link. */
  private ackedPersisted = 0;
  private housekeepingTimer: unknown;
  lastFrameAtMs = 0;

  constructor(
    readonly address: string,
    private readonly host: LinkHost,
  ) {}

  /** Runs the stream to its end; never rejects. */
  run(): Promise<LinkOutcome> {
    return new Promise<LinkOutcome>((resolve) => {
      this.finishRun = resolve;
      this.open().catch((err) => this.finish(toOrbitError(err), false));
    });
  }

  /** Ends the stream from our side (stop, or a local failure); the outcome carries err. */
  close(err: OrbitError): void {
    this.finish(err, false);
  }

  private async open(): Promise<void> {
    this.host.setState('connecting', `dialing ${this.address}`);
    const handshake = await this.buildHandshake();
    if (this.outcome) return;
    this.client = createClient(orbitmqV1().Replication, this.address);
    const call = (this.client as unknown as v1.ReplicationClient).Follow();
    this.call = call;
    this.lastFrameAtMs = this.host.nowMs();
    call.on('data', (msg: v1.LeaderMessage__Output) => {
      this.lastFrameAtMs = this.host.nowMs();
      this.chain = this.chain.then(() => (this.outcome ? undefined : this.handle(msg))).catch((err) => this.finish(toOrbitError(err), false));
    });
    call.on('error', (err: grpc.ServiceError) => this.finish(fromServiceError(err), true));
    call.on('end', () => this.finish(new OrbitError('SERVICE_UNAVAILABLE', `the master at ${this.address} ended the stream`), true));
    this.armHousekeeping();
    this.host.setState('handshaking', `handshake sent to ${this.address}`);
    call.write({ handshake });
  }

  private async buildHandshake(): Promise<v1.FollowHandshake> {
    const { store, identity } = this.host;
    const stats = store.stats();
    const masterStoreId = (await store.getLocalMeta(META_MASTER_STORE_ID))?.toString('utf8') ?? '';
    this.host.persistedConfirm(decodeOffsetMeta(await store.getLocalMeta(META_CONFIRMED_OFFSET)));
    const confirmedOffset = await refuseCutBelow(store);
    const tail = stats.endOffset > stats.minOffset ? await store.tailDigest(stats.endOffset) : { fromOffset: stats.endOffset, crc32: 0 };
    return {
      protocolVersion: REPLICATION_PROTOCOL_VERSION,
      broker: { clusterName: identity.clusterName, brokerName: identity.brokerName, brokerId: identity.brokerId },
      storeId: store.identity().storeId,
      masterStoreId,
      segmentSizeBytes: store.identity().segmentSizeBytes,
      minOffset: u64(stats.minOffset),
      endOffset: u64(stats.endOffset),
      tailFromOffset: u64(tail.fromOffset),
      tailCrc32: tail.crc32 >>> 0,
      epochs: epochsToWire(store.epochs()),
      flushDiskType: this.host.flushDiskType,
      confirmedOffset: u64(confirmedOffset),
      localState: stateOpsToWire(this.host.journal.ops()),
      clientEndpoint: this.host.clientEndpoint,
    };
  }

  private finish(error: OrbitError, remote: boolean): void {
    if (this.outcome) return;
    const status = errorSpec(error.code).grpcStatus;
    const refused = remote && (status === grpc.status.FAILED_PRECONDITION || error.code === 'BAD_REQUEST');
    this.outcome = { accepted: this.accepted, refused, error };
    if (this.housekeepingTimer !== undefined) this.host.timers.clearTimeout(this.housekeepingTimer);
    try {
      this.call?.cancel();
    } catch {
      // already gone
    }
    this.client?.close();
    // Resolve once the frame being applied is done: the next link must not start under it.
    this.chain.finally(() => this.finishRun?.(this.outcome as LinkOutcome));
  }

  private armHousekeeping(): void {
    const { housekeepingMs } = this.host.settings;
    this.housekeepingTimer = this.host.timers.setTimeout(
      () => {
        if (this.outcome) return;
        const silentMs = this.host.nowMs() - this.lastFrameAtMs;
        if (silentMs > housekeepingMs) {
          this.finish(
            new OrbitError('REPLICA_TIMEOUT', `the master at ${this.address} sent nothing for ${silentMs} ms (housekeeping ${housekeepingMs} ms)`),
            false,
          );
          return;
        }
        this.armHousekeeping();
      },
      Math.max(10, housekeepingMs / 4),
    );
  }

  private async handle(msg: v1.LeaderMessage__Output): Promise<void> {
    switch (msg.kind) {
      case 'accepted':
        return this.onAccepted(msg.accepted as v1.FollowAccepted__Output);
      case 'state':
        return this.onState(msg.state as v1.StateFrame__Output);
      case 'log':
        return this.onLog(msg.log as v1.LogFrame__Output);
      case 'heartbeat': {
        const hb = msg.heartbeat as v1.ReplicationHeartbeat__Output;
        this.host.heard({
          masterEndOffset: parseU64(hb.masterEndOffset, 'master_end_offset'),
          confirmOffset: parseU64(hb.confirmOffset, 'confirm_offset'),
          masterEpoch: parseU64(hb.masterEpoch, 'master_epoch'),
        });
        if (this.accepted) this.scheduleAck();
        return;
      }
      default:
        throw new OrbitError('BAD_REQUEST', `unexpected message from the master: ${msg.kind ?? 'empty'}`);
    }
  }

  private async onAccepted(a: v1.FollowAccepted__Output): Promise<void> {
    if (this.accepted) throw new OrbitError('BAD_REQUEST', 'the master accepted the stream twice');
    const { store } = this.host;
    const startOffset = parseU64(a.startOffset, 'start_offset');
    const stats = store.stats();
    await store.setLocalMeta(META_MASTER_STORE_ID, Buffer.from(a.masterStoreId, 'utf8'));
    if (a.startReason === 'reseed') {
      this.host.setState('reseeding', `the master starts at its oldest offset ${startOffset}; our log [${stats.minOffset}, ${stats.endOffset}) is dropped`);
      const dropped = stats.endOffset > stats.minOffset ? (await store.truncateTo(stats.minOffset)).droppedBytes : 0;
      this.host.reseeded(stats.endOffset, startOffset, dropped);
    } else if (startOffset < stats.endOffset) {
      const confirmed = await refuseCutBelow(store);
      if (startOffset < confirmed) {
        throw new OrbitError(
          'REPLICA_DIVERGED',
          `the master asked to cut our log at ${startOffset}, below ${confirmed} (confirmed or acknowledged by us): the master lost records it may have confirmed; log kept as is`,
        );
      }
      this.host.setState('truncating', `our tail [${startOffset}, ${stats.endOffset}) is not the master's`);
      const { droppedBytes } = await store.truncateTo(startOffset);
      this.host.truncated(stats.endOffset, startOffset, droppedBytes);
    } else if (startOffset > stats.endOffset) {
      throw new OrbitError('REPLICA_OFFSET_MISMATCH', `the master starts at ${startOffset}, beyond our end ${stats.endOffset}, without a reseed`);
    }
    this.positionOffset = startOffset;
    this.accepted = true;
    // The master applied what we changed without it; the snapshot that follows supersedes it.
    this.host.journal.clear();
    this.host.heard({
      masterEndOffset: parseU64(a.endOffset, 'end_offset'),
      confirmOffset: parseU64(a.confirmOffset, 'confirm_offset'),
      masterEpoch: parseU64(a.masterEpoch, 'master_epoch'),
    });
    this.host.setState('snapshot', `receiving the master's state (log from ${startOffset})`);
    this.scheduleAck();
  }

  private async onState(frame: v1.StateFrame__Output): Promise<void> {
    if (!this.accepted) throw new OrbitError('BAD_REQUEST', 'a state frame before the stream was accepted');
    const ops = stateOpsFromWire(frame.ops);
    if (frame.snapshotBegin) await this.host.store.applyState(ops, { replaceAll: true });
    else if (ops.length > 0) await this.host.store.applyState(ops);
    this.stateOpsApplied += ops.length;
    this.host.stateApplied(frame.snapshotBegin, ops.length);
    if (frame.snapshotEnd) this.host.setState('transferring', `in step with the master at ${this.address}`);
  }

  private async onLog(frame: v1.LogFrame__Output): Promise<void> {
    if (!this.accepted) throw new OrbitError('BAD_REQUEST', 'a log frame before the stream was accepted');
    const { store } = this.host;
    const fromOffset = parseU64(frame.fromOffset, 'from_offset');
    if (fromOffset !== this.positionOffset) {
      throw new OrbitError('REPLICA_OFFSET_MISMATCH', `a frame from ${fromOffset} does not continue our log at ${this.positionOffset}: reconnecting`);
    }
    const epoch = parseU64(frame.epoch, 'epoch');
    const epochs = store.epochs();
    const lastEpoch = epochs[epochs.length - 1]?.epoch ?? 0;
    if (epoch < lastEpoch) throw new OrbitError('REPLICA_OFFSET_MISMATCH', `a frame of epoch ${epoch} after our epoch ${lastEpoch}: reconnecting`);
    if (epoch > lastEpoch) await store.appendEpoch(epoch, fromOffset);
    // In SYNC_FLUSH appendReplicated fsyncs before it resolves, so what it returns is durable.
    const { endOffset } = await store.appendReplicated(fromOffset, frame.data);
    this.positionOffset = endOffset;
    this.host.heard({
      masterEndOffset: parseU64(frame.masterEndOffset, 'master_end_offset'),
      confirmOffset: parseU64(frame.confirmOffset, 'confirm_offset'),
      masterEpoch: epoch,
    });
    this.scheduleAck();
  }

  get position(): number {
    return this.positionOffset;
  }

  /**
   * One ack per event-loop turn however many frames were applied in it. written = durable = our
   * position: appendReplicated has fsynced in SYNC_FLUSH, and in ASYNC_FLUSH the page cache is
   * what counts (as in RocketMQ).
   */
  private scheduleAck(): void {
    if (this.ackScheduled) {
      this.ackAgain = true; // one ack at a time, so acks never overtake each other
      return;
    }
    this.ackScheduled = true;
    setImmediate(() => void this.sendAck());
  }

  /** Records what we acknowledge before the master hears it (see refuseCutBelow), then acks. */
  private async sendAck(): Promise<void> {
    try {
      if (this.outcome || !this.call) return;
      const positionOffset = this.positionOffset;
      if (positionOffset > this.ackedPersisted) {
        await this.host.store.setLocalMeta(META_ACKED_OFFSET, Buffer.from(String(positionOffset), 'utf8'));
        this.ackedPersisted = positionOffset;
      }
      if (this.outcome || !this.call) return;
      const position = u64(positionOffset);
      const ack = {
        writtenOffset: position,
        durableOffset: position,
        dispatchedOffset: u64(this.host.store.stats().dispatchedOffset),
        stateOpsApplied: this.stateOpsApplied,
      };
      this.call.write({ ack });
    } catch (err) {
      this.finish(toOrbitError(err), false);
    } finally {
      this.ackScheduled = false;
      if (this.ackAgain) {
        this.ackAgain = false;
        this.scheduleAck();
      }
    }
  }
}
