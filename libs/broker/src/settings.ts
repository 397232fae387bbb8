import type { SqlFilterSettings } from './filter';

/** Everything the broker's messaging logic needs to know, already validated by the app. */
export interface BrokerSettings {
  clusterName: string;
  brokerName: string;
  brokerId: number;
  /** host:port clients dial (advertised in routes). */
  clientEndpoint: string;
  internalEndpoint: string;
  autoCreateTopicEnable: boolean;
  autoCreateSubscriptionGroup: boolean;
  defaultTopicQueueNums: number;
  maxMessageSize: number;
  registerIntervalMs: number;
  maxLongPollWaiters: number;
  maxInflightPerQueue: number;
  /** Send bytes (bodies, properties) one connection may have accepted and not yet answered. */
  maxInflightSendBytesPerConnection: number;
  /** Send bytes the broker may have accepted and not yet answered, over all connections. */
  maxInflightSendBytes: number;
  /** Long-polling time sent to consumers in Settings. */
  consumerLongPollingMs: number;
  /** messageDelayLevel, parsed: level n waits delayLevelsMs[n - 1]. */
  delayLevelsMs: readonly number[];
  /** timerMaxDelaySec in ms: farther delivery times are refused. */
  maxDelayMs: number;
  transactionTimeoutMs: number;
  transactionCheckIntervalMs: number;
  transactionCheckMax: number;
  /**
   * 'replica' (ha-replicator): reads only — appends are refused and the delayed-message mover and
   * transaction check-back do not run (the master runs them). Default 'master'.
   */
  role?: 'master' | 'replica';
  /** SQL92 subscriptions and filter servers; omitted keys take DEFAULT_FILTER_SETTINGS. */
  filter?: Partial<SqlFilterSettings>;
}

/** RocketMQ's filter-server timings (3.x: register every 10 s, dropped after 30 s) and our routing limits. */
export const DEFAULT_FILTER_SETTINGS: SqlFilterSettings = {
  enablePropertyFilter: true,
  fallback: 'local',
  matchTimeoutMs: 1_000,
  matchRetries: 1,
  circuitBreakMs: 10_000,
  maxInflightPerServer: 16,
  filterServerExpiryMs: 30_000,
  sqlScanWindow: 1_024,
  expressionCacheSize: 1_024,
};

/** Fixed protocol limits (named, checked at the boundary). */
export const BROKER_LIMITS = {
  maxPropertiesBytes: 32 * 1024,
  dedupWindowMs: 60_000,
  maxDedupEntries: 200_000,
  maxBatchSize: 1_024,
  minInvisibleMs: 1_000,
  maxInvisibleMs: 12 * 3_600_000,
  autoRenewInvisibleMs: 60_000,
  autoRenewSweepMs: 5_000,
  maxLongPollingMs: 60_000,
  deadlineMarginMs: 300,
  maxScanEntriesPerPop: 16_384,
  receiveBatchSize: 32,
  clientTtlMs: 120_000,
};
