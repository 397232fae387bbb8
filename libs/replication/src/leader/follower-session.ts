import type * as grpc from '@grpc/grpc-js';
import { OrbitError, toOrbitError, type v1 } from '@orbitmq/protocol';
import { toServiceError } from '@orbitmq/rpc';
import type { StartReason } from '../events';
import type { EpochEntry, LeaderStore, ReplicationTimers, StateOp } from '../ports';
import type { ReplicationSettings } from '../settings';
import { epochsToWire, parseU64, stateOpsToWire, u64 } from '../wire/convert';
import { type CheckedHandshake, type LeaderIdentity, checkHandshake } from './handshake-check';
import { type StartPoint, planStart } from './start-point';

export type SessionState = 'handshaking' | 'snapshot' | 'transferring' | 'disconnected';

export type FollowCall = grpc.ServerDuplexStream<v1.FollowerMessage__Output, v1.LeaderMessage>;

/** What a session needs from its leader. */
export interface SessionHost {
  readonly store: LeaderStore;
  readonly settings: ReplicationSettings;
  readonly identity: LeaderIdentity;
  readonly timers: ReplicationTimers;
  nowMs(): number;
  confirmOffset(): number;
  isAccepting(): boolean;
  /** Checks passed: replace any older stream of this broker id, apply the replica's local state. */
  adopt(session: FollowerSession, handshake: CheckedHandshake): Promise<void>;
  accepted(session: FollowerSession, start: StartPoint): void;
  refused(session: FollowerSession, err: OrbitError): void;
  /** The ack offsets moved or the state changed. */
  progressed(session: FollowerSession): void;
  closed(session: FollowerSession, reason: string): void;
}

/** Chunk size of the state snapshot after a handshake. */
export const STATE_SNAPSHOT_CHUNK_BYTES = 256 * 1024;

/** The epoch a frame from `offset` belongs to, and how far it may reach without entering the next epoch. */
function epochAt(epochs: readonly EpochEntry[], offset: number): { epoch: number; nextStart: number | undefined } {
  let epoch = 0;
  let nextStart: number | undefined;
  for (const e of epochs) {
    if (e.startOffset <= offset) epoch = e.epoch;
    else {
      nextStart = e.startOffset;
      break;
    }
  }
  return { epoch, nextStart };
}

/**
 * One replica's Follow stream on the leader: handshake, state snapshot, then log frames bounded
 * by a credit window and the stream's own back-pressure, woken by appends rather than polled.
 */
export class FollowerSession {
  state: SessionState = 'handshaking';
  brokerId: number | undefined;
  clientEndpoint = '';
  readonly peer: string;
  readonly connectedAtMs: number;
  lastReceivedAtMs: number;
  lastAckAtMs = 0;
  lastSentAtMs: number;
  ackedWrittenOffset = 0;
  ackedDurableOffset = 0;
  ackedDispatchedOffset = 0;
  sentOffset = 0;
  /** When our end first moved past this follower's durable ack; undefined while it has our end. */
  behindSinceMs: number | undefined;
  closeReason = '';
  private handshakeSeen = false;
  private writeBlocked = false;
  private wakeUp: (() => void) | undefined;
  private readonly handshakeTimer: unknown;
  private readonly unsubscribes: (() => void)[] = [];

  constructor(
    private readonly call: FollowCall,
    private readonly host: SessionHost,
  ) {
    const now = host.nowMs();
    this.peer = call.getPeer();
    this.connectedAtMs = now;
    this.lastReceivedAtMs = now;
    this.lastSentAtMs = now;
    this.handshakeTimer = host.timers.setTimeout(() => {
      if (!this.handshakeSeen) this.fail(new OrbitError('BAD_REQUEST', `no handshake within ${host.settings.handshakeTimeoutMs} ms`));
    }, host.settings.handshakeTimeoutMs);
    call.on('data', (msg: v1.FollowerMessage__Output) => this.receive(msg));
    call.on('end', () => this.ended('the replica closed the stream'));
    call.on('cancelled', () => this.ended('the replica cancelled the stream'));
    call.on('error', (err: Error) => this.ended(`stream error: ${err.message}`));
    call.on('close', () => this.ended('the stream closed'));
  }

  get closed(): boolean {
    return this.state === 'disconnected';
  }

  /** "broker-a/1" for messages. */
  get name(): string {
    return `${this.host.identity.brokerName}/${this.brokerId ?? '?'}`;
  }

  /** Something to send may be there (an append, an ack, a drained stream). */
  wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }

  /** Our end moved to endOffset: starts the lag clock when this follower falls behind. */
  noteOurEnd(endOffset: number, nowMs: number): void {
    if (this.behindSinceMs === undefined && endOffset > this.ackedDurableOffset) this.behindSinceMs = nowMs;
    this.wake();
  }

  /** Called by the leader's housekeeping timer: heartbeat an idle stream, close a silent one. */
  tick(nowMs: number, masterEpoch: number): void {
    if (this.closed) return;
    const { housekeepingMs, heartbeatIntervalMs } = this.host.settings;
    if (nowMs - this.lastReceivedAtMs > housekeepingMs) {
      this.fail(
        new OrbitError('REPLICA_TIMEOUT', `replica ${this.name} sent nothing for ${nowMs - this.lastReceivedAtMs} ms (housekeeping ${housekeepingMs} ms)`),
      );
      return;
    }
    if (this.state === 'handshaking' || this.writeBlocked || nowMs - this.lastSentAtMs < heartbeatIntervalMs) return;
    const heartbeat = { masterEndOffset: u64(this.host.store.stats().endOffset), confirmOffset: u64(this.host.confirmOffset()), masterEpoch };
    this.send({ heartbeat });
  }

  /** Ends the stream with err's status (the replica sees the table code in the trailer). */
  fail(err: unknown): void {
    if (this.closed) return;
    const orbit = toOrbitError(err);
    if (this.state === 'handshaking') this.host.refused(this, orbit);
    this.cleanup(`${orbit.code}: ${orbit.message}`);
    try {
      this.call.emit('error', toServiceError(orbit));
    } catch {
      // the stream is already gone
    }
  }

  private ended(reason: string): void {
    if (this.closed) return;
    this.cleanup(reason);
    try {
      this.call.end();
    } catch {
      // the stream is already gone
    }
  }

  private cleanup(reason: string): void {
    this.state = 'disconnected';
    this.closeReason = reason;
    this.host.timers.clearTimeout(this.handshakeTimer);
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.wake();
    this.host.closed(this, reason);
  }

  private receive(msg: v1.FollowerMessage__Output): void {
    if (this.closed) return;
    this.lastReceivedAtMs = this.host.nowMs();
    if (!this.handshakeSeen) {
      if (msg.kind !== 'handshake' || !msg.handshake) {
        this.fail(new OrbitError('BAD_REQUEST', `the first message must be a handshake, got ${msg.kind ?? 'an empty message'}`));
        return;
      }
      this.handshakeSeen = true;
      this.host.timers.clearTimeout(this.handshakeTimer);
      this.handshake(msg.handshake).catch((err) => this.fail(err));
      return;
    }
    if (msg.kind === 'handshake') return this.fail(new OrbitError('BAD_REQUEST', 'a second handshake on the same stream'));
    if (msg.kind === 'ack' && msg.ack && this.state !== 'handshaking') {
      try {
        this.ack(msg.ack);
      } catch (err) {
        this.fail(err);
      }
    }
  }

  private async handshake(h: v1.FollowHandshake__Output): Promise<void> {
    const { store, identity } = this.host;
    const hs = checkHandshake(h, identity, store.identity());
    this.brokerId = hs.brokerId;
    this.clientEndpoint = hs.clientEndpoint;
    if (!this.host.isAccepting()) throw new OrbitError('SERVICE_UNAVAILABLE', 'the master is stopping and takes no new replicas');
    const stats = store.stats();
    const ours = { minOffset: stats.minOffset, endOffset: stats.endOffset, epochs: store.epochs() };
    const start = await planStart(ours, hs, (end, maxBytes) => store.tailDigest(end, maxBytes));
    if (this.closed) return;
    await this.host.adopt(this, hs);
    if (this.closed) return;
    this.accept(start);
    await this.sendStateSnapshot();
    if (this.closed) return;
    this.state = 'transferring';
    this.host.progressed(this);
    await this.pump();
  }

  private accept(start: StartPoint): void {
    const { store } = this.host;
    const stats = store.stats();
    const epochs = store.epochs();
    const now = this.host.nowMs();
    // The replica's position once it has cut or emptied its log: every later ack is checked against it.
    this.sentOffset = start.startOffset;
    this.ackedWrittenOffset = start.startOffset;
    this.ackedDurableOffset = start.startOffset;
    this.lastAckAtMs = now;
    this.behindSinceMs = stats.endOffset > start.startOffset ? now : undefined;
    this.state = 'snapshot';
    const reason: StartReason = start.reason;
    this.send({
      accepted: {
        masterStoreId: store.identity().storeId,
        masterEpoch: epochs[epochs.length - 1]?.epoch ?? 0,
        epochs: epochsToWire(epochs),
        minOffset: u64(stats.minOffset),
        endOffset: u64(stats.endOffset),
        startOffset: u64(start.startOffset),
        confirmOffset: u64(this.host.confirmOffset()),
        startReason: reason,
      },
    });
    this.host.accepted(this, start);
  }

  /**
   * Snapshot, then changes. Changes are subscribed to before the snapshot starts and queued, so
   * none made while it is read is missed; a change already in the snapshot is applied twice, which
   * puts and deletes tolerate. Changes applied from a replica's local state are forwarded too:
   * the other replicas need them as much as local ones.
   */
  private async sendStateSnapshot(): Promise<void> {
    const { store } = this.host;
    const queued: StateOp[][] = [];
    let live = false;
    this.unsubscribes.push(
      store.events.on('stateChanged', (e) => {
        if (this.closed || e.ops.length === 0) return;
        if (live) this.send({ state: { ops: stateOpsToWire(e.ops) } });
        else queued.push(e.ops);
      }),
    );
    let held: StateOp[] | undefined;
    let first = true;
    await store.stateSnapshot(async (ops) => {
      if (this.closed) throw new OrbitError('SERVICE_UNAVAILABLE', 'the stream closed during the state snapshot');
      if (held) {
        await this.sendAndDrain({ state: { snapshotBegin: first, ops: stateOpsToWire(held) } });
        first = false;
      }
      held = ops;
    }, STATE_SNAPSHOT_CHUNK_BYTES);
    if (this.closed) return;
    await this.sendAndDrain({ state: { snapshotBegin: first, snapshotEnd: true, ops: stateOpsToWire(held ?? []) } });
    for (const ops of queued) {
      if (this.closed) return;
      await this.sendAndDrain({ state: { ops: stateOpsToWire(ops) } });
    }
    live = true;
  }

  /**
   * Log frames from sentOffset while the credit window has room for a whole batch (one batch at
   * least when nothing is in flight) and the stream is not back-pressured.
   */
  private async pump(): Promise<void> {
    const { store, settings } = this.host;
    while (!this.closed) {
      const endOffset = store.stats().endOffset;
      const inFlightBytes = this.sentOffset - this.ackedWrittenOffset;
      const windowFull = inFlightBytes > 0 && inFlightBytes + settings.batchBytes > settings.maxInFlightBytes;
      if (this.sentOffset >= endOffset || windowFull || this.writeBlocked) {
        await new Promise<void>((resolve) => (this.wakeUp = resolve));
        continue;
      }
      const from = this.sentOffset;
      const epochs = store.epochs();
      const { epoch, nextStart } = epochAt(epochs, from);
      // A frame never crosses into the next epoch: epochs start at record boundaries, so reading
      // no further than the boundary yields whole records of this epoch only.
      const maxBytes = nextStart === undefined ? settings.batchBytes : Math.min(settings.batchBytes, nextStart - from);
      const { bytes, nextOffset } = await store.readRaw(from, maxBytes);
      if (this.closed) return;
      if (nextOffset <= from) throw new OrbitError('INTERNAL_ERROR', `readRaw(${from}) made no progress (next offset ${nextOffset})`);
      this.sentOffset = nextOffset;
      const masterEndOffset = u64(Math.max(nextOffset, store.stats().endOffset));
      this.send({ log: { fromOffset: u64(from), data: bytes, epoch, masterEndOffset, confirmOffset: u64(this.host.confirmOffset()) } });
    }
  }

  private send(msg: v1.LeaderMessage): void {
    if (this.closed) return;
    this.lastSentAtMs = this.host.nowMs();
    if (this.call.write(msg)) return;
    if (this.writeBlocked) return;
    this.writeBlocked = true;
    this.call.once('drain', () => {
      this.writeBlocked = false;
      this.wake();
    });
  }

  /** Sends and, if the stream is back-pressured, waits until it drains (or closes). */
  private async sendAndDrain(msg: v1.LeaderMessage): Promise<void> {
    this.send(msg);
    while (this.writeBlocked && !this.closed) await new Promise<void>((resolve) => (this.wakeUp = resolve));
  }

  /**
   * Acks are checked, not trusted: RocketMQ accepted any offset a peer reported, so a buggy or
   * rogue client could fake replication (apache/rocketmq#3015). Monotonic, within what we sent.
   */
  private ack(a: v1.FollowAck__Output): void {
    const written = parseU64(a.writtenOffset, 'written_offset');
    const durable = parseU64(a.durableOffset, 'durable_offset');
    const dispatched = parseU64(a.dispatchedOffset, 'dispatched_offset');
    const ourEnd = this.host.store.stats().endOffset;
    if (written < this.ackedWrittenOffset || durable < this.ackedDurableOffset) {
      throw new OrbitError(
        'REPLICA_OFFSET_MISMATCH',
        `replica ${this.name} acked backwards: written ${written} after ${this.ackedWrittenOffset}, durable ${durable} after ${this.ackedDurableOffset}`,
      );
    }
    if (written > this.sentOffset || written > ourEnd || durable > written) {
      throw new OrbitError(
        'REPLICA_OFFSET_MISMATCH',
        `replica ${this.name} acked written ${written} / durable ${durable}, beyond what was sent (${this.sentOffset}) or the master's end (${ourEnd})`,
      );
    }
    const now = this.host.nowMs();
    this.ackedWrittenOffset = written;
    this.ackedDurableOffset = durable;
    this.ackedDispatchedOffset = dispatched;
    this.lastAckAtMs = now;
    if (durable >= ourEnd) this.behindSinceMs = undefined;
    else if (this.behindSinceMs === undefined) this.behindSinceMs = now;
    this.host.progressed(this);
    this.wake();
  }
}
