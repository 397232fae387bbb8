import { OrbitError, toOrbitError } from '@orbitmq/protocol';
import { FollowerEvents, type FollowerState } from '../events';
import { type FlushDiskType, type FollowerStore, META_CONFIRMED_OFFSET, REAL_TIMERS, type ReplicationTimers } from '../ports';
import { type ReplicationSettings, reconnectDelayMs, resolveSettings } from '../settings';
import { type FollowerIdentity, FollowerLink, type LinkHost } from './follower-link';
import { LocalStateJournal } from './local-state-journal';

export type { FollowerIdentity } from './follower-link';

export interface ReplicationFollowerOptions {
  store: FollowerStore;
  identity: FollowerIdentity;
  /** Where this replica serves clients (shown in the master's status). */
  clientEndpoint: string;
  /** This replica's flush mode: what "durable" means in its acks. */
  flushDiskType: FlushDiskType;
  /** The master's replication endpoint: a static haMasterAddress or what the name servers say; undefined when none is known. */
  masterAddress: () => string | undefined | Promise<string | undefined>;
  settings?: Partial<ReplicationSettings>;
  nowMs?: () => number;
  timers?: ReplicationTimers;
  /** Jitter source in [0, 1). */
  random?: () => number;
}

export interface FollowerStatusReport {
  state: FollowerState;
  reason: string;
  masterAddress: string;
  masterEndOffset: number;
  confirmOffset: number;
  endOffset: number;
  lagBytes: number;
  lastFrameAtMs: number;
  masterEpoch: number;
  /** Local state changes waiting for the next handshake, and how many were dropped (journal full). */
  localStateOps: number;
  localStateDroppedOps: number;
}

/** States in which a master is there: local state changes then need no journal (the snapshot supersedes them). */
const WITH_MASTER: ReadonlySet<FollowerState> = new Set<FollowerState>(['truncating', 'reseeding', 'snapshot', 'transferring']);

/**
 * The replica's end of replication: finds the master, follows it, and reconnects with jittered
 * back-off when the stream ends. A refusal (identity, divergence) is shown as state 'refused' with
 * the master's reason and retried at the ceiling, since an operator may fix it.
 */
export class ReplicationFollower {
  readonly events = new FollowerEvents();
  readonly settings: ReplicationSettings;
  private readonly journal: LocalStateJournal;
  private readonly nowMs: () => number;
  private readonly timers: ReplicationTimers;
  private readonly random: () => number;
  private currentState: FollowerState = 'disconnected';
  private reason = 'not started';
  private masterAddressNow = '';
  private masterEndOffset = 0;
  private confirm = 0;
  private masterEpoch = 0;
  private link: FollowerLink | undefined;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private wakeSleep: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private persistTimer: unknown;
  private persistedConfirmOffset = 0;
  private lastPersistAtMs = 0;
  private persisting: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ReplicationFollowerOptions) {
    this.settings = resolveSettings(opts.settings);
    this.journal = new LocalStateJournal(this.settings.maxLocalStateOps);
    this.nowMs = opts.nowMs ?? Date.now;
    this.timers = opts.timers ?? REAL_TIMERS;
    this.random = opts.random ?? Math.random;
  }

  /** Starts following; idempotent. */
  start(): void {
    if (this.loop || this.stopped) return;
    this.unsubscribe = this.opts.store.events.on('stateChanged', (e) => {
      if (e.origin !== 'local' || WITH_MASTER.has(this.currentState)) return;
      const dropped = this.journal.record(e.ops);
      if (dropped > 0) this.events.emit('localStateOverflow', { droppedOps: dropped });
    });
    this.loop = this.run();
  }

  /** Ends the stream, waits for the frame being applied, persists the confirm offset. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.link?.close(new OrbitError('SERVICE_UNAVAILABLE', 'the replica is stopping'));
    this.wakeSleep?.();
    await this.loop;
    if (this.persistTimer !== undefined) this.timers.clearTimeout(this.persistTimer);
    await this.persistConfirm();
    this.setState('stopped', 'stopped');
  }

  /** A master is there and has been heard from within the housekeeping interval. */
  hasMaster(): boolean {
    const link = this.link;
    return this.currentState === 'transferring' && link !== undefined && this.nowMs() - link.lastFrameAtMs <= this.settings.housekeepingMs;
  }

  /** Offset the master says clients were told is stored; a replica exposes min(its dispatched, this). */
  confirmOffset(): number {
    return this.confirm;
  }

  status(): FollowerStatusReport {
    const endOffset = this.opts.store.stats().endOffset;
    return {
      state: this.currentState,
      reason: this.reason,
      masterAddress: this.masterAddressNow,
      masterEndOffset: this.masterEndOffset,
      confirmOffset: this.confirm,
      endOffset,
      lagBytes: Math.max(0, this.masterEndOffset - endOffset),
      lastFrameAtMs: this.link?.lastFrameAtMs ?? 0,
      masterEpoch: this.masterEpoch,
      localStateOps: this.journal.size,
      localStateDroppedOps: this.journal.droppedOps,
    };
  }

  private setState(to: FollowerState, reason: string): void {
    const from = this.currentState;
    this.reason = reason;
    if (from === to) return;
    this.currentState = to;
    this.events.emit('stateChanged', { from, to, reason });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const address = await this.resolveAddress();
      if (this.stopped) break;
      if (address === undefined) {
        this.setState('no-master', 'no master address is known');
        await this.sleep(reconnectDelayMs(this.settings, ++failures, this.random));
        continue;
      }
      this.masterAddressNow = address;
      const link = new FollowerLink(address, this.linkHost());
      this.link = link;
      const outcome = await link.run();
      const wasTransferring = this.currentState === 'transferring';
      if (outcome.accepted) failures = 0;
      const reason = `${outcome.error.code}: ${outcome.error.message}`;
      if (wasTransferring) this.events.emit('masterLost', { masterAddress: address, reason });
      if (this.stopped) break;
      if (outcome.refused) {
        this.setState('refused', reason);
        await this.sleep(this.settings.reconnectMaxMs);
      } else {
        this.setState('disconnected', reason);
        await this.sleep(reconnectDelayMs(this.settings, ++failures, this.random));
      }
    }
  }

  private async resolveAddress(): Promise<string | undefined> {
    try {
      const address = await this.opts.masterAddress();
      return address === '' ? undefined : address;
    } catch (err) {
      this.reason = `resolving the master failed: ${toOrbitError(err).message}`;
      return undefined;
    }
  }

  private sleep(delayMs: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = this.timers.setTimeout(() => {
        this.wakeSleep = undefined;
        resolve();
      }, delayMs);
      this.wakeSleep = () => {
        this.timers.clearTimeout(timer);
        this.wakeSleep = undefined;
        resolve();
      };
    });
  }

  private linkHost(): LinkHost {
    const { store, identity, clientEndpoint, flushDiskType } = this.opts;
    return {
      store,
      settings: this.settings,
      identity,
      clientEndpoint,
      flushDiskType,
      journal: this.journal,
      timers: this.timers,
      nowMs: () => this.nowMs(),
      setState: (state, reason) => this.setState(state, reason),
      heard: (info) => this.heard(info),
      persistedConfirm: (value) => {
        this.persistedConfirmOffset = value;
        this.confirm = Math.max(this.confirm, value);
      },
      truncated: (fromEndOffset, toOffset, droppedBytes) => this.events.emit('truncated', { fromEndOffset, toOffset, droppedBytes }),
      reseeded: (fromEndOffset, startOffset, droppedBytes) => this.events.emit('reseeded', { fromEndOffset, startOffset, droppedBytes }),
      stateApplied: (snapshot, ops) => this.events.emit('stateApplied', { snapshot, ops }),
    };
  }

  private heard(info: { masterEndOffset?: number; confirmOffset?: number; masterEpoch?: number }): void {
    if (info.masterEndOffset !== undefined) this.masterEndOffset = info.masterEndOffset;
    if (info.masterEpoch !== undefined) this.masterEpoch = info.masterEpoch;
    if (info.confirmOffset !== undefined && info.confirmOffset > this.confirm) {
      this.confirm = info.confirmOffset;
      this.events.emit('confirmed', { confirmOffset: this.confirm });
      this.schedulePersist();
    }
  }

  /** At most one write per confirmPersistIntervalMs; the last value is always written (trailing). */
  private schedulePersist(): void {
    if (this.persistTimer !== undefined) return;
    const dueInMs = Math.max(0, this.lastPersistAtMs + this.settings.confirmPersistIntervalMs - this.nowMs());
    this.persistTimer = this.timers.setTimeout(() => {
      this.persistTimer = undefined;
      void this.persistConfirm();
    }, dueInMs);
  }

  /**
   * Persists min(confirm, our position): the master refuses to cut us below this, and we must
   * not claim to hold confirmed bytes we have not written yet.
   */
  private persistConfirm(): Promise<void> {
    this.persisting = this.persisting.then(async () => {
      const position = this.link?.position ?? this.opts.store.stats().endOffset;
      const value = Math.min(this.confirm, Math.max(position, this.opts.store.stats().endOffset));
      if (value <= this.persistedConfirmOffset) return;
      this.lastPersistAtMs = this.nowMs();
      try {
        await this.opts.store.setLocalMeta(META_CONFIRMED_OFFSET, Buffer.from(String(value), 'utf8'));
        this.persistedConfirmOffset = value;
      } catch {
        // Retried with the next confirm change; the store reports its own write failures.
      }
    });
    return this.persisting;
  }
}
