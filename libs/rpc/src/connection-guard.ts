import type * as http2 from 'node:http2';
import type * as net from 'node:net';
import type { ConnectBrake, ReadBrakes } from './read-brake';

/**
 * Connection limits of one gRPC endpoint. Each listening address of the endpoint applies them on
 * its own (a host that resolves to IPv4 and IPv6 listens twice).
 */
export interface ConnectionLimits {
  /** Open TCP connections; a connection beyond it is closed as soon as it is accepted. */
  maxConnections: number;
  /** A connection must deliver the HTTP/2 preface and SETTINGS within this many ms, or it is closed. */
  handshakeTimeoutMs: number;
  /** A connection without a call in progress for this many ms is closed with GOAWAY (0: never). */
  connectionIdleTimeoutMs: number;
  /**
   * Calls (HTTP/2 streams) one connection may have open at once; the client queues further calls
   * itself. Each open SendMessage holds its request in the broker while it arrives, so this bounds
   * what one connection can make the broker buffer; long polls (ReceiveMessage) hold one each.
   */
  maxConcurrentCallsPerConnection: number;
  /** The server pings every connection this often (ms) ... */
  keepaliveTimeMs: number;
  /** ... and closes it when the ping is not answered within this many ms (a dead peer). */
  keepaliveTimeoutMs: number;
}

/**
 * Defaults for RocketMQ deployments: thousands of producers and consumers per broker are normal,
 * an official client heartbeats every 10 s, so 120 s without a call (RocketMQ proxy's
 * grpcClientIdleTimeMills) only closes connections nobody uses; a healthy peer completes the
 * HTTP/2 handshake in milliseconds, 10 s allows for a loaded client.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 10_000,
  handshakeTimeoutMs: 10_000,
  connectionIdleTimeoutMs: 120_000,
  maxConcurrentCallsPerConnection: 1_000,
  keepaliveTimeMs: 30_000,
  keepaliveTimeoutMs: 20_000,
};

/**
 * Why a connection was refused (max_connections, handshake_timeout; tls_required: plaintext to a
 * TLS-enforcing port; tls_handshake_failed: e.g. no client certificate where one is required) or
 * closed (idle_timeout).
 */
export type ConnectionCloseReason = 'max_connections' | 'handshake_timeout' | 'idle_timeout' | 'tls_required' | 'tls_handshake_failed';

export interface ConnectionEvent {
  kind: 'refused' | 'closed';
  reason: ConnectionCloseReason;
  /** "ip:port" of the peer, when known. */
  remote: string;
}

/** Observes refused and closed connections (apps turn these into metrics and logs). */
export type ConnectionObserver = (event: ConnectionEvent) => void;

/** Open connections of the http2 servers guarded so far, read on demand. */
export interface ConnectionCount {
  open: number;
}

/** The peer as grpc-js's call.getPeer() names it ("ip:port"). */
function remoteOf(socket: { remoteAddress?: string | undefined; remotePort?: number | undefined } | undefined): string {
  if (!socket?.remoteAddress) return '';
  return socket.remotePort ? `${socket.remoteAddress}:${socket.remotePort}` : socket.remoteAddress;
}

/**
 * Applies the limits to one of grpc-js's http2 servers through Node's public API: net's
 * maxConnections (beyond it the socket is closed before any HTTP/2 state exists, and 'drop' fires),
 * a handshake timer per session cleared by the peer's SETTINGS, and an idle timer per session that
 * runs while no stream is open. grpc-js's own idle option is not used because it cannot report.
 */
export function guardConnections(
  h2: http2.Http2Server,
  limits: ConnectionLimits,
  count: ConnectionCount,
  observe: ConnectionObserver,
  brakes: ReadBrakes,
  atConnect?: ConnectBrake,
): void {
  h2.maxConnections = limits.maxConnections;
  h2.on('drop', (data?: { remoteAddress?: string; remotePort?: number }) => observe({ kind: 'refused', reason: 'max_connections', remote: remoteOf(data) }));
  h2.on('connection', (socket: net.Socket) => {
    count.open++;
    socket.once('close', () => count.open--);
  });
  h2.on('session', (session: http2.ServerHttp2Session) => {
    const remote = remoteOf(session.socket);
    brakes.add(remote, session, atConnect);
    const handshake = setTimeout(() => {
      if (session.destroyed) return;
      observe({ kind: 'refused', reason: 'handshake_timeout', remote });
      session.destroy();
    }, limits.handshakeTimeoutMs);
    handshake.unref();
    session.once('remoteSettings', () => clearTimeout(handshake));
    session.once('close', () => clearTimeout(handshake));
    if (limits.connectionIdleTimeoutMs > 0)
      closeWhenIdle(session, limits.connectionIdleTimeoutMs, () => observe({ kind: 'closed', reason: 'idle_timeout', remote }));
  });
}

/** Closes the session (GOAWAY, then close) once no stream has been open for idleMs. */
function closeWhenIdle(session: http2.ServerHttp2Session, idleMs: number, onIdle: () => void): void {
  let active = 0;
  const timer = setTimeout(() => {
    if (active > 0 || session.closed || session.destroyed) return;
    onIdle();
    session.close();
  }, idleMs);
  timer.unref();
  session.on('stream', (stream: http2.ServerHttp2Stream) => {
    active++;
    stream.once('close', () => {
      if (--active === 0) timer.refresh();
    });
  });
  session.once('close', () => clearTimeout(timer));
}
