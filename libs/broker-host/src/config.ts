import { DEFAULT_DELAY_LEVELS, parseDelayLevels } from '@orbitmq/broker';
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
import { ACL_CONFIG } from './acl';
import { FILTER_CONFIG } from './filter-config';
import { HA_CONFIG, validateHaConfig } from './ha-config';

/**
 * Broker settings with RocketMQ's key names, so a broker.properties file from a RocketMQ
 * deployment starts a broker (keys we do not use are logged as warnings).
 */
export const BROKER_CONFIG = {
  brokerClusterName: { kind: 'string', default: 'DefaultCluster', describe: 'cluster this broker belongs to', nonEmpty: true },
  brokerName: { kind: 'string', default: 'broker-a', describe: 'broker group name (master and replicas share it)', nonEmpty: true },
  brokerId: { kind: 'int', default: 0, min: 0, max: 1024, describe: '0 = master (broker-store); > 0 = replica (ha-replicator)' },
  brokerRole: {
    kind: 'enum',
    default: 'ASYNC_MASTER',
    choices: ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'],
    describe: 'ASYNC_MASTER acks after the local write; SYNC_MASTER after a replica has it durable; SLAVE = a replica (ha-replicator)',
  },
  namesrvAddr: { kind: 'list', default: ['127.0.0.1:9876'], separator: ';', describe: 'name servers, host:port;host:port', env: ['NAMESRV_ADDR'], alias: 'n' },
  brokerIP1: { kind: 'string', default: '', describe: 'address advertised to clients and name servers (default: first non-loopback IPv4)' },
  listenHost: { kind: 'string', default: '0.0.0.0', describe: 'address both gRPC servers bind to', nonEmpty: true },
  grpcServerPort: { kind: 'int', default: 8081, min: 0, max: 65535, describe: 'RocketMQ 5 client protocol port (0: any free port)' },
  listenPort: { kind: 'int', default: 10911, min: 0, max: 65535, describe: 'internal services port (0: any free port)' },
  storePathRootDir: { kind: 'string', default: 'data/store', describe: 'store directory (checkpoint, index, abort marker)', nonEmpty: true },
  storePathCommitLog: { kind: 'string', default: '', describe: 'commit-log directory (default: <storePathRootDir>/commitlog)' },
  mappedFileSizeCommitLog: { kind: 'int', default: 1024 * 1024 * 1024, min: 1024 * 1024, max: 0xffff_ffff, describe: 'commit-log segment size in bytes' },
  flushDiskType: { kind: 'enum', default: 'ASYNC_FLUSH', choices: ['ASYNC_FLUSH', 'SYNC_FLUSH'], describe: 'SYNC_FLUSH acks a send only after fdatasync' },
  flushIntervalCommitLog: { kind: 'int', default: 500, min: 1, max: 60_000, describe: 'ASYNC_FLUSH: fdatasync interval in ms' },
  deleteWhen: { kind: 'string', default: '04', describe: "hours of the day when expired segments are deleted, e.g. '04' or '01;13'" },
  fileReservedTime: { kind: 'int', default: 72, min: 0, max: 87_600, describe: 'hours a commit-log segment is kept' },
  diskMaxUsedSpaceRatio: { kind: 'int', default: 75, min: 10, max: 95, describe: 'percent disk use above which the oldest segments are deleted early' },
  diskSpaceWarningLevelRatio: {
    kind: 'int',
    default: 90,
    min: 10,
    max: 99,
    describe: 'percent disk use no write may cross: sends are refused and the broker registers read-only',
  },
  diskReserveBytes: {
    kind: 'int',
    default: 64 * 1024 * 1024,
    min: 0,
    max: 2 ** 50,
    describe: 'bytes of the store volume always kept free (sends refused first)',
  },
  diskCheckIntervalMs: { kind: 'int', default: 1_000, min: 10, max: 60_000, describe: 'ms between disk-use measurements of the disk guard' },
  diskCheckAfterBytes: {
    kind: 'int',
    default: 16 * 1024 * 1024,
    min: 4096,
    max: 2 ** 40,
    describe: 'commit-log bytes written after which disk use is measured again at once',
  },
  cleanFileForciblyEnable: {
    kind: 'bool',
    default: false,
    describe: 'above diskMaxUsedSpaceRatio also delete segments with unconsumed messages (RocketMQ defaults to true)',
  },
  cleanResourceInterval: { kind: 'int', default: 10_000, min: 100, max: 3_600_000, describe: 'ms between retention passes' },
  maxMessageSize: { kind: 'int', default: 4 * 1024 * 1024, min: 1024, max: 12 * 1024 * 1024, describe: 'largest message body in bytes' },
  defaultTopicQueueNums: { kind: 'int', default: 8, min: 1, max: 1024, describe: 'queues of an auto-created topic' },
  autoCreateTopicEnable: { kind: 'bool', default: true, describe: 'create unknown topics on first use' },
  autoCreateSubscriptionGroup: { kind: 'bool', default: true, describe: 'create unknown consumer groups on first use' },
  registerNameServerPeriod: { kind: 'int', default: 30_000, min: 1_000, max: 60_000, describe: 'ms between registrations with the name servers' },
  grpcClientConsumerMaxLongPollingTimeoutMillis: {
    kind: 'int',
    default: 20_000,
    min: 1_000,
    max: 60_000,
    describe: 'long-polling time the broker asks PushConsumers to use (ms)',
  },
  maxLongPollWaiters: { kind: 'int', default: 10_000, min: 1, max: 1_000_000, describe: 'parked ReceiveMessage calls before TOO_MANY_REQUESTS' },
  maxInflightPerQueue: { kind: 'int', default: 20_000, min: 1, max: 1_000_000, describe: 'unacked deliveries per group and queue' },
  maxPendingAppends: {
    kind: 'int',
    default: 100_000,
    min: 1,
    max: 10_000_000,
    describe: 'messages waiting for the commit-log writer before TOO_MANY_REQUESTS',
  },
  maxInflightSendBytesPerConnection: {
    kind: 'int',
    default: 16 * 1024 * 1024,
    min: 64 * 1024,
    max: 2 ** 40,
    describe: 'send bytes (bodies + properties) one connection may have accepted and not yet answered before TOO_MANY_REQUESTS',
  },
  maxInflightSendBytes: {
    kind: 'int',
    default: 64 * 1024 * 1024,
    min: 64 * 1024,
    max: 2 ** 40,
    describe: 'send bytes the broker may have accepted and not yet answered, over all connections, before TOO_MANY_REQUESTS',
  },
  ...CONNECTION_CONFIG,
  messageDelayLevel: {
    kind: 'string',
    default: DEFAULT_DELAY_LEVELS,
    describe: "delay of each classic delay level (property DELAY=n), e.g. '1s 5s 10s 30s 1m ... 2h'",
  },
  timerMaxDelaySec: {
    kind: 'int',
    default: 86_400,
    min: 1,
    max: 90 * 86_400,
    describe: 'farthest delivery time a delayed message may ask for, in seconds ahead',
  },
  transactionTimeOut: {
    kind: 'int',
    default: 6_000,
    min: 10,
    max: 86_400_000,
    describe: 'ms after which an unresolved half message is first checked with its producer',
  },
  transactionCheckInterval: { kind: 'int', default: 30_000, min: 10, max: 86_400_000, describe: 'ms between check-backs of the same half message' },
  transactionCheckMax: { kind: 'int', default: 15, min: 1, max: 10_000, describe: 'check-backs before an unresolved half message is discarded' },
  brokerNotActiveTimeoutMillis: {
    kind: 'int',
    default: 0,
    min: 0,
    max: 600_000,
    describe: "ms the name servers keep this broker's entry without a heartbeat (0: the name server's default, 120 s); HA layouts use 10 s",
  },
  ...HA_CONFIG,
  ...FILTER_CONFIG,
  ...ACL_CONFIG,
} as const satisfies ConfigSchema;

export type BrokerConfig = ConfigValues<typeof BROKER_CONFIG>;

/** broker-store: a master (brokerId 0, ASYNC_MASTER or SYNC_MASTER). */
export function validateMasterConfig(c: BrokerConfig): void {
  if (c.brokerRole === 'SLAVE' || c.brokerId !== 0) {
    throw new ConfigError(
      `invalid value for ${c.brokerRole === 'SLAVE' ? "brokerRole: 'SLAVE'" : `brokerId: '${c.brokerId}'`} (broker-store runs masters, brokerId 0; run replicas with ha-replicator)`,
    );
  }
  validateBrokerConfig(c);
}

/** ha-replicator: a replica (brokerRole SLAVE, brokerId > 0). */
export function validateReplicaConfig(c: BrokerConfig): void {
  if (c.brokerRole !== 'SLAVE') throw new ConfigError(`invalid value for brokerRole: '${c.brokerRole}' (ha-replicator runs replicas: brokerRole=SLAVE)`);
  if (c.brokerId === 0) throw new ConfigError("invalid value for brokerId: '0' (a replica needs brokerId > 0; brokerId 0 is the master, run by broker-store)");
  validateBrokerConfig(c);
}

/** Checks every role shares. */
export function validateBrokerConfig(c: BrokerConfig): void {
  validateHaConfig(c);
  serverTlsOf(c); // TLS keys complete
  clientTlsOf(c);
  checkClusterSecret(c);
  if (c.namesrvAddr.length === 0) throw new ConfigError("invalid value for namesrvAddr: '' (at least one name server is required)");
  for (const a of c.namesrvAddr) checkEndpoint('namesrvAddr', a);
  if (!/^(0?\d|1\d|2[0-3])(;(0?\d|1\d|2[0-3]))*$/.test(c.deleteWhen)) {
    throw new ConfigError(`invalid value for deleteWhen: '${c.deleteWhen}' (expected hours 0-23 separated by ';')`);
  }
  if (c.mappedFileSizeCommitLog < c.maxMessageSize + 128 * 1024) {
    throw new ConfigError(`invalid value for mappedFileSizeCommitLog: '${c.mappedFileSizeCommitLog}' (must exceed maxMessageSize + 128 KiB)`);
  }
  let levels: number[];
  try {
    levels = parseDelayLevels(c.messageDelayLevel);
  } catch (err) {
    throw new ConfigError(`invalid value for messageDelayLevel: '${c.messageDelayLevel}' (${(err as Error).message})`);
  }
  if (Math.max(...levels) > c.timerMaxDelaySec * 1000) {
    throw new ConfigError(`invalid value for messageDelayLevel: '${c.messageDelayLevel}' (a level exceeds timerMaxDelaySec=${c.timerMaxDelaySec})`);
  }
  if (c.diskSpaceWarningLevelRatio <= c.diskMaxUsedSpaceRatio) {
    throw new ConfigError(
      `invalid value for diskSpaceWarningLevelRatio: '${c.diskSpaceWarningLevelRatio}' (must be above diskMaxUsedSpaceRatio=${c.diskMaxUsedSpaceRatio})`,
    );
  }
  if (c.maxInflightSendBytesPerConnection > c.maxInflightSendBytes) {
    throw new ConfigError(
      `invalid value for maxInflightSendBytesPerConnection: '${c.maxInflightSendBytesPerConnection}' (must not exceed maxInflightSendBytes=${c.maxInflightSendBytes})`,
    );
  }
}

export function advertisedHost(c: BrokerConfig): string {
  return c.brokerIP1 || defaultHostAddress();
}
