import { DEFAULT_FILTER_LIMITS, type FilterLimits } from '@orbitmq/filter';
import {
  CONNECTION_CONFIG,
  ConfigError,
  checkClusterSecret,
  clientTlsOf,
  serverTlsOf,
  type ConfigSchema,
  type ConfigValues,
  checkEndpoint,
  defaultHostAddress,
} from '@orbitmq/runtime';

/** Filter server settings (flags, ORBITMQ_* environment variables, or a -c properties file). */
export const FILTER_SERVER_CONFIG = {
  listenHost: { kind: 'string', default: '0.0.0.0', describe: 'address the gRPC server (FilterService) binds to', nonEmpty: true },
  listenPort: { kind: 'int', default: 8079, min: 0, max: 65535, describe: 'gRPC port (0: any free port)' },
  advertisedHost: {
    kind: 'string',
    default: '',
    describe: 'host brokers reach this server at (default: listenHost when it is a specific address, else the first non-internal IPv4)',
  },
  namesrvAddr: {
    kind: 'list',
    default: [],
    separator: ';',
    describe: 'name servers, host:port;host:port: every live broker (replicas too) they know is registered with',
    env: ['NAMESRV_ADDR'],
    alias: 'n',
  },
  brokerAddr: {
    kind: 'list',
    default: [],
    separator: ';',
    describe: 'broker internal endpoints, host:port;host:port, registered with in addition to the discovered ones',
  },
  registerIntervalMs: {
    kind: 'int',
    default: 10_000,
    min: 100,
    max: 20_000,
    describe: 'ms between registrations with every broker (brokers drop a filter server 30 s after its last one)',
  },
  registerTimeoutMs: { kind: 'int', default: 3_000, min: 100, max: 30_000, describe: 'deadline of one Register, Unregister or GetClusterInfo call' },
  maxHeadsPerMatch: { kind: 'int', default: 4096, min: 1, max: 1_000_000, describe: 'message heads one Match request may carry' },
  maxExpressionLength: {
    kind: 'int',
    default: DEFAULT_FILTER_LIMITS.maxExpressionLength,
    min: 1,
    max: 1_048_576,
    describe: 'longest SQL92 expression accepted (characters)',
  },
  maxNestingDepth: { kind: 'int', default: DEFAULT_FILTER_LIMITS.maxNestingDepth, min: 1, max: 10_000, describe: 'deepest nesting of an expression' },
  maxInListItems: { kind: 'int', default: DEFAULT_FILTER_LIMITS.maxInListItems, min: 1, max: 1_000_000, describe: 'items of one IN list' },
  maxAstNodes: { kind: 'int', default: DEFAULT_FILTER_LIMITS.maxAstNodes, min: 1, max: 1_000_000, describe: 'syntax-tree nodes of one expression' },
  expressionCacheSize: { kind: 'int', default: 1024, min: 1, max: 1_000_000, describe: 'compiled expressions kept (least recently used are dropped)' },
  ...CONNECTION_CONFIG,
} as const satisfies ConfigSchema;

export type FilterServerConfig = ConfigValues<typeof FILTER_SERVER_CONFIG>;

/** Checks across keys; ConfigError (exit 2, one line) when the filter server has no broker to serve. */
export function validateFilterServerConfig(c: FilterServerConfig): void {
  serverTlsOf(c); // TLS keys complete
  clientTlsOf(c);
  checkClusterSecret(c);
  if (c.namesrvAddr.length === 0 && c.brokerAddr.length === 0) {
    throw new ConfigError(
      "invalid value for namesrvAddr: '' (set namesrvAddr to discover brokers, or brokerAddr to list their internal endpoints; at least one is required)",
    );
  }
  for (const a of c.namesrvAddr) checkEndpoint('namesrvAddr', a);
  for (const a of c.brokerAddr) checkEndpoint('brokerAddr', a);
  if (c.advertisedHost !== '' && !/^[^:\s]+$/.test(c.advertisedHost)) {
    throw new ConfigError(`invalid value for advertisedHost: '${c.advertisedHost}' (expected a host name or IPv4 address without a port)`);
  }
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The host brokers are told to call: advertisedHost when set; listenHost when the server binds one
 * specific address (e.g. 127.0.0.1, where nothing else would reach it); else the first
 * non-internal IPv4 address.
 */
export function advertisedHost(c: Pick<FilterServerConfig, 'advertisedHost' | 'listenHost'>): string {
  if (c.advertisedHost) return c.advertisedHost;
  if (!WILDCARD_HOSTS.has(c.listenHost) && !c.listenHost.includes(':')) return c.listenHost;
  return defaultHostAddress();
}

/** The expression limits of the filter library, from the configuration. */
export function filterLimits(c: FilterServerConfig): FilterLimits {
  return {
    ...DEFAULT_FILTER_LIMITS,
    maxExpressionLength: c.maxExpressionLength,
    maxNestingDepth: c.maxNestingDepth,
    maxInListItems: c.maxInListItems,
    maxAstNodes: c.maxAstNodes,
  };
}
