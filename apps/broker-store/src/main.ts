#!/usr/bin/env node
/**
 * orbitmq-broker: composition root of a master broker. Config -> store (recovered before any
 * traffic) -> gRPC servers bound -> broker logic (libs/broker) -> registration with the name
 * servers. Store events become logs; the broker's metrics are served on /metrics.
 */
import * as path from 'node:path';
import { Gauge } from 'prom-client';
import { Broker, type BrokerSettings, createBrokerIndexes, parseDelayLevels } from '@orbitmq/broker';
import { NameServerClients } from '@orbitmq/namesrv-client';
import { fastServerDefinition, orbitmqV1, rocketmqV2 } from '@orbitmq/protocol';
import { startGrpcServer } from '@orbitmq/rpc';
import { connectionMetrics, runApp } from '@orbitmq/runtime';
import { MessageStore, type StoreConfigInput, parseDeleteWhen } from '@orbitmq/storage';
import { adminService } from './admin-service';
import { logBrokerEvents } from './broker-logs';
import { createRegistration } from './registration';
import { bindBrokerMetrics } from './broker-metrics';
import { BROKER_CONFIG, type BrokerConfig, advertisedHost, validateBrokerConfig } from './config';
import { logStoreEvents } from './store-events';

/** How long in-flight calls may finish after a stop is requested. */
const DRAIN_MS = 3_000;
/** Record bytes beyond the body: header, topic, id, tag, keys, properties. */
const RECORD_OVERHEAD_BYTES = 128 * 1024;

void runApp({
  name: 'broker',
  schema: BROKER_CONFIG,
  validate: validateBrokerConfig,
  async start({ config, logger, metrics }) {
    const startedAtMs = Date.now();
    if (config.brokerRole === 'SYNC_MASTER') {
      logger.warn('brokerRole SYNC_MASTER: no replica is attached yet, so sends are acknowledged as by ASYNC_MASTER');
    }
    // Timer and transaction indexes are dispatch extensions: they must see recovery's re-dispatch.
    const indexes = createBrokerIndexes({ transactionTimeoutMs: config.transactionTimeOut });
    const store = await MessageStore.open(storeConfig(config), { extensions: indexes.extensions });
    logger.info('store opened', { rootDir: store.config.rootDir, ...store.recovery });
    const stopStoreLogs = logStoreEvents(store, logger);

    // Both endpoints get the connection limits (maxConnections, handshake/idle timeouts, keepalive).
    const connections = connectionMetrics(metrics);
    const clientServer = await startGrpcServer(config.listenHost, config.grpcServerPort, [], { limits: config, onConnection: connections.observer('client') });
    const internalServer = await startGrpcServer(config.listenHost, config.listenPort, [], { limits: config, onConnection: connections.observer('internal') });
    connections.track('client', () => clientServer.connections());
    connections.track('internal', () => internalServer.connections());
    const host = advertisedHost(config);
    const settings = brokerSettings(config, `${host}:${clientServer.port}`, `${host}:${internalServer.port}`);
    const namesrv = new NameServerClients(config.namesrvAddr, { deadlineMs: 3_000, retries: 1 });
    // Read-only while the disk guard refuses appends: own routes at once, name servers re-registered on each switch.
    const writable = (): boolean => store.stats().diskGuardState === 'accepting';
    const broker: Broker = new Broker({ store, indexes, routes: namesrv, publishRoutes: () => registration.registerNow(), writable }, settings);
    const registration = createRegistration(namesrv, settings, () => broker.topics, logger, writable);
    broker.topics.onChange(() => void registration.registerNow());
    store.events.on('diskGuard', () => void registration.registerNow());
    const unbindMetrics = bindBrokerMetrics(metrics, broker.events, broker.gauges, store);
    const stopBrokerLogs = logBrokerEvents(broker.events, logger);
    // Static facts as labels of a constant gauge, so dashboards and the benchmark tool can tell the mode.
    new Gauge({
      name: 'rocketmq_broker_info',
      help: 'Always 1; labels: flush mode and role.',
      labelNames: ['flush_disk_type', 'broker_role'],
      registers: [metrics],
    }).set({ flush_disk_type: config.flushDiskType, broker_role: config.brokerRole }, 1);
    await broker.load(); // topics, groups and counts before the first request can arrive
    // Hand-written codecs on the hot paths (sends, deliveries); proto-loader's everywhere else.
    clientServer.addService({
      definition: fastServerDefinition(rocketmqV2().MessagingService.service as never) as never,
      implementation: broker.service as never,
    });
    internalServer.addService({
      definition: orbitmqV1().BrokerAdmin.service,
      implementation: adminService({ api: broker.admin, store, settings, config, startedAtMs }) as never,
    });
    broker.start();
    await registration.start();

    return {
      readyInfo: {
        grpcPort: clientServer.port,
        internalPort: internalServer.port,
        clientEndpoint: settings.clientEndpoint,
        brokerName: settings.brokerName,
        storePathRootDir: store.config.rootDir,
      },
      async stop() {
        // Stop accepting first, let in-flight calls finish, then unregister and close the store
        // (which drains the writer, flushes and removes the abort marker).
        broker.stop();
        await registration.stop();
        await Promise.all([clientServer.stop(DRAIN_MS), internalServer.stop(DRAIN_MS)]);
        namesrv.close();
        await store.close();
        unbindMetrics();
        stopBrokerLogs();
        stopStoreLogs();
      },
    };
  },
});

function storeConfig(config: BrokerConfig): StoreConfigInput {
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

function brokerSettings(config: BrokerConfig, clientEndpoint: string, internalEndpoint: string): BrokerSettings {
  return {
    clusterName: config.brokerClusterName,
    brokerName: config.brokerName,
    brokerId: config.brokerId,
    clientEndpoint,
    internalEndpoint,
    autoCreateTopicEnable: config.autoCreateTopicEnable,
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
  };
}
