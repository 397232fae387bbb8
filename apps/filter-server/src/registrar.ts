import * as grpc from '@grpc/grpc-js';
import type { NameServerClients } from '@orbitmq/namesrv-client';
import { type OrbitError, orbitmqV1, toOrbitError, type v1 } from '@orbitmq/protocol';
import { CHANNEL_OPTIONS, callUnary, channelCredentials, clusterAuthOptions } from '@orbitmq/rpc';

/**
 * gRPC's default reconnect back-off grows to 120 s, during which calls fail at once: a broker back
 * after an outage would not hear from us for up to two minutes and forget us meanwhile. Capped as
 * the name-server clients cap theirs.
 */
const REGISTRY_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  ...CHANNEL_OPTIONS,
  'grpc.initial_reconnect_backoff_ms': 500,
  'grpc.max_reconnect_backoff_ms': 5_000,
};

/** One broker's FilterServerRegistry, as the registrar uses it (tests substitute their own). */
export interface RegistryPort {
  register(req: v1.RegisterFilterServerRequest): Promise<v1.RegisterFilterServerResponse__Output>;
  unregister(req: v1.UnregisterFilterServerRequest): Promise<void>;
  close(): void;
}

export type RegistryConnector = (brokerEndpoint: string) => RegistryPort;

/** The brokers' internal endpoints currently known (throws when they cannot be learned now). */
export type BrokerDiscovery = () => Promise<string[]>;

/** A gRPC FilterServerRegistry client per broker; every call has `timeoutMs` and no retry (the next round is the retry). */
export function grpcRegistryConnector(timeoutMs: number): RegistryConnector {
  return (address) => {
    const Ctor = orbitmqV1().FilterServerRegistry;
    const client = new Ctor(address, channelCredentials(), { ...REGISTRY_CHANNEL_OPTIONS, ...clusterAuthOptions() });
    const opts = { deadlineMs: timeoutMs, retries: 0 };
    return {
      register: (req) => callUnary(client, client.Register, req, opts),
      unregister: async (req) => {
        await callUnary(client, client.Unregister, req, opts);
      },
      close: () => client.close(),
    };
  };
}

/** Every live broker the name servers know (masters and replicas), by internal endpoint. */
export function nameServerDiscovery(namesrv: Pick<NameServerClients, 'getClusterInfo'>): BrokerDiscovery {
  return async () => {
    const info = await namesrv.getClusterInfo();
    const out: string[] = [];
    for (const cluster of info.clusters) {
      for (const b of cluster.brokers) if (b.endpoints?.internalEndpoint) out.push(b.endpoints.internalEndpoint);
    }
    return out;
  };
}

/** What the registrar reports (main.ts logs it). Failures are reported once until they recover. */
export interface RegistrarEvents {
  registered?(broker: string, res: v1.RegisterFilterServerResponse__Output): void;
  registerFailed?(broker: string, error: OrbitError): void;
  recovered?(broker: string, res: v1.RegisterFilterServerResponse__Output): void;
  brokerGone?(broker: string): void;
  discoveryFailed?(error: OrbitError): void;
  discoveryRecovered?(): void;
  unregistered?(broker: string): void;
  unregisterFailed?(broker: string, error: OrbitError): void;
}

export interface RegistrarOptions {
  /** This server's FilterService endpoint ("host:port") as brokers should call it. */
  endpoint: string;
  /** Unique per process start. */
  instanceId: string;
  /** Broker internal endpoints always registered with (brokerAddr). */
  staticBrokers: readonly string[];
  /** Brokers learned from the name servers (absent without namesrvAddr). */
  discover?: BrokerDiscovery;
  connect: RegistryConnector;
  intervalMs: number;
  /** Bound of the wait for an unfinished round, and of the unregistrations, on stop. */
  stopTimeoutMs: number;
  events?: RegistrarEvents;
}

interface BrokerEntry {
  port: RegistryPort;
  /** Last Register succeeded. */
  ok: boolean;
  /** A failure was reported and not yet followed by a success. */
  failing: boolean;
  /** Registered at least once (so an Unregister is due on stop). */
  everRegistered: boolean;
}

/**
 * Keeps this filter server registered with every broker: once at start and every intervalMs, the
 * broker list (static brokerAddr ∪ discovered internal endpoints) gets a Register each, concurrently.
 * One client per broker; clients of brokers that left the discovered list are closed. A name server
 * that does not answer keeps the last discovered list. Never throws; stop() unregisters (bounded).
 */
export class Registrar {
  private readonly brokers = new Map<string, BrokerEntry>();
  private discovered: string[] = [];
  private discoveryFailing = false;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly opts: RegistrarOptions) {}

  /** Brokers whose last Register succeeded. */
  get registeredCount(): number {
    let n = 0;
    for (const e of this.brokers.values()) if (e.ok) n++;
    return n;
  }

  /** Broker endpoints this server currently registers with. */
  get brokerEndpoints(): string[] {
    return [...this.brokers.keys()];
  }

  /** Starts the first round at once (not awaited: Match is served meanwhile) and the period. */
  start(): void {
    this.schedule(0);
  }

  /** One round now (also used by tests); resolves when every Register has answered or failed. */
  registerNow(): Promise<void> {
    if (!this.round) {
      this.round = this.runRound().finally(() => {
        this.round = undefined;
      });
    }
    return this.round;
  }

  /** Stops the period, lets a running round finish (bounded), then unregisters from every broker (bounded). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.round) await withTimeout(this.round, this.opts.stopTimeoutMs);
    const req = { endpoint: this.opts.endpoint, instanceId: this.opts.instanceId };
    const due = [...this.brokers].filter(([, e]) => e.everRegistered);
    await withTimeout(Promise.all(due.map(([broker, e]) => this.unregisterFrom(broker, e, req))), this.opts.stopTimeoutMs);
    for (const e of this.brokers.values()) e.port.close();
    this.brokers.clear();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const started = Date.now();
      void this.registerNow().then(() => this.schedule(Math.max(0, this.opts.intervalMs - (Date.now() - started))));
    }, delayMs);
  }

  private async runRound(): Promise<void> {
    const targets = await this.brokerList();
    if (this.stopped) return;
    for (const [broker, e] of this.brokers) {
      if (targets.has(broker)) continue;
      e.port.close();
      this.brokers.delete(broker);
      this.opts.events?.brokerGone?.(broker);
    }
    const req = { endpoint: this.opts.endpoint, instanceId: this.opts.instanceId };
    await Promise.all([...targets].map((broker) => this.registerWith(broker, req)));
  }

  private async brokerList(): Promise<Set<string>> {
    if (this.opts.discover) {
      try {
        this.discovered = await this.opts.discover();
        if (this.discoveryFailing) this.opts.events?.discoveryRecovered?.();
        this.discoveryFailing = false;
      } catch (err) {
        if (!this.discoveryFailing) this.opts.events?.discoveryFailed?.(toOrbitError(err));
        this.discoveryFailing = true;
      }
    }
    return new Set([...this.opts.staticBrokers, ...this.discovered]);
  }

  private async registerWith(broker: string, req: v1.RegisterFilterServerRequest): Promise<void> {
    let e = this.brokers.get(broker);
    if (!e) {
      e = { port: this.opts.connect(broker), ok: false, failing: false, everRegistered: false };
      this.brokers.set(broker, e);
    }
    try {
      const res = await e.port.register(req);
      const first = !e.everRegistered;
      const recovered = e.failing;
      Object.assign(e, { ok: true, failing: false, everRegistered: true });
      if (recovered) this.opts.events?.recovered?.(broker, res);
      else if (first) this.opts.events?.registered?.(broker, res);
    } catch (err) {
      e.ok = false;
      if (!e.failing) this.opts.events?.registerFailed?.(broker, toOrbitError(err));
      e.failing = true;
    }
  }

  private async unregisterFrom(broker: string, e: BrokerEntry, req: v1.UnregisterFilterServerRequest): Promise<void> {
    try {
      await e.port.unregister(req);
      e.ok = false;
      this.opts.events?.unregistered?.(broker);
    } catch (err) {
      this.opts.events?.unregisterFailed?.(broker, toOrbitError(err));
    }
  }
}

/** Resolves when `p` settles or after `ms`, whichever comes first (never rejects). */
function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    p.then(
      () => {
        clearTimeout(t);
        resolve();
      },
      () => {
        clearTimeout(t);
        resolve();
      },
    );
  });
}
