// A remoting server: request processors by code, like RocketMQ's NettyRemotingServer.registerProcessor.
// It listens itself, or takes sockets from a caller that sniffs protocols on a shared port.
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import { ResponseCode } from './codes';
import { createResponse, type RemotingCommand } from './command';
import { RemotingConnection, type RemotingConnectionOptions, type RequestHandler } from './connection';
import type { SharedTurn } from './request-brake';

export interface RemotingServerOptions extends Omit<RemotingConnectionOptions, 'handler'> {
  /** Connections beyond this are destroyed on arrival (default unlimited). */
  maxConnections?: number;
}

/** RocketMQ's answer to a code nobody registered (NettyRemotingAbstract.processRequestCommand). */
export function requestCodeNotSupported(cmd: RemotingCommand): RemotingCommand {
  return createResponse(cmd, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${cmd.code} not supported`);
}

/**
 * True when the first bytes of a connection look like a remoting frame rather than HTTP/2 (gRPC).
 * HTTP/2 starts with the preface "PRI * HTTP/2.0"; a remoting frame with a 4-byte big-endian length,
 * whose first byte is 0 for any frame under 16 MiB (the default frame limit).
 */
export function looksLikeRemoting(firstBytes: Buffer): boolean {
  return firstBytes.length > 0 && firstBytes[0] === 0;
}

/** A server's braked connections (the shape of @orbitmq/rpc's read-brake stats). */
export interface RemotingBrakeStats {
  /** Connections braked now. */
  braked: number;
  /** Connections braked since start. */
  brakedTotal: number;
  /** Requests handled from braked connections since start. */
  streamsTotal: number;
}

/** IPs whose braked connections' shared turns are remembered at once (least recently braked forgotten first). */
export const REMOTING_MAX_BRAKED_IPS = 4_096;

/** "1.2.3.4" of "1.2.3.4:5678"; "::1" of "::1:5678" or "[::1]:5678". */
function ipOfPeer(peer: string): string {
  const colon = peer.lastIndexOf(':');
  const host = colon > 0 ? peer.slice(0, colon) : peer;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Events: 'connection' (conn) for each accepted connection. */
export class RemotingServer extends EventEmitter {
  private readonly processors = new Map<number, RequestHandler>();
  private defaultProcessor: RequestHandler = requestCodeNotSupported;
  private readonly live = new Set<RemotingConnection>();
  /** Live connections by their peer's "ip:port" (what the ACL names a connection by). */
  private readonly byPeer = new Map<string, RemotingConnection>();
  /** The turns each IP's braked connections share (see SharedTurn; least recently braked first). */
  private readonly turnsByIp = new Map<string, SharedTurn>();
  private server: net.Server | undefined;
  private brakedTotal = 0;
  /** Requests handled while braked on connections closed since. */
  private closedBrakedRequests = 0;

  constructor(private readonly options: RemotingServerOptions = {}) {
    super();
  }

  registerProcessor(code: number, handler: RequestHandler): this {
    this.processors.set(code, handler);
    return this;
  }

  /** Handles every code without a processor (default: REQUEST_CODE_NOT_SUPPORTED). */
  registerDefaultProcessor(handler: RequestHandler): this {
    this.defaultProcessor = handler;
    return this;
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(port: number, host?: string): Promise<number> {
    if (this.server) return Promise.reject(new Error('remoting server is already listening'));
    const server = net.createServer((socket) => this.handleSocket(socket));
    this.server = server;
    return new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  /**
   * Serves a connected socket; `firstChunk` holds bytes already read from it (by a protocol sniffer).
   * Returns undefined when the connection limit refused it.
   */
  handleSocket(socket: net.Socket, firstChunk?: Buffer): RemotingConnection | undefined {
    if (this.options.maxConnections !== undefined && this.live.size >= this.options.maxConnections) {
      socket.destroy();
      return undefined;
    }
    const conn = new RemotingConnection(socket, { ...this.options, handler: this.dispatch }, firstChunk);
    this.live.add(conn);
    this.byPeer.set(conn.remoteAddress, conn);
    conn.once('close', () => {
      this.live.delete(conn);
      if (this.byPeer.get(conn.remoteAddress) === conn) this.byPeer.delete(conn.remoteAddress);
      this.closedBrakedRequests += conn.brakedRequests;
    });
    this.emit('connection', conn);
    return conn;
  }

  connections(): IterableIterator<RemotingConnection> {
    return this.live.values();
  }

  get connectionCount(): number {
    return this.live.size;
  }

  /**
   * Reads the connection of `peer` ("ip:port") at callsPerSecond requests (RemotingConnection.brakeReads);
   * false when no such connection is open.
   */
  brakeReads(peer: string, callsPerSecond: number, firstAtOnce = false): boolean {
    const conn = this.byPeer.get(peer);
    if (!conn) return false;
    if (!conn.braked) this.brakedTotal++;
    conn.brakeReads(callsPerSecond, firstAtOnce, this.turnOf(ipOfPeer(peer)));
    return true;
  }

  private turnOf(ip: string): SharedTurn {
    const turn = this.turnsByIp.get(ip) ?? { nextAtMs: 0 };
    this.turnsByIp.delete(ip); // re-inserted: Map order is least recently braked first
    this.turnsByIp.set(ip, turn);
    if (this.turnsByIp.size > REMOTING_MAX_BRAKED_IPS) this.turnsByIp.delete(this.turnsByIp.keys().next().value as string);
    return turn;
  }

  /** Lifts `peer`'s brake, if it has one. */
  releaseReads(peer: string): void {
    this.byPeer.get(peer)?.releaseReads();
  }

  readBrakes(): RemotingBrakeStats {
    let braked = 0;
    let requests = this.closedBrakedRequests;
    for (const conn of this.live) {
      if (conn.braked) braked++;
      requests += conn.brakedRequests;
    }
    return { braked, brakedTotal: this.brakedTotal, streamsTotal: requests };
  }

  /** Stops listening and destroys every connection. */
  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const conn of [...this.live]) conn.close();
    if (!server) return Promise.resolve();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private readonly dispatch: RequestHandler = (cmd, conn) => (this.processors.get(cmd.code) ?? this.defaultProcessor)(cmd, conn);
}
