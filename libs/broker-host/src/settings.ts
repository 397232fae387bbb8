import * as path from 'node:path';
import { type BrokerSettings, parseDelayLevels } from '@orbitmq/broker';
import { type StoreConfigInput, parseDeleteWhen } from '@orbitmq/storage';
import type { BrokerConfig } from './config';
import { filterSettings } from './filter-servers';

/** Record bytes beyond the body: header, topic, id, tag, keys, properties. */
const RECORD_OVERHEAD_BYTES = 128 * 1024;

/** The store's settings from the RocketMQ keys (same for a master and its replicas: their logs must match byte for byte). */
export function storeConfig(config: BrokerConfig): StoreConfigInput {
  return {
    rootDir: path.resolve(config.storePathRootDir),
    ...(config.storePathCommitLog ? { commitLogDir: path.resolve(config.storePathCommitLog) } : {}),
    segmentSizeBytes: config.mappedFileSizeCommitLog,
    flushDiskType: config.flushDiskType,
    flushIntervalMs: config.flushIntervalCommitLog,
    maxRecordBytes: config.maxMessageSize + RECORD_OVERHEAD_BYTES,
    maxPendingAppends: config.maxPendingAppends,
    fileReservedTimeHours: config.fileReservedTime,
    deleteWhenHours: parseDeleteWhen(config.deleteWhen),
    diskMaxUsedSpaceRatio: config.diskMaxUsedSpaceRatio,
    diskFullRatio: config.diskSpaceWarningLevelRatio,
    diskReserveBytes: config.diskReserveBytes,
    diskCheckIntervalMs: config.diskCheckIntervalMs,
    diskCheckAfterBytes: config.diskCheckAfterBytes,
    cleanFileForciblyEnable: config.cleanFileForciblyEnable,
    cleanIntervalMs: config.cleanResourceInterval,
  };
}

/** The broker logic's settings; a replica's broker serves reads only and never creates topics (its master's arrive replicated). */
export function brokerSettings(config: BrokerConfig, clientEndpoint: string, internalEndpoint: string): BrokerSettings {
  const replica = config.brokerRole === 'SLAVE';
  return {
    clusterName: config.brokerClusterName,
    brokerName: config.brokerName,
    brokerId: config.brokerId,
    clientEndpoint,
    internalEndpoint,
    autoCreateTopicEnable: replica ? false : config.autoCreateTopicEnable,
    autoCreateSubscriptionGroup: config.autoCreateSubscriptionGroup,
    defaultTopicQueueNums: config.defaultTopicQueueNums,
    maxMessageSize: config.maxMessageSize,
    registerIntervalMs: config.registerNameServerPeriod,
    maxLongPollWaiters: config.maxLongPollWaiters,
    consumerLongPollingMs: config.grpcClientConsumerMaxLongPollingTimeoutMillis,
    maxInflightPerQueue: config.maxInflightPerQueue,
    maxInflightSendBytesPerConnection: config.maxInflightSendBytesPerConnection,
    maxInflightSendBytes: config.maxInflightSendBytes,
    delayLevelsMs: parseDelayLevels(config.messageDelayLevel),
    maxDelayMs: config.timerMaxDelaySec * 1000,
    transactionTimeoutMs: config.transactionTimeOut,
    transactionCheckIntervalMs: config.transactionCheckInterval,
    transactionCheckMax: config.transactionCheckMax,
    role: replica ? 'replica' : 'master',
    filter: filterSettings(config),
  };
}
