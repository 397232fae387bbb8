// What producers and consumers share: one RemotingClient (a connection per broker), routes,
// heartbeats on every broker connection before it is first used and every interval after,
// requests the broker sends down our connections, and UNREGISTER_CLIENT on close.
import { EventEmitter } from 'node:events';
import {
  RemotingClient,
  type RemotingCommand,
  type RemotingConnection,
  RequestCode,
  type SerializeTypeName,
  createRequest,
  requestCodeNotSupported,
} from '@orbitmq/remoting';
import { expectCode, newClientId, type RemotingClientConfig } from './common';
import { RemotingRoutes } from './routes';

/** Waits for UNREGISTER_CLIENT answers on close at most this long. */
const UNREGISTER_TIMEOUT_MS = 3_000;

export abstract class RemotingClientBase extends EventEmitter {
  readonly clientId: string;
  readonly routes: RemotingRoutes;
  protected readonly remoting: RemotingClient;
  protected readonly rpcTimeoutMs: number;
  protected readonly serializeType: SerializeTypeName;
  /** Connections that have had our heartbeat (a reopened connection gets one again). */
  private readonly heartbeated = new WeakMap<RemotingConnection, Promise<void>>();
  /** Broker addresses we talked to: heartbeats go there, unregisters on close. */
  private readonly brokerAddrs = new Set<string>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private closed = false;

  protected constructor(config: RemotingClientConfig) {
    super();
    this.clientId = config.clientId ?? newClientId();
    this.rpcTimeoutMs = config.rpcTimeoutMs ?? 3_000;
    this.serializeType = config.serializeType ?? 'JSON';
    this.remoting = new RemotingClient({ handler: (cmd, conn) => this.onBrokerRequest(cmd, conn), responseSerializeType: 'mirror' });
    this.routes = new RemotingRoutes(this.remoting, config.namesrvAddr, {
      refreshMs: config.routeRefreshMs,
      timeoutMs: this.rpcTimeoutMs,
      serializeType: this.serializeType,
    });
    const every = config.heartbeatIntervalMs ?? 30_000;
    this.heartbeatTimer = setInterval(() => void this.heartbeatAll().catch((e: unknown) => this.report(e)), every);
    this.heartbeatTimer.unref();
  }

  /** The HeartbeatData body fields of this client (producerDataSet / consumerDataSet). */
  protected abstract heartbeatData(): Record<string, unknown>;

  /** UNREGISTER_CLIENT's group field: producerGroup or consumerGroup. */
  protected abstract unregisterFields(): Record<string, string>;

  /** A request the broker sent down our connection; oneway ones get no answer. */
  protected handleBrokerRequest(cmd: RemotingCommand, _conn: RemotingConnection): RemotingCommand | undefined {
    return requestCodeNotSupported(cmd);
  }

  /** A request in our header encoding. */
  protected request(code: number, header: Record<string, string>, body?: Buffer): RemotingCommand {
    return createRequest(code, header, body, { serializeType: this.serializeType });
  }

  /** Sends to a broker (heartbeating its connection first if needed); rejects on other codes than `accepted`. */
  protected async call(
    addr: string,
    cmd: RemotingCommand,
    what: string,
    accepted?: readonly number[],
    timeoutMs = this.rpcTimeoutMs,
  ): Promise<RemotingCommand> {
    const conn = await this.brokerConnection(addr);
    return expectCode(await conn.invoke(cmd, timeoutMs), what, accepted);
  }

  /** The connection to a broker, heartbeated. */
  protected async brokerConnection(addr: string): Promise<RemotingConnection> {
    const conn = await this.remoting.getConnection(addr);
    let done = this.heartbeated.get(conn);
    if (!done) {
      this.brokerAddrs.add(addr);
      done = this.heartbeat(conn);
      this.heartbeated.set(conn, done);
      done.catch(() => this.heartbeated.delete(conn));
    }
    await done;
    return conn;
  }

  /** HEART_BEAT (34) now to every broker this client uses (and the masters of `topics`' routes). */
  async heartbeatAll(topics: readonly string[] = []): Promise<void> {
    for (const t of topics) for (const addr of (await this.routes.route(t)).masters.values()) this.brokerAddrs.add(addr);
    await Promise.all(
      [...this.brokerAddrs].map(async (addr) => {
        const conn = await this.remoting.getConnection(addr);
        const done = this.heartbeat(conn);
        if (!this.heartbeated.has(conn)) this.heartbeated.set(conn, done);
        done.catch(() => this.heartbeated.delete(conn));
        await done;
      }),
    );
  }

  private async heartbeat(conn: RemotingConnection): Promise<void> {
    const body = Buffer.from(JSON.stringify({ clientID: this.clientId, ...this.heartbeatData() }));
    expectCode(await conn.invoke(this.request(RequestCode.HEART_BEAT, {}, body), this.rpcTimeoutMs), `heartbeat to ${conn.remoteAddress}`);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** UNREGISTER_CLIENT (35) on every broker used (answers awaited up to 3 s), then the connections close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    const header = { clientID: this.clientId, ...this.unregisterFields() };
    await Promise.all(
      [...this.brokerAddrs].map((addr) =>
        this.remoting.invoke(addr, this.request(RequestCode.UNREGISTER_CLIENT, header), UNREGISTER_TIMEOUT_MS).catch(() => undefined),
      ),
    );
    await this.remoting.close();
  }

  private onBrokerRequest(cmd: RemotingCommand, conn: RemotingConnection): RemotingCommand | undefined {
    try {
      return this.handleBrokerRequest(cmd, conn);
    } catch (e) {
      this.report(e);
      return undefined;
    }
  }

  /** Background failures go to 'error' listeners, if there are any (never thrown from a timer). */
  protected report(error: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}
