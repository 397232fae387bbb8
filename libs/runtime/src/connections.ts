import { Counter, Gauge, type Registry } from 'prom-client';
import type { ConfigSchema } from './config';

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
export function connectionMetrics(registry: Registry): {
  observer(server: string): (e: ConnectionReport) => void;
  track(server: string, open: () => number): void;
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
    track: (server, open) => void tracked.set(server, open),
  };
}
