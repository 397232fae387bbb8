import { Counter, Gauge, type Registry } from 'prom-client';
import { ConfigError, type ConfigSchema } from './config';

/**
 * Connection limits of every gRPC endpoint of an app (the same names and defaults in every app;
 * @orbitmq/rpc's DEFAULT_CONNECTION_LIMITS holds the same values for servers started without config).
 */
export const CONNECTION_CONFIG = {
  maxConnections: {
    kind: 'int',
    default: 10_000,
    min: 1,
    max: 1_000_000,
    describe: 'open TCP connections per gRPC endpoint; beyond it new connections are closed at once',
  },
  handshakeTimeoutMs: {
    kind: 'int',
    default: 10_000,
    min: 100,
    max: 600_000,
    describe: 'ms a new connection has to complete the HTTP/2 handshake before it is closed',
  },
  connectionIdleTimeoutMs: {
    kind: 'int',
    default: 120_000,
    min: 0,
    max: 86_400_000,
    describe: 'ms without a call in progress after which a connection is closed with GOAWAY (0: never)',
  },
  maxConcurrentCallsPerConnection: {
    kind: 'int',
    default: 1_000,
    min: 1,
    max: 1_000_000,
    describe: 'calls one connection may have open at once (HTTP/2 streams; the client queues the rest); bounds request bytes buffered per connection',
  },
  keepaliveTimeMs: { kind: 'int', default: 30_000, min: 1_000, max: 7_200_000, describe: 'ms between the server keepalive pings on each connection' },
  keepaliveTimeoutMs: {
    kind: 'int',
    default: 20_000,
    min: 1_000,
    max: 600_000,
    describe: 'ms a keepalive ping may go unanswered before the connection is dropped as dead',
  },
  // TLS, as RocketMQ's tls.server.* settings (tls.server.mode, certPath, keyPath, trustCertPath,
  // need.client.auth), for every port of the app.
  tlsServerMode: {
    kind: 'enum',
    default: 'disabled',
    choices: ['disabled', 'permissive', 'enforcing'],
    describe: 'TLS on every port: permissive serves plain and TLS on the same port, enforcing TLS only',
  },
  tlsServerCertPath: { kind: 'string', default: '', describe: 'PEM certificate (chain) the ports present' },
  tlsServerKeyPath: { kind: 'string', default: '', describe: 'PEM private key of that certificate' },
  tlsServerTrustCertPath: { kind: 'string', default: '', describe: 'PEM CA bundle client certificates must chain to (mutual TLS)' },
  tlsServerNeedClientAuth: {
    kind: 'enum',
    default: 'none',
    choices: ['none', 'require'],
    describe: 'require: refuse TLS clients without a certificate from tlsServerTrustCertPath',
  },
  // The app's own outgoing gRPC connections (RocketMQ's client-side tls.enable / tls.client.*).
  tlsEnable: { kind: 'bool', default: false, describe: "this app's outgoing gRPC connections (registration, replication, filter servers) use TLS" },
  tlsClientTrustCertPath: { kind: 'string', default: '', describe: "PEM CA bundle the servers' certificates must chain to (default: the system roots)" },
  tlsClientCertPath: { kind: 'string', default: '', describe: 'PEM client certificate, for servers with tlsServerNeedClientAuth=require' },
  tlsClientKeyPath: { kind: 'string', default: '', describe: 'PEM key of that client certificate' },
  // The internal plane's credential (registration, replication, filter servers): see @orbitmq/rpc's cluster-auth.
  clusterSecret: {
    kind: 'string',
    default: '',
    secret: true,
    env: ['ORBITMQ_CLUSTER_SECRET'],
    describe: "shared by a cluster's name servers, brokers and filter servers: internal calls must carry it ('' = not checked)",
  },
} as const satisfies ConfigSchema;

/** What @orbitmq/rpc reports about a refused or closed connection (structurally its ConnectionEvent). */
export interface ConnectionReport {
  kind: 'refused' | 'closed';
  reason: string;
}

/**
 * Prometheus series of the connections of the app's gRPC endpoints, one `server` label value
 * per endpoint: rocketmq_connections_refused_total{server,reason} (max_connections,
 * handshake_timeout), rocketmq_connections_closed_total{server,reason} (idle_timeout) and the
 * gauge rocketmq_connections{server}. Returns the observer to hand to startGrpcServer and
 * a way to register the endpoint's open-connection count once it is bound.
 */
/** A server's read brakes as @orbitmq/rpc's RunningServer.readBrakes() reports them (structural). */
export interface ReadBrakeStats {
  braked: number;
  brakedTotal: number;
  streamsTotal: number;
}

export function connectionMetrics(registry: Registry): {
  observer(server: string): (e: ConnectionReport) => void;
  track(server: string, open: () => number, brakes?: () => ReadBrakeStats): void;
} {
  const labelNames = ['server', 'reason'] as const;
  const refused = new Counter({
    name: 'rocketmq_connections_refused_total',
    help: 'Connections refused: beyond maxConnections, or the HTTP/2 handshake not completed within handshakeTimeoutMs',
    labelNames,
    registers: [registry],
  });
  const closed = new Counter({
    name: 'rocketmq_connections_closed_total',
    help: 'Connections closed by the server: no call for connectionIdleTimeoutMs',
    labelNames,
    registers: [registry],
  });
  const tracked = new Map<string, () => number>();
  const braked = new Map<string, () => ReadBrakeStats>();
  bindBrakeMetrics(registry, braked);
  new Gauge({
    name: 'rocketmq_connections',
    help: 'Open TCP connections per gRPC endpoint',
    labelNames: ['server'],
    registers: [registry],
    collect() {
      for (const [server, open] of tracked) this.set({ server }, open());
    },
  });
  return {
    observer: (server) => (e) => (e.kind === 'refused' ? refused : closed).inc({ server, reason: e.reason }),
    track: (server, open, brakes) => {
      tracked.set(server, open);
      if (brakes) braked.set(server, brakes);
    },
  };
}

/** Connections read slowly because they do nothing but fail authentication (aclEnable). */
function bindBrakeMetrics(registry: Registry, braked: Map<string, () => ReadBrakeStats>): void {
  const each = (f: (server: string, stats: ReadBrakeStats) => void) => () => {
    for (const [server, stats] of braked) f(server, stats());
  };
  new Gauge({
    name: 'rocketmq_connections_braked',
    help: "Connections read at aclBrakedConnectionCallsPerSecond calls/s now: past their IP's free failures, none of their calls accepted",
    labelNames: ['server'],
    registers: [registry],
    collect() {
      each((server, s) => this.set({ server }, s.braked))();
    },
  });
  new Counter({
    name: 'rocketmq_connections_braked_total',
    help: 'Connections braked since start',
    labelNames: ['server'],
    registers: [registry],
    collect() {
      this.reset();
      each((server, s) => this.inc({ server }, s.brakedTotal))();
    },
  });
  new Counter({
    name: 'rocketmq_connections_braked_calls_total',
    help: 'Calls (HTTP/2 streams, 4.x requests) read from braked connections since start',
    labelNames: ['server'],
    registers: [registry],
    collect() {
      this.reset();
      each((server, s) => this.inc({ server }, s.streamsTotal))();
    },
  });
}

interface TlsKeys {
  tlsServerMode: 'disabled' | 'permissive' | 'enforcing';
  tlsServerCertPath: string;
  tlsServerKeyPath: string;
  tlsServerTrustCertPath: string;
  tlsServerNeedClientAuth: 'none' | 'require';
}

/** The ports' TLS settings (@orbitmq/rpc's ServerTls), undefined when disabled; a missing file is a ConfigError. */
export function serverTlsOf(
  c: TlsKeys,
): { mode: 'permissive' | 'enforcing'; certFile: string; keyFile: string; trustCertFile?: string; requireClientCert: boolean } | undefined {
  if (c.tlsServerMode === 'disabled') return undefined;
  for (const key of ['tlsServerCertPath', 'tlsServerKeyPath'] as const) {
    if (!c[key]) throw new ConfigError(`invalid value for ${key}: '' (tlsServerMode=${c.tlsServerMode} needs a certificate and its key)`);
  }
  if (c.tlsServerNeedClientAuth === 'require' && !c.tlsServerTrustCertPath) {
    throw new ConfigError("invalid value for tlsServerTrustCertPath: '' (tlsServerNeedClientAuth=require needs the CA client certificates chain to)");
  }
  return {
    mode: c.tlsServerMode,
    certFile: c.tlsServerCertPath,
    keyFile: c.tlsServerKeyPath,
    ...(c.tlsServerTrustCertPath ? { trustCertFile: c.tlsServerTrustCertPath } : {}),
    requireClientCert: c.tlsServerNeedClientAuth === 'require',
  };
}

/** Logs a certificate reload (or why it failed: the previous certificate stays in use). */
export function tlsReloadLog(logger: { info(m: string, meta?: object): void; warn(m: string, meta?: object): void }): (error?: Error) => void {
  return (error) =>
    error ? logger.warn('tls files did not reload; the previous certificate stays in use', { error: error.message }) : logger.info('tls certificate reloaded');
}

/** The outgoing connections' TLS (@orbitmq/rpc's ClientTls), undefined when tlsEnable is off. */
export function clientTlsOf(c: {
  tlsEnable: boolean;
  tlsClientTrustCertPath: string;
  tlsClientCertPath: string;
  tlsClientKeyPath: string;
}): { trustCertFile?: string; certFile?: string; keyFile?: string } | undefined {
  if (!c.tlsEnable) return undefined;
  if (Boolean(c.tlsClientCertPath) !== Boolean(c.tlsClientKeyPath)) {
    throw new ConfigError('invalid value for tlsClientCertPath/tlsClientKeyPath (give both or neither)');
  }
  return {
    ...(c.tlsClientTrustCertPath ? { trustCertFile: c.tlsClientTrustCertPath } : {}),
    ...(c.tlsClientCertPath ? { certFile: c.tlsClientCertPath, keyFile: c.tlsClientKeyPath } : {}),
  };
}

/** At least 16 characters when set: a guessable cluster secret protects nothing. */
export function checkClusterSecret(c: { clusterSecret: string }): void {
  if (c.clusterSecret !== '' && c.clusterSecret.length < 16) throw new ConfigError('invalid value for clusterSecret: (hidden) (at least 16 characters)');
}
