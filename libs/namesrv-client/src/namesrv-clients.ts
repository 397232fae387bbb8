import * as grpc from '@grpc/grpc-js';
import { OrbitError, orbitmqV1, type v1 } from '@orbitmq/protocol';
import { CHANNEL_OPTIONS, type CallOptions, callUnary, channelCredentials, clusterAuthOptions } from '@orbitmq/rpc';

/** Result of a call made to every name server (registration must reach all of them). */
export interface PerServer<T> {
  address: string;
  result?: T;
  error?: OrbitError;
}

/**
 * gRPC's own reconnect back-off (grpc-js default: 1 s, x1.6, up to 120 s). While it runs, calls
 * fail at once with "No connection established", so after a long outage a name server that is
 * back would stay unreachable from here for up to two minutes, however often we retry. Capped so
 * a restarted name server is reachable again within seconds; a handful of channels reconnecting
 * every few seconds costs nothing.
 */
export const NAMESRV_INITIAL_RECONNECT_BACKOFF_MS = 500;
export const NAMESRV_MAX_RECONNECT_BACKOFF_MS = 5_000;

const NAMESRV_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  ...CHANNEL_OPTIONS,
  'grpc.initial_reconnect_backoff_ms': NAMESRV_INITIAL_RECONNECT_BACKOFF_MS,
  'grpc.max_reconnect_backoff_ms': NAMESRV_MAX_RECONNECT_BACKOFF_MS,
};

/** A connectivity watch is renewed after this long without a change (grpc-js needs a deadline). */
const CONNECTIVITY_WATCH_MS = 60_000;

/** Errors that say something about the request, not about the name server being reachable. */
const AUTHORITATIVE = new Set(['BAD_REQUEST', 'ILLEGAL_TOPIC']);

/**
 * A list of name servers ("host:port;host:port", as RocketMQ's namesrvAddr). Registrations go to
 * every one (they never talk to each other); queries go to one and fail over to the next, so a
 * name server that is down or just restarted (and has not heard every heartbeat yet) is skipped.
 */
export class NameServerClients {
  private readonly clients: { address: string; client: v1.NameServerClient }[];
  private next = 0;
  private closed = false;

  constructor(
    addresses: readonly string[],
    private readonly opts: CallOptions = {},
  ) {
    if (addresses.length === 0) throw new OrbitError('BAD_REQUEST', 'at least one name server address is required');
    const Ctor = orbitmqV1().NameServer;
    this.clients = addresses.map((address) => ({
      address,
      client: new Ctor(address, channelCredentials(), { ...NAMESRV_CHANNEL_OPTIONS, ...clusterAuthOptions() }),
    }));
  }

  static parse(namesrvAddr: string, opts?: CallOptions): NameServerClients {
    return new NameServerClients(
      namesrvAddr
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean),
      opts,
    );
  }

  get addresses(): string[] {
    return this.clients.map((c) => c.address);
  }

  registerBroker(req: v1.RegisterBrokerRequest): Promise<PerServer<v1.RegisterBrokerResponse__Output>[]> {
    return this.everywhere((c) => callUnary(c, c.RegisterBroker, req, this.opts));
  }

  unregisterBroker(req: v1.UnregisterBrokerRequest): Promise<PerServer<v1.UnregisterBrokerResponse__Output>[]> {
    return this.everywhere((c) => callUnary(c, c.UnregisterBroker, req, this.opts));
  }

  /** Registers with one of the name servers only (a retry must not re-hit the others). Never throws. */
  registerBrokerAt(address: string, req: v1.RegisterBrokerRequest): Promise<PerServer<v1.RegisterBrokerResponse__Output>> {
    return this.at(address, (c) => callUnary(c, c.RegisterBroker, req, this.opts));
  }

  /** Unregisters from one of the name servers only. Never throws. */
  unregisterBrokerAt(address: string, req: v1.UnregisterBrokerRequest): Promise<PerServer<v1.UnregisterBrokerResponse__Output>> {
    return this.at(address, (c) => callUnary(c, c.UnregisterBroker, req, this.opts));
  }

  deleteTopic(topic: string): Promise<PerServer<v1.DeleteTopicResponse__Output>[]> {
    return this.everywhere((c) => callUnary(c, c.DeleteTopic, { topic }, this.opts));
  }

  async getRoute(topic: string): Promise<v1.TopicRoute__Output> {
    const res = await this.anyOne((c) => callUnary(c, c.GetRoute, { topic }, this.opts));
    if (!res.route) throw new OrbitError('INTERNAL_ERROR', 'name server answered without a route');
    return res.route;
  }

  getClusterInfo(): Promise<v1.GetClusterInfoResponse__Output> {
    return this.anyOne((c) => callUnary(c, c.GetClusterInfo, {}, this.opts));
  }

  /** Each name server's own view (they can disagree: each knows only the brokers registered with it). */
  getClusterInfoEach(): Promise<PerServer<v1.GetClusterInfoResponse__Output>[]> {
    return this.everywhere((c) => callUnary(c, c.GetClusterInfo, {}, this.opts));
  }

  async getTopicList(clusterName = ''): Promise<string[]> {
    return (await this.anyOne((c) => callUnary(c, c.GetTopicList, { clusterName }, this.opts))).topics;
  }

  /**
   * Calls `listener(address)` each time the connection to a name server that was up is lost (its
   * channel leaves READY). A name server that restarts between two heartbeats has forgotten us,
   * and no failed call would say so until the next period: registration listens here to register
   * again at once (retrying until the name server is back). Returns an unsubscribe.
   */
  onDisconnect(listener: (address: string) => void): () => void {
    let active = true;
    for (const { address, client } of this.clients) {
      const channel = client.getChannel();
      const watch = (state: grpc.connectivityState) => {
        if (!active || this.closed) return;
        channel.watchConnectivityState(state, Date.now() + CONNECTIVITY_WATCH_MS, (err) => {
          if (!active || this.closed) return;
          const now = err ? state : channel.getConnectivityState(false);
          if (state === grpc.connectivityState.READY && now !== grpc.connectivityState.READY) listener(address);
          watch(now);
        });
      };
      watch(channel.getConnectivityState(false));
    }
    return () => {
      active = false;
    };
  }

  close(): void {
    this.closed = true;
    for (const c of this.clients) c.client.close();
  }

  private everywhere<T>(call: (c: v1.NameServerClient) => Promise<T>): Promise<PerServer<T>[]> {
    return Promise.all(this.clients.map((c) => this.callOne(c, call)));
  }

  private async at<T>(address: string, call: (c: v1.NameServerClient) => Promise<T>): Promise<PerServer<T>> {
    const entry = this.clients.find((c) => c.address === address);
    if (!entry) return { address, error: new OrbitError('BAD_REQUEST', `${address} is not one of the name servers`) };
    return this.callOne(entry, call);
  }

  private async callOne<T>(target: (typeof this.clients)[number], call: (c: v1.NameServerClient) => Promise<T>): Promise<PerServer<T>> {
    const { address, client } = target;
    try {
      return { address, result: await call(client) };
    } catch (err) {
      return { address, error: err as OrbitError };
    }
  }

  /** Tries the name servers in turn (starting with the next in rotation) until one answers. */
  private async anyOne<T>(call: (c: v1.NameServerClient) => Promise<T>): Promise<T> {
    let best: OrbitError | undefined;
    const start = this.next++ % this.clients.length;
    for (let i = 0; i < this.clients.length; i++) {
      const { address, client } = this.clients[(start + i) % this.clients.length] as (typeof this.clients)[number];
      try {
        return await call(client);
      } catch (err) {
        const e = err as OrbitError;
        if (AUTHORITATIVE.has(e.code)) throw e;
        // A "not found" beats "unreachable" as the final answer: it is what a live server said.
        if (!best || (best.code === 'SERVICE_UNAVAILABLE' && e.code !== 'SERVICE_UNAVAILABLE')) {
          best = new OrbitError(e.code, `${address}: ${e.message}`, { cause: e });
        }
      }
    }
    throw best as OrbitError;
  }
}
