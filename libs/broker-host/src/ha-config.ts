import { ConfigError, type ConfigSchema, checkEndpoint } from '@orbitmq/runtime';

/**
 * Replication keys, RocketMQ's names. A master reads the first group, a replica haMasterAddress;
 * the RocketMQ 5 replica-count keys (RIP-34) are accepted and checked but do not change the
 * meaning of SYNC_MASTER here: it waits for one replica, as in RocketMQ 4 and the seeds (see
 * docs/replication.md, "Deviations").
 */
export const HA_CONFIG = {
  slaveTimeout: {
    kind: 'int',
    default: 2_500,
    min: 100,
    max: 60_000,
    describe: 'SYNC_MASTER: ms a send waits for a replica before SLAVE_PERSISTENCE_TIMEOUT (keep below the client request timeout, 3000 ms)',
  },
  haMaxGapNotInSync: {
    kind: 'int',
    default: 256 * 1024 * 1024,
    min: 64 * 1024,
    max: 2 ** 40,
    describe: 'bytes a replica may be behind and still count as in sync (SYNC_MASTER answers HA_NOT_AVAILABLE beyond)',
  },
  haTransferBatchSize: { kind: 'int', default: 256 * 1024, min: 4 * 1024, max: 8 * 1024 * 1024, describe: 'bytes of commit log per replication frame' },
  haMaxInFlightBytes: {
    kind: 'int',
    default: 8 * 1024 * 1024,
    min: 64 * 1024,
    max: 1024 * 1024 * 1024,
    describe: 'bytes sent to a replica and not yet acknowledged before the master waits',
  },
  haSendHeartbeatInterval: { kind: 'int', default: 1_000, min: 50, max: 60_000, describe: 'ms between heartbeats on an idle replication stream' },
  haHousekeepingInterval: {
    kind: 'int',
    default: 10_000,
    min: 200,
    max: 600_000,
    describe: 'ms without a message after which either side closes the replication stream',
  },
  haMasterAddress: { kind: 'string', default: '', describe: "replica: the master's internal endpoint host:port (default: learned from the name servers)" },
  haPreOnlineWaitMs: {
    kind: 'int',
    default: 10_000,
    min: 0,
    max: 600_000,
    describe: 'master start: ms to wait for registered replicas to hand back consumer state before serving',
  },
  haStopWaitMs: {
    kind: 'int',
    default: 5_000,
    min: 0,
    max: 600_000,
    describe: 'master SIGTERM: ms to wait for replicas to acknowledge the log end before closing',
  },
  totalReplicas: { kind: 'int', default: 1, min: 1, max: 16, describe: 'RocketMQ 5 (RIP-34), accepted: copies of a record including the master' },
  inSyncReplicas: { kind: 'int', default: 1, min: 1, max: 16, describe: 'RocketMQ 5 (RIP-34), accepted: SYNC_MASTER here always waits for one replica' },
  minInSyncReplicas: { kind: 'int', default: 1, min: 1, max: 16, describe: 'RocketMQ 5 (RIP-34), accepted' },
  enableAutoInSyncReplicas: { kind: 'bool', default: false, describe: 'RocketMQ 5 (RIP-34), accepted; not used' },
} as const satisfies ConfigSchema;

export function validateHaConfig(c: { haMasterAddress: string; inSyncReplicas: number; totalReplicas: number; minInSyncReplicas: number }): void {
  if (c.haMasterAddress) checkEndpoint('haMasterAddress', c.haMasterAddress);
  if (c.inSyncReplicas > c.totalReplicas) {
    throw new ConfigError(`invalid value for inSyncReplicas: '${c.inSyncReplicas}' (must not exceed totalReplicas=${c.totalReplicas})`);
  }
  if (c.minInSyncReplicas > c.inSyncReplicas) {
    throw new ConfigError(`invalid value for minInSyncReplicas: '${c.minInSyncReplicas}' (must not exceed inSyncReplicas=${c.inSyncReplicas})`);
  }
}
