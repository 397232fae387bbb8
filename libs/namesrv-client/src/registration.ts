import { TypedEvents } from '@orbitmq/events';
import { type ErrorCode, OrbitError, toOrbitError, type v1 } from '@orbitmq/protocol';
import type { PerServer } from './namesrv-clients';

/** First retry of a failed registration with one name server comes after (up to) this long. */
export const REGISTRATION_RETRY_INITIAL_BACKOFF_MS = 200;
/** Each further consecutive failure with the same name server multiplies the back-off by this. */
export const REGISTRATION_RETRY_BACKOFF_MULTIPLIER = 2;
/** Back-off ceiling: far below the name server's 120 s expiry, so a name server that is back is re-populated within seconds. */
export const REGISTRATION_RETRY_MAX_BACKOFF_MS = 5_000;
/**
 * A delay is drawn from [1 - ratio, 1] x the back-off, so brokers that lost the same name server
 * do not retry in lockstep, while a delay never exceeds the ceiling and never drops to zero.
 */
export const REGISTRATION_RETRY_JITTER_RATIO = 0.5;

/** Delay before the retry that follows the `failures`-th consecutive failure (1-based); random() in [0, 1). */
export function registrationRetryDelayMs(failures: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, failures - 1);
  const backoffMs = Math.min(REGISTRATION_RETRY_MAX_BACKOFF_MS, REGISTRATION_RETRY_INITIAL_BACKOFF_MS * REGISTRATION_RETRY_BACKOFF_MULTIPLIER ** exponent);
  return Math.round(backoffMs * (1 - REGISTRATION_RETRY_JITTER_RATIO * random()));
}

/** What the loop needs from the name servers; NameServerClients is one. Results are per server and never throw. */
export interface RegistrationPort {
  readonly addresses: readonly string[];
  registerBrokerAt(address: string, req: v1.RegisterBrokerRequest): Promise<PerServer<v1.RegisterBrokerResponse__Output>>;
  unregisterBrokerAt(address: string, req: v1.UnregisterBrokerRequest): Promise<PerServer<v1.UnregisterBrokerResponse__Output>>;
  /** Optional: tells when the connection to a name server was lost (it may come back without our entry). */
  onDisconnect?(listener: (address: string) => void): () => void;
}

/** Who registers: a broker (brokerId 0), a replica (brokerId > 0), or a filter server's broker. */
export interface RegistrationIdentity {
  clusterName: string;
  brokerName: string;
  brokerId: number;
}

export interface RegistrationEndpoints {
  clientEndpoint: string;
  internalEndpoint: string;
}

/** What to register now; read again for every attempt, so a retry or follow-up never sends stale topics. */
export interface RegistrationSnapshot {
  /** Changes whenever the topic set changes (decimal u64 string); the name server replaces topics only when it differs. */
  dataVersion: string;
  topics: v1.TopicConfig[];
  filterServerEndpoints?: string[];
}

/** Timer functions; tests inject manual ones. The defaults unref their timers (the loop alone does not keep a process alive). */
export interface RegistrationTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RegistrationOptions {
  namesrv: RegistrationPort;
  identity: RegistrationIdentity;
  endpoints: RegistrationEndpoints;
  snapshot: () => RegistrationSnapshot | Promise<RegistrationSnapshot>;
  /** Heartbeat period with every name server (RocketMQ: 30 s; entries expire after 120 s). */
  periodMs: number;
  /**
   * How long the name servers keep the entry without a heartbeat (RocketMQ's
   * brokerNotActiveTimeoutMillis); 0 or absent: the name server's default. HA groups use a short
   * one so consumers move to a replica soon after a master dies.
   */
  ttlMs?: number;
  /** Jitter source in [0, 1); Math.random by default. */
  random?: () => number;
  timers?: RegistrationTimers;
}

/** Everything the loop reports. This lib has no logger or metrics: apps subscribe and log or count. */
export interface RegistrationEventMap {
  /** A name server took the registration. attempt = consecutive attempts with it (1 = first try, > 1 = recovered). */
  registered: { address: string; attempt: number; dataVersion: string; topicsUpdated: boolean; master: v1.BrokerEndpoints__Output | undefined };
  /**
   * One name server refused or could not be reached; it alone is retried in retryInMs. retryInMs is
   * undefined when it is not retried on its own: the error is not retriable (the next period or
   * registerNow() sends again), or stop() has begun.
   */
  registrationFailed: { address: string; attempt: number; code: ErrorCode; message: string; retryInMs: number | undefined };
  unregistered: { address: string };
  /** Not retried: the entry expires on that name server after 120 s without a heartbeat. */
  unregisterFailed: { address: string; code: ErrorCode; message: string };
}

export type RegistrationEventName = keyof RegistrationEventMap;

/** The registration loop's event channel (see @orbitmq/events). */
export class RegistrationEvents extends TypedEvents<RegistrationEventMap> {}

const REAL_TIMERS: RegistrationTimers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** One name server's state: attempts with it are serialised (so an older snapshot never lands after a newer one) and it has its own back-off. */
interface Lane {
  readonly address: string;
  /** Consecutive failed attempts; 0 after a success. */
  failures: number;
  inFlight: Promise<void> | undefined;
  /** A follow-up waiting for inFlight; every call made meanwhile shares it. */
  queued: Promise<void> | undefined;
  retryTimer: unknown;
}

/**
 * Registration with the name servers (the heartbeat): registers with EVERY name server at start,
 * every periodMs, and on registerNow(); unregisters on stop(). Name servers never share state, so
 * each must hear from us itself, and each is handled on its own: a name server whose registration
 * failed is retried alone with jittered exponential back-off until it takes it, while the others
 * are left alone until the next period. Listeners must not throw.
 */
export class Registration {
  readonly events = new RegistrationEvents();
  private readonly lanes: Lane[];
  private readonly random: () => number;
  private readonly timers: RegistrationTimers;
  private periodTimer: unknown;
  private started = false;
  private stopped = false;
  private stopping: Promise<void> | undefined;
  private stopWatching: (() => void) | undefined;

  constructor(private readonly opts: RegistrationOptions) {
    if (!Number.isFinite(opts.periodMs) || opts.periodMs <= 0) throw new OrbitError('BAD_REQUEST', `periodMs must be a positive number, got ${opts.periodMs}`);
    const addresses = [...new Set(opts.namesrv.addresses)];
    if (addresses.length === 0) throw new OrbitError('BAD_REQUEST', 'at least one name server address is required');
    this.lanes = addresses.map((address) => ({ address, failures: 0, inFlight: undefined, queued: undefined, retryTimer: undefined }));
    this.random = opts.random ?? Math.random;
    this.timers = opts.timers ?? REAL_TIMERS;
  }

  /** Registers with every name server now (resolves once each answered or failed), then every periodMs. Rejects only after stop(). */
  start(): Promise<void> {
    if (this.stopped) return Promise.reject(new OrbitError('SERVICE_UNAVAILABLE', 'registration has been stopped'));
    if (!this.started) {
      this.started = true;
      this.armPeriod();
      // A lost connection may be a restart: that name server must hear from us again, not in a period.
      this.stopWatching = this.opts.namesrv.onDisconnect?.((address) => {
        const lane = this.lanes.find((l) => l.address === address);
        if (lane && !this.stopped) void this.request(lane);
      });
    }
    return this.registerNow();
  }

  /**
   * Registers with every name server now. Per name server, one attempt runs at a time; calls made
   * during it share one follow-up, which reads a fresh snapshot, so no change is missed. Resolves
   * once an attempt that started after this call has answered or failed; never rejects. After
   * stop() it does nothing.
   */
  registerNow(): Promise<void> {
    return Promise.all(this.lanes.map((lane) => this.request(lane))).then(() => undefined);
  }

  /** Stops the period and the retries, waits for attempts in flight, then unregisters from every name server. Idempotent. */
  stop(): Promise<void> {
    this.stopped = true;
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    if (this.periodTimer !== undefined) this.timers.clearTimeout(this.periodTimer);
    this.stopWatching?.();
    for (const lane of this.lanes) this.clearRetry(lane);
    // An attempt still in flight could land after the unregister and leave us listed for 120 s.
    await Promise.all(
      this.lanes.map(async (lane) => {
        while (lane.inFlight || lane.queued) await (lane.queued ?? lane.inFlight);
      }),
    );
    await Promise.all(this.lanes.map((lane) => this.unregister(lane)));
  }

  private armPeriod(): void {
    this.periodTimer = this.timers.setTimeout(() => {
      if (this.stopped) return;
      this.armPeriod();
      void this.registerNow();
    }, this.opts.periodMs);
  }

  private request(lane: Lane): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (lane.queued) return lane.queued;
    if (!lane.inFlight) return this.launch(lane);
    const queued = lane.inFlight.then(() => {
      lane.queued = undefined;
      return this.launch(lane);
    });
    lane.queued = queued;
    return queued;
  }

  private launch(lane: Lane): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const run: Promise<void> = this.attempt(lane).finally(() => {
      if (lane.inFlight === run) lane.inFlight = undefined;
    });
    lane.inFlight = run;
    return run;
  }

  private async attempt(lane: Lane): Promise<void> {
    const attempt = lane.failures + 1;
    let dataVersion = '';
    let outcome: PerServer<v1.RegisterBrokerResponse__Output>;
    try {
      const snapshot = await this.opts.snapshot();
      dataVersion = snapshot.dataVersion;
      outcome = await this.opts.namesrv.registerBrokerAt(lane.address, this.registerRequest(snapshot));
    } catch (err) {
      outcome = { address: lane.address, error: toOrbitError(err) };
    }
    if (outcome.error) return this.failed(lane, attempt, toOrbitError(outcome.error));
    lane.failures = 0;
    this.clearRetry(lane);
    const { address } = lane;
    const result = outcome.result;
    this.events.emit('registered', { address, attempt, dataVersion, topicsUpdated: result?.topicsUpdated ?? false, master: result?.master ?? undefined });
  }

  private failed(lane: Lane, attempt: number, error: OrbitError): void {
    lane.failures++;
    this.clearRetry(lane);
    // A refused request (BAD_REQUEST, ...) would be refused again: it waits for the period or a change.
    const retryInMs = !this.stopped && error.spec.retriable ? registrationRetryDelayMs(lane.failures, this.random) : undefined;
    if (retryInMs !== undefined) lane.retryTimer = this.timers.setTimeout(() => this.retry(lane), retryInMs);
    this.events.emit('registrationFailed', { address: lane.address, attempt, code: error.code, message: error.message, retryInMs });
  }

  private retry(lane: Lane): void {
    lane.retryTimer = undefined;
    // An attempt already under way (period or registerNow) reports and re-arms the retry itself.
    if (!lane.inFlight && !lane.queued) void this.request(lane);
  }

  private clearRetry(lane: Lane): void {
    if (lane.retryTimer === undefined) return;
    this.timers.clearTimeout(lane.retryTimer);
    lane.retryTimer = undefined;
  }

  private async unregister(lane: Lane): Promise<void> {
    let outcome: PerServer<v1.UnregisterBrokerResponse__Output>;
    try {
      outcome = await this.opts.namesrv.unregisterBrokerAt(lane.address, { broker: this.identity() });
    } catch (err) {
      outcome = { address: lane.address, error: toOrbitError(err) };
    }
    if (!outcome.error) return this.events.emit('unregistered', { address: lane.address });
    const error = toOrbitError(outcome.error);
    this.events.emit('unregisterFailed', { address: lane.address, code: error.code, message: error.message });
  }

  private identity(): v1.BrokerIdentity {
    const { clusterName, brokerName, brokerId } = this.opts.identity;
    return { clusterName, brokerName, brokerId };
  }

  private registerRequest(snapshot: RegistrationSnapshot): v1.RegisterBrokerRequest {
    const { clientEndpoint, internalEndpoint } = this.opts.endpoints;
    return {
      broker: this.identity(),
      endpoints: { clientEndpoint, internalEndpoint },
      dataVersion: snapshot.dataVersion,
      topics: snapshot.topics,
      filterServerEndpoints: snapshot.filterServerEndpoints ?? [],
      ttlMs: String(this.opts.ttlMs ?? 0),
    };
  }
}
