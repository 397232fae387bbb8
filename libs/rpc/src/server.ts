import * as grpc from '@grpc/grpc-js';
import type * as http2 from 'node:http2';
import { type ConnectionCount, type ConnectionLimits, type ConnectionObserver, DEFAULT_CONNECTION_LIMITS, guardConnections } from './connection-guard';
import { CHANNEL_OPTIONS, CONNECTION_FLOW_CONTROL_WINDOW_BYTES, STREAM_FLOW_CONTROL_WINDOW_BYTES } from './limits';

export interface ServiceBinding {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

export interface RunningServer {
  /** The bound port (the real one when asked for port 0). */
  readonly port: number;
  readonly address: string;
  /** Open TCP connections (all listening addresses of this endpoint). */
  connections(): number;
  /** Adds a service after binding (e.g. once the bound port is known to the service). */
  addService(binding: ServiceBinding): void;
  /** Stops accepting, lets in-flight calls finish for up to graceMs, then cancels the rest. */
  stop(graceMs: number): Promise<void>;
}

export interface ServerOptions {
  /** Connection limits (each defaults to DEFAULT_CONNECTION_LIMITS). */
  limits?: Partial<ConnectionLimits>;
  /** Told of every refused or closed connection. */
  onConnection?: ConnectionObserver;
}

/**
 * Binds a gRPC server on host:port (port 0 picks a free port) with OrbitMQ's channel limits and
 * connection limits: at most maxConnections, a handshake timeout, an idle timeout and keepalive.
 */
export async function startGrpcServer(host: string, port: number, services: ServiceBinding[], options: ServerOptions = {}): Promise<RunningServer> {
  const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  const server = new grpc.Server({
    ...CHANNEL_OPTIONS,
    // grpc-js servers ping every connection at this period and destroy it when the ack is late;
    // they enforce no minimum interval on clients' pings, so every client's keepalive is accepted.
    'grpc.keepalive_time_ms': limits.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': limits.keepaliveTimeoutMs,
    'grpc.max_concurrent_streams': limits.maxConcurrentCallsPerConnection,
  });
  for (const s of services) server.addService(s.definition, s.implementation);
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const count: ConnectionCount = { open: 0 };
  for (const h2 of http2ServersOf(server)) {
    widenFlowControl(h2);
    guardConnections(h2, limits, count, options.onConnection ?? (() => undefined));
  }
  return {
    port: bound,
    address: `${host}:${bound}`,
    connections: () => count.open,
    addService: (b) => server.addService(b.definition, b.implementation),
    stop: (graceMs) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

/**
 * grpc-js (1.14) keeps its listening http2 servers in a private map; through them (and Node's
 * public http2 API) we widen flow-control windows and guard connections. If the map ever goes
 * away the rpc tests fail (they check both), rather than production silently losing the limits.
 */
function http2ServersOf(server: grpc.Server): http2.Http2Server[] {
  const servers = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(servers instanceof Map)) return [];
  return [...(servers.keys() as IterableIterator<http2.Http2Server>)].filter((h2) => typeof h2.updateSettings === 'function');
}

/**
 * grpc-js servers ignore 'grpc-node.flow_control_window' (grpc/grpc-node#3058), so a server's
 * receive windows stay at Node's 64 KiB: advertise a larger stream window to new sessions and
 * open each session's connection window.
 */
function widenFlowControl(h2: http2.Http2Server): void {
  h2.updateSettings({ initialWindowSize: STREAM_FLOW_CONTROL_WINDOW_BYTES });
  h2.on('session', (session: http2.ServerHttp2Session) => {
    try {
      session.setLocalWindowSize(CONNECTION_FLOW_CONTROL_WINDOW_BYTES);
    } catch {
      // a session that closed at once
    }
  });
}
