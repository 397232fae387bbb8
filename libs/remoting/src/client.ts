// A remoting client: one lazily opened connection per "host:port", reopened on the next call after
// it closes (RocketMQ's NettyRemotingClient channel table, without its pool of retries).
import * as net from 'node:net';
import type { RemotingCommand } from './command';
import { RemotingConnection, type RemotingConnectionOptions } from './connection';
import { RemotingConnectError, RemotingTimeoutError } from './errors';
import { splitHostPort } from './ip';

export interface RemotingClientOptions extends RemotingConnectionOptions {
  /** Default 3000 ms, RocketMQ's connectTimeoutMillis. */
  connectTimeoutMs?: number;
}

export class RemotingClient {
  private readonly connections = new Map<string, Promise<RemotingConnection>>();
  private isClosed = false;

  constructor(private readonly options: RemotingClientOptions = {}) {}

  /** The connection to `addr`, opening it if needed. */
  getConnection(addr: string): Promise<RemotingConnection> {
    if (this.isClosed) return Promise.reject(new RemotingConnectError('REMOTING_CONNECTION_CLOSED', 'remoting client is closed'));
    let conn = this.connections.get(addr);
    if (!conn) {
      conn = this.connect(addr);
      this.connections.set(addr, conn);
      const entry = conn;
      entry.then(
        (c) => c.once('close', () => this.forget(addr, entry)),
        () => this.forget(addr, entry),
      );
    }
    return conn;
  }

  /** Sends a request; `timeoutMs` covers connecting too. */
  async invoke(addr: string, cmd: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    const startedMs = Date.now();
    const conn = await this.getConnection(addr);
    const remainingMs = timeoutMs - (Date.now() - startedMs);
    if (remainingMs <= 0) throw new RemotingTimeoutError(cmd.opaque, timeoutMs, addr);
    return conn.invoke(cmd, remainingMs);
  }

  async invokeOneway(addr: string, cmd: RemotingCommand): Promise<void> {
    (await this.getConnection(addr)).invokeOneway(cmd);
  }

  /** Closes every connection; pending requests are rejected. */
  async close(): Promise<void> {
    this.isClosed = true;
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(
      all.map((p) =>
        p.then(
          (c) => c.close(),
          () => undefined,
        ),
      ),
    );
  }

  private forget(addr: string, entry: Promise<RemotingConnection>): void {
    if (this.connections.get(addr) === entry) this.connections.delete(addr);
  }

  private connect(addr: string): Promise<RemotingConnection> {
    let target: { host: string; port: number };
    try {
      target = splitHostPort(addr);
    } catch (e) {
      return Promise.reject(new RemotingConnectError('REMOTING_CONNECT_FAILED', (e as Error).message, { cause: e }));
    }
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 3000;
    return new Promise<RemotingConnection>((resolve, reject) => {
      const socket = net.connect(target);
      const fail = (message: string, cause?: unknown): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(new RemotingConnectError('REMOTING_CONNECT_FAILED', `connect to ${addr}: ${message}`, { cause }));
      };
      const timer = setTimeout(() => fail(`no connection within ${connectTimeoutMs} ms`), connectTimeoutMs);
      socket.once('error', (e) => fail(e.message, e));
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        if (this.isClosed) return fail('remoting client is closed');
        resolve(new RemotingConnection(socket, this.options));
      });
    });
  }
}
