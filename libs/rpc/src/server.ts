import * as grpc from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type * as http2 from 'node:http2';
import * as net from 'node:net';
import { type ConnectionCount, type ConnectionLimits, type ConnectionObserver, DEFAULT_CONNECTION_LIMITS, guardConnections } from './connection-guard';
import { CHANNEL_OPTIONS, CONNECTION_FLOW_CONTROL_WINDOW_BYTES, STREAM_FLOW_CONTROL_WINDOW_BYTES } from './limits';
import { type ServerTls, TlsTerminator, isTlsHandshake } from './tls';
import { type ConnectBrake, type ReadBrakeStats, ReadBrakes } from './read-brake';
import { requireClusterAuth } from './cluster-auth';

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
  /**
   * Reads the connection of `peer` (a call's getPeer()) at callsPerSecond until released: for one
   * that does nothing but fail (see ReadBrakes). False when no such connection is open here.
   */
  brakeReads(peer: string, callsPerSecond: number): boolean;
  /** Ends a brake (a call on the connection was accepted). */
  releaseReads(peer: string): void;
  /** Connections braked now and since start. */
  readBrakes(): ReadBrakeStats;
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
  /**
   * Serve another protocol on the same port: a connection whose first byte is not the HTTP/2
   * preface's 'P' is handed over with the bytes read so far (RocketMQ 4.x remoting frames start
   * with a length whose first byte is 0). Without it, grpc-js binds the port itself.
   */
  otherProtocol?: (socket: net.Socket, firstChunk: Buffer) => void;
  /** TLS on this port (permissive: plain and TLS both served; enforcing: TLS only). */
  tls?: ServerTls;
  /** Told when the certificate files were reloaded (or failed to load: the previous pair stays). */
  onTlsReload?: (error?: Error) => void;
  /**
   * Server reflection (grpc.reflection.v1 and v1alpha) over these protos, so grpcurl and other
   * tools can list and call the services without .proto files.
   */
  reflection?: PackageDefinition;
  /** Whether a new connection is read slowly from its first call (its IP keeps failing authentication; see ReadBrakes). */
  brakeAtConnect?: ConnectBrake;
  /** The cluster credential: CLUSTER_METHODS served here refuse callers without it ('' = open). */
  clusterSecret?: string;
  /**
   * Told of each call that carried a valid cluster credential, by peer ("ip:port"): a connection
   * braked at connect because its IP shares a flooder's is freed by it as by an accepted ACL check.
   */
  onClusterAuthPass?: (peer: string) => void;
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
  // grpc.health.v1 on every server (Kubernetes gRPC probes, load balancers): '' and each
  // service SERVING while the server runs, NOT_SERVING once it stops.
  const health = new HealthImplementation({ '': 'SERVING' });
  health.addToServer(server);
  const addService = (b: ServiceBinding): void => {
    server.addService(
      b.definition,
      options.clusterSecret ? requireClusterAuth(b.definition, b.implementation, options.clusterSecret, options.onClusterAuthPass) : b.implementation,
    );
    const name = serviceNameOf(b.definition);
    if (name) health.setStatus(name, 'SERVING');
  };
  for (const s of services) addService(s);
  if (options.reflection) new ReflectionService(options.reflection).addToServer(server);
  const observe = options.onConnection ?? (() => undefined);
  const terminator = options.tls && options.tls.mode !== 'disabled' ? new TlsTerminator(options.tls, options.onTlsReload) : undefined;
  // With TLS or another protocol our own listener sniffs each connection; else grpc-js binds.
  const other = options.otherProtocol ?? ((socket: net.Socket) => socket.destroy());
  // TLS connections from an IP the brakes would take at connect are read through a ReadGate.
  const atConnect = options.brakeAtConnect;
  const gateAt = atConnect ? (remote: string) => atConnect(remote) !== undefined : undefined;
  const tlsPort = terminator ? { terminator, enforcing: options.tls?.mode === 'enforcing', gateAt } : undefined;
  const shared = options.otherProtocol || tlsPort ? await listenShared(server, host, port, limits, other, observe, tlsPort) : undefined;
  shared?.listener.on('drop', (d?: { remoteAddress?: string; remotePort?: number }) =>
    observe({ kind: 'refused', reason: 'max_connections', remote: d?.remoteAddress ? `${d.remoteAddress}:${d.remotePort ?? 0}` : '' }),
  );
  const bound =
    shared?.port ??
    (await new Promise<number>((resolve, reject) =>
      server.bindAsync(hostPort(host, port), grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    ));
  const count: ConnectionCount = { open: 0 };
  // A braked TLS connection without a gate is closed where its successor would be gated.
  const brakes = new ReadBrakes(Date.now, { closeUngatedTls: gateAt !== undefined && terminator !== undefined });
  for (const h2 of http2ServersOf(server)) {
    widenFlowControl(h2);
    guardConnections(h2, limits, count, options.onConnection ?? (() => undefined), brakes, options.brakeAtConnect);
  }
  return {
    port: bound,
    address: hostPort(host, bound),
    connections: () => count.open,
    brakeReads: (peer, callsPerSecond) => brakes.brake(peer, callsPerSecond),
    releaseReads: (peer) => brakes.release(peer),
    readBrakes: () => brakes.stats(),
    addService,
    stop: (graceMs) =>
      new Promise<void>((resolve) => {
        health.setStatus('', 'NOT_SERVING');
        shared?.listener.close();
        terminator?.close();
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

/**
 * "host:port", an IPv6 literal in brackets: "::1:8081" is itself an IPv6 address, which grpc-js
 * then binds on its default port 443.
 */
function hostPort(host: string, port: number): string {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/** "pkg.Service" from a service definition's method paths ("/pkg.Service/Method"). */
function serviceNameOf(definition: grpc.ServiceDefinition): string | undefined {
  const first = Object.values(definition)[0] as { path?: string } | undefined;
  return first?.path?.split('/')[1];
}

/** The HTTP/2 connection preface starts with "PRI * HTTP/2.0". */
const HTTP2_PREFACE_FIRST_BYTE = 0x50;

/**
 * One port, two protocols: our own listener reads each connection's first bytes and injects
 * HTTP/2 ones into grpc-js (which then guards and serves them like its own), handing the rest to
 * `other`, TLS ones to the terminator first (then sniffed again). A connection that sends nothing
 * within the handshake timeout is closed, and one handed to `other` when no byte has gone either
 * way for connectionIdleTimeoutMs.
 */
async function listenShared(
  server: grpc.Server,
  host: string,
  port: number,
  limits: ConnectionLimits,
  other: (socket: net.Socket, firstChunk: Buffer) => void,
  observe: ConnectionObserver,
  tlsPort?: { terminator: TlsTerminator; enforcing: boolean; gateAt: ((remote: string) => boolean) | undefined },
): Promise<{ port: number; listener: net.Server }> {
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const remoteOf = (socket: net.Socket): string => `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`;
  /** The first bytes of a (plain or decrypted) stream pick the protocol. */
  const route = (socket: net.Socket, chunk: Buffer): void => {
    if (chunk[0] === HTTP2_PREFACE_FIRST_BYTE) {
      // Node's http2 takes the paused socket over (resuming it here breaks the session).
      socket.pause();
      socket.unshift(chunk);
      injector.injectConnection(socket);
      return;
    }
    // RocketMQ closes a channel silent for serverChannelMaxIdleTimeSeconds (120 s; its clients
    // heartbeat every 30 s): a peer stalled mid-frame must not hold its connection forever.
    if (limits.connectionIdleTimeoutMs > 0) {
      socket.setTimeout(limits.connectionIdleTimeoutMs);
      socket.once('timeout', () => {
        observe({ kind: 'closed', reason: 'idle_timeout', remote: remoteOf(socket) });
        socket.destroy();
      });
    }
    other(socket, chunk); // attaches its listeners at once: the stream keeps flowing
  };
  /** Waits (bounded by the handshake timeout) for a stream's first bytes. */
  const firstBytes = (socket: net.Socket, then: (chunk: Buffer) => void): void => {
    // Silent past the handshake timeout: refused and reported like a connection without the HTTP/2 preface.
    const timer = setTimeout(() => {
      observe({ kind: 'refused', reason: 'handshake_timeout', remote: remoteOf(socket) });
      socket.destroy();
    }, limits.handshakeTimeoutMs);
    socket.once('error', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
    socket.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      then(chunk);
    });
  };
  const listener = net.createServer((socket) =>
    firstBytes(socket, (chunk) => {
      if (tlsPort && isTlsHandshake(chunk)) {
        const remote = remoteOf(socket);
        tlsPort.terminator.accept(socket, chunk, tlsPort.gateAt?.(remote) ?? false).then(
          (secure) => firstBytes(secure, (inner) => route(secure, inner)),
          () => observe({ kind: 'refused', reason: 'tls_handshake_failed', remote }),
        );
      } else if (tlsPort?.enforcing) {
        observe({ kind: 'refused', reason: 'tls_required', remote: remoteOf(socket) });
        socket.destroy();
      } else route(socket, chunk);
    }),
  );
  listener.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, host, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  return { port: (listener.address() as net.AddressInfo).port, listener };
}
