import type * as grpc from '@grpc/grpc-js';
import { OrbitError, type v1 } from '@orbitmq/protocol';
import { LeaderEvents } from '../events';
import { type FlushDiskType, type LeaderStore, REAL_TIMERS, type ReplicationTimers } from '../ports';
import { type ReplicationSettings, resolveSettings } from '../settings';
import { FollowerSession, type FollowCall, type SessionHost } from './follower-session';
import type { CheckedHandshake, LeaderIdentity } from './handshake-check';
import { type LeaderStatus, followerStatus, notInSyncReason } from './in-sync';
import type { StartPoint } from './start-point';
import { SyncWaiters } from './sync-waiters';

export type MasterRole = 'SYNC_MASTER' | 'ASYNC_MASTER';

export interface ReplicationLeaderOptions {
  store: LeaderStore;
  identity: LeaderIdentity;
  role: MasterRole;
  /** The master store's flush mode: in SYNC_FLUSH the confirm offset never passes our own flushed end. */
  flushDiskType?: FlushDiskType;
  settings?: Partial<ReplicationSettings>;
  /**
   * Confirm offset at start; default: the store's end. A static master's log is the truth, so what
   * recovery kept is confirmed (RocketMQ does not persist it either); consumers are not held back
   * after a restart without replicas.
   */
  initialConfirmOffset?: number;
  nowMs?: () => number;
  timers?: ReplicationTimers;
}

interface Watcher {
  check(): boolean;
  finish(ok: boolean): void;
}

/**
 * The master's end of replication: serves replicas' Follow streams, tracks which are in sync,
 * and answers SYNC_MASTER's question "is this offset on a replica's disk yet".
 */
export class ReplicationLeader {
  readonly events = new LeaderEvents();
  readonly settings: ReplicationSettings;
  private readonly sessions = new Set<FollowerSession>();
  /** Accepted stream per broker id (live, or the last one that closed). */
  private readonly byBroker = new Map<number, FollowerSession>();
  private readonly handshaken = new Set<number>();
  private readonly inSync = new Map<FollowerSession, boolean>();
  private readonly watchers = new Set<Watcher>();
  private readonly waiters: SyncWaiters;
  private readonly host: SessionHost;
  private readonly nowMs: () => number;
  private readonly timers: ReplicationTimers;
  private readonly unsubscribes: (() => void)[];
  private confirm: number;
  private accepting = true;
  private stopped = false;
  private tickTimer: unknown;

  constructor(private readonly opts: ReplicationLeaderOptions) {
    this.settings = resolveSettings(opts.settings);
    this.nowMs = opts.nowMs ?? Date.now;
    this.timers = opts.timers ?? REAL_TIMERS;
    this.confirm = opts.initialConfirmOffset ?? opts.store.stats().endOffset;
    this.waiters = new SyncWaiters(
      this.timers,
      this.nowMs,
      this.settings.slaveTimeoutMs,
      (offset) =>
        new OrbitError(
          'SLAVE_PERSISTENCE_TIMEOUT',
          `replica did not confirm offset ${offset} within slaveTimeout ${this.settings.slaveTimeoutMs} ms; the message is stored on the master and will be replicated`,
        ),
      (outcome, waitMs) => this.events.emit('syncWaitFinished', { outcome, waitMs }),
    );
    this.host = this.sessionHost();
    this.unsubscribes = [opts.store.events.on('written', (e) => this.onWritten(e.endOffset)), opts.store.events.on('flushed', () => this.refresh())];
    this.armTick();
  }

  /** The handler object to add with `orbitmqV1().Replication.service`. */
  service(): v1.ReplicationHandlers {
    return { Follow: (call: grpc.ServerDuplexStream<v1.FollowerMessage__Output, v1.LeaderMessage>) => this.follow(call) };
  }

  /** Highest offset clients may be told is replicated (SYNC_MASTER) or our end (ASYNC_MASTER); never decreases. */
  confirmOffset(): number {
    return this.confirm;
  }

  masterEpoch(): number {
    const epochs = this.opts.store.epochs();
    return epochs[epochs.length - 1]?.epoch ?? 0;
  }

  /** SYNC_MASTER: throws HA_NOT_AVAILABLE naming why when no replica is in sync. ASYNC_MASTER: no-op. */
  assertAvailable(): void {
    if (this.opts.role !== 'SYNC_MASTER') return;
    const reason = this.unavailableReason();
    if (reason !== undefined) throw new OrbitError('HA_NOT_AVAILABLE', reason);
  }

  /**
   * SYNC_MASTER: resolves once a replica's durable ack reaches endOffset; SLAVE_PERSISTENCE_TIMEOUT
   * after slaveTimeoutMs, and at once when no replica is transferring (or all drop out
   * meanwhile). The record is stored by then, so never HA_NOT_AVAILABLE: that code promises a
   * client nothing was stored (assertAvailable, before the append). ASYNC_MASTER: resolves at once.
   */
  awaitReplicated(endOffset: number): Promise<void> {
    if (this.opts.role !== 'SYNC_MASTER') return Promise.resolve();
    const transferring = this.transferring();
    if (transferring.length === 0) {
      this.events.emit('syncWaitFinished', { outcome: 'unavailable', waitMs: 0 });
      const why = this.unavailableReason() ?? 'no replica connected';
      return Promise.reject(new OrbitError('SLAVE_PERSISTENCE_TIMEOUT', `stored on the master, not confirmed by a replica: ${why}`));
    }
    if (transferring.some((s) => s.ackedDurableOffset >= endOffset)) {
      this.events.emit('syncWaitFinished', { outcome: 'ok', waitMs: 0 });
      return Promise.resolve();
    }
    return this.waiters.wait(endOffset);
  }

  /**
   * Graceful stop: true once every accepted follower has acked (written) endOffset, false after
   * timeoutMs. True at once when none is connected (nothing to wait for). Streams still
   * handshaking are not waited for.
   */
  waitForFollowersAt(endOffset: number, timeoutMs: number): Promise<boolean> {
    return this.watch(() => this.accepted().every((s) => s.ackedWrittenOffset >= endOffset), timeoutMs);
  }

  /** Pre-online: the ids among brokerIds whose handshake completed (their local state applied) within timeoutMs. */
  async waitForHandshake(brokerIds: number[], timeoutMs: number): Promise<number[]> {
    await this.watch(() => brokerIds.every((id) => this.handshaken.has(id)), timeoutMs);
    return brokerIds.filter((id) => this.handshaken.has(id));
  }

  /** Refuses new streams (SERVICE_UNAVAILABLE); streams already accepted keep going. */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Closes every stream (SERVICE_UNAVAILABLE), fails every waiter, stops timers. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.accepting = false;
    if (this.tickTimer !== undefined) this.timers.clearTimeout(this.tickTimer);
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    for (const s of [...this.sessions]) s.fail(new OrbitError('SERVICE_UNAVAILABLE', 'the master is stopping'));
    this.waiters.rejectAll(new OrbitError('HA_NOT_AVAILABLE', 'the master is stopping'), 'unavailable');
    for (const w of [...this.watchers]) w.finish(false);
  }

  status(): LeaderStatus {
    const now = this.nowMs();
    const endOffset = this.opts.store.stats().endOffset;
    const byId = new Map<number, FollowerSession>(this.byBroker);
    // A stream still handshaking is shown only when its broker has no accepted one.
    for (const s of this.sessions) if (s.brokerId !== undefined && !byId.has(s.brokerId)) byId.set(s.brokerId, s);
    const followers = [...byId.values()].sort((a, b) => (a.brokerId ?? 0) - (b.brokerId ?? 0)).map((s) => followerStatus(s, now, endOffset, this.settings));
    return { role: this.opts.role, confirmOffset: this.confirm, masterEpoch: this.masterEpoch(), endOffset, followers };
  }

  private follow(call: FollowCall): void {
    const peer = call.getPeer();
    if (!this.accepting) {
      const session = new FollowerSession(call, this.host);
      this.sessions.add(session);
      session.fail(new OrbitError('SERVICE_UNAVAILABLE', 'the master is stopping and takes no new replicas'));
      return;
    }
    this.events.emit('followerConnected', { peer });
    this.sessions.add(new FollowerSession(call, this.host));
  }

  private sessionHost(): SessionHost {
    return {
      store: this.opts.store,
      settings: this.settings,
      identity: this.opts.identity,
      timers: this.timers,
      nowMs: () => this.nowMs(),
      confirmOffset: () => this.confirm,
      isAccepting: () => this.accepting,
      adopt: (session, hs) => this.adopt(session, hs),
      accepted: (session, start) => this.onAccepted(session, start),
      refused: (session, err) => this.events.emit('followerRefused', { brokerId: session.brokerId, peer: session.peer, code: err.code, message: err.message }),
      progressed: (session) => this.onProgress(session),
      closed: (session, reason) => this.onClosed(session, reason),
    };
  }

  private async adopt(session: FollowerSession, hs: CheckedHandshake): Promise<void> {
    const previous = this.byBroker.get(hs.brokerId);
    if (previous && previous !== session && !previous.closed) {
      previous.fail(new OrbitError('SERVICE_UNAVAILABLE', `replaced by a new stream of replica ${session.name} from ${session.peer}`));
    }
    this.byBroker.set(hs.brokerId, session);
    if (hs.localState.length === 0) return;
    // Reverse sync: what the replica changed while it served consumers without us comes first.
    await this.opts.store.applyState(hs.localState);
    this.events.emit('stateApplied', { brokerId: hs.brokerId, ops: hs.localState, origin: 'replica' });
  }

  private onAccepted(session: FollowerSession, start: StartPoint): void {
    const brokerId = session.brokerId as number;
    this.handshaken.add(brokerId);
    this.events.emit('followerAccepted', { brokerId, peer: session.peer, startOffset: start.startOffset, reason: start.reason });
    this.checkWatchers();
  }

  private onProgress(session: FollowerSession): void {
    if (session.state === 'transferring') this.waiters.ackedUpTo(session.ackedDurableOffset);
    this.refresh();
    this.checkWatchers();
  }

  private onClosed(session: FollowerSession, reason: string): void {
    this.sessions.delete(session);
    if (this.inSync.get(session)) this.events.emit('followerOutOfSync', { brokerId: session.brokerId ?? 0, reason: `disconnected: ${reason}` });
    this.inSync.delete(session);
    this.events.emit('followerDisconnected', { brokerId: session.brokerId, reason });
    if (this.waiters.size > 0 && this.transferring().length === 0) {
      this.waiters.rejectAll(new OrbitError('SLAVE_PERSISTENCE_TIMEOUT', `stored on the master, not confirmed: no replica left (${reason})`), 'unavailable');
    }
    this.refresh();
    this.checkWatchers();
  }

  private onWritten(endOffset: number): void {
    const now = this.nowMs();
    for (const s of this.sessions) s.noteOurEnd(endOffset, now);
    this.refresh();
  }

  private accepted(): FollowerSession[] {
    return [...this.sessions].filter((s) => s.brokerId !== undefined && this.byBroker.get(s.brokerId) === s && !s.closed && s.state !== 'handshaking');
  }

  private transferring(): FollowerSession[] {
    return [...this.sessions].filter((s) => s.state === 'transferring');
  }

  private unavailableReason(): string | undefined {
    const now = this.nowMs();
    const endOffset = this.opts.store.stats().endOffset;
    const candidates = this.accepted();
    if (candidates.length === 0) return 'no replica connected';
    const reasons: string[] = [];
    for (const s of candidates) {
      const reason = notInSyncReason(s, now, endOffset, this.settings);
      if (reason === undefined) return undefined;
      reasons.push(reason);
    }
    return reasons.join('; ');
  }

  /** Re-evaluates in-sync flags (emitting changes) and the confirm offset. */
  private refresh(): void {
    const now = this.nowMs();
    const stats = this.opts.store.stats();
    let bestDurable = -1;
    for (const s of this.sessions) {
      if (s.closed || s.brokerId === undefined) continue;
      const reason = notInSyncReason(s, now, stats.endOffset, this.settings);
      const inSync = reason === undefined;
      if (inSync) bestDurable = Math.max(bestDurable, s.ackedDurableOffset);
      if ((this.inSync.get(s) ?? false) === inSync) continue;
      this.inSync.set(s, inSync);
      if (inSync) this.events.emit('followerInSync', { brokerId: s.brokerId, reason: `within ${this.settings.haMaxGapNotInSyncBytes} bytes of the master` });
      else this.events.emit('followerOutOfSync', { brokerId: s.brokerId, reason: reason as string });
    }
    let candidate = stats.endOffset;
    if (this.opts.role === 'SYNC_MASTER') {
      candidate = Math.min(bestDurable, stats.endOffset);
      if (this.opts.flushDiskType === 'SYNC_FLUSH') candidate = Math.min(candidate, stats.flushedOffset);
    }
    if (candidate > this.confirm) {
      this.confirm = candidate;
      this.events.emit('confirmed', { confirmOffset: candidate });
    }
  }

  private watch(check: () => boolean, timeoutMs: number): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const watcher: Watcher = {
        check,
        finish: (ok) => {
          this.timers.clearTimeout(timer);
          this.watchers.delete(watcher);
          resolve(ok);
        },
      };
      const timer = this.timers.setTimeout(() => watcher.finish(check()), timeoutMs);
      this.watchers.add(watcher);
    });
  }

  private checkWatchers(): void {
    for (const w of [...this.watchers]) if (w.check()) w.finish(true);
  }

  /** Heartbeats, housekeeping and ack-age checks run on one timer for all streams. */
  private armTick(): void {
    const tickMs = Math.max(10, Math.min(this.settings.heartbeatIntervalMs, this.settings.housekeepingMs) / 2);
    this.tickTimer = this.timers.setTimeout(() => {
      if (this.stopped) return;
      const now = this.nowMs();
      const epoch = this.masterEpoch();
      for (const s of [...this.sessions]) s.tick(now, epoch);
      this.refresh();
      this.armTick();
    }, tickMs);
  }
}
