import { type AppProcess, grpcAddress, startApp, tmpDir } from './processes';

export interface BrokerOptions {
  storeDir?: string;
  /** Reuse a client port (e.g. after a restart, so clients' cached routes stay valid). */
  grpcServerPort?: number;
  /** Reuse an internal port (replicas find a restarted master at the same address). */
  listenPort?: number;
  /** Where both ports listen (default 127.0.0.1; '::' listens on every address, IPv4 and IPv6). */
  listenHost?: string;
  extra?: string[];
}

export const NAMESRV_TEST_ARGS = ['--listenHost', '127.0.0.1', '--listenPort', '0', '--metricsPort', '0'];

export function startNamesrv(extra: string[] = []): Promise<AppProcess> {
  return startApp('namesrv', [...NAMESRV_TEST_ARGS, ...extra]);
}

/** A master broker on loopback with small (64 MiB) segments and its own temp store. */
export async function startBroker(namesrvAddr: string, opts: BrokerOptions = {}): Promise<AppProcess & { storeDir: string }> {
  return startBrokerApp('broker', namesrvAddr, opts);
}

/**
 * A replica (ha-replicator, brokerRole SLAVE, brokerId 1 unless `extra` says otherwise) of the
 * master with the same brokerName; pass the master's segment size in `extra` if it differs.
 */
export async function startReplica(namesrvAddr: string, opts: BrokerOptions = {}): Promise<AppProcess & { storeDir: string }> {
  return startBrokerApp('replica', namesrvAddr, { ...opts, extra: ['--brokerRole', 'SLAVE', '--brokerId', '1', ...(opts.extra ?? [])] });
}

async function startBrokerApp(app: 'broker' | 'replica', namesrvAddr: string, opts: BrokerOptions): Promise<AppProcess & { storeDir: string }> {
  const storeDir = opts.storeDir ?? tmpDir(`orbitmq-${app}-`);
  const p = await startApp(app, [
    '-n',
    namesrvAddr,
    '--listenHost',
    opts.listenHost ?? '127.0.0.1',
    '--brokerIP1',
    '127.0.0.1',
    '--grpcServerPort',
    String(opts.grpcServerPort ?? 0),
    '--listenPort',
    String(opts.listenPort ?? 0),
    '--metricsPort',
    '0',
    '--storePathRootDir',
    storeDir,
    '--mappedFileSizeCommitLog',
    String(64 * 1024 * 1024),
    '--grpcClientConsumerMaxLongPollingTimeoutMillis',
    '3000',
    ...(opts.extra ?? []),
  ]);
  return Object.assign(p, { storeDir });
}

/** The broker's RocketMQ client endpoint, as SDKs take it. */
export function clientEndpoint(broker: AppProcess): string {
  return grpcAddress(broker);
}

/**
 * A filter server on loopback that finds brokers through the name server (or `brokerAddr`, their
 * internal endpoints) and registers every `registerIntervalMs`.
 */
export function startFilterServer(
  opts: { namesrvAddr?: string; brokerAddr?: string; registerIntervalMs?: number; listenPort?: number; extra?: string[] } = {},
): Promise<AppProcess> {
  return startApp('filter-server', [
    '--listenHost',
    '127.0.0.1',
    '--advertisedHost',
    '127.0.0.1',
    '--listenPort',
    String(opts.listenPort ?? 0),
    '--metricsPort',
    '0',
    ...(opts.namesrvAddr ? ['--namesrvAddr', opts.namesrvAddr] : []),
    ...(opts.brokerAddr ? ['--brokerAddr', opts.brokerAddr] : []),
    '--registerIntervalMs',
    String(opts.registerIntervalMs ?? 1_000),
    ...(opts.extra ?? []),
  ]);
}
