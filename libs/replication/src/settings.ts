import { OrbitError } from '@orbitmq/protocol';

/** Wire version of replication.proto this build speaks; a leader refuses any other. */
export const REPLICATION_PROTOCOL_VERSION = 1;

/** Every limit of both ends, named with its unit. RocketMQ's key is given where one exists. */
export interface ReplicationSettings {
  /** Most log bytes in one LogFrame (RocketMQ haTransferBatchSize, 32 KiB there); one larger record still goes whole. */
  batchBytes: number;
  /** Sent but not acked (written) bytes per follower before the leader stops reading (credit window). */
  maxInFlightBytes: number;
  /** The leader heartbeats an idle stream this often (RocketMQ haSendHeartbeatInterval, 5000 ms there). */
  heartbeatIntervalMs: number;
  /** Either side closes a stream that sent nothing for this long (RocketMQ haHousekeepingInterval, 20 s there). */
  housekeepingMs: number;
  /** A follower whose durable ack is further behind our end than this is not in sync (RocketMQ haMaxGapNotInSync). */
  haMaxGapNotInSyncBytes: number;
  /** SYNC_MASTER: how long a send waits for a replica's ack (RocketMQ slaveTimeout, 3000 ms there). Below the client's 3000 ms request timeout. */
  slaveTimeoutMs: number;
  /** The first message of a stream must be a handshake within this. */
  handshakeTimeoutMs: number;
  /** Follower reconnect back-off: first delay, and ceiling (also the retry period of a refused follower). */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** Most state changes a follower keeps (merged per key) while it has no master, for the next handshake. */
  maxLocalStateOps: number;
  /** A follower persists the master's confirm offset at most this often. */
  confirmPersistIntervalMs: number;
}

const KIB = 1024;
const MIB = 1024 * KIB;

export const DEFAULT_REPLICATION_SETTINGS: Readonly<ReplicationSettings> = Object.freeze({
  batchBytes: 256 * KIB,
  maxInFlightBytes: 8 * MIB,
  heartbeatIntervalMs: 1_000,
  housekeepingMs: 10_000,
  haMaxGapNotInSyncBytes: 256 * MIB,
  slaveTimeoutMs: 2_500,
  handshakeTimeoutMs: 5_000,
  reconnectInitialMs: 200,
  reconnectMaxMs: 5_000,
  maxLocalStateOps: 100_000,
  confirmPersistIntervalMs: 1_000,
});

/** Reconnect delays are drawn from [1 - ratio, 1] x the back-off, so replicas do not retry in lockstep. */
export const RECONNECT_JITTER_RATIO = 0.5;

/** Defaults overlaid with `partial`; every value must be a positive finite number. */
export function resolveSettings(partial: Partial<ReplicationSettings> = {}): ReplicationSettings {
  const settings: ReplicationSettings = { ...DEFAULT_REPLICATION_SETTINGS, ...partial };
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new OrbitError('BAD_REQUEST', `replication setting ${name} must be a positive number, got ${String(value)}`);
    }
  }
  if (settings.reconnectInitialMs > settings.reconnectMaxMs) {
    throw new OrbitError('BAD_REQUEST', `reconnectInitialMs (${settings.reconnectInitialMs}) must not exceed reconnectMaxMs (${settings.reconnectMaxMs})`);
  }
  return settings;
}

/** Delay before reconnect attempt `failures` (1-based); random() in [0, 1). */
export function reconnectDelayMs(settings: ReplicationSettings, failures: number, random: () => number = Math.random): number {
  const backoffMs = Math.min(settings.reconnectMaxMs, settings.reconnectInitialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(backoffMs * (1 - RECONNECT_JITTER_RATIO * random()));
}
