import { type BrokerIndexes, type BrokerSettings, createBrokerIndexes } from '@orbitmq/broker';
import { NameServerClients } from '@orbitmq/namesrv-client';
import { type RunningServer, startGrpcServer } from '@orbitmq/rpc';
import { type Logger, connectionMetrics } from '@orbitmq/runtime';
import { MessageStore } from '@orbitmq/storage';
import type { Registry } from 'prom-client';
import { type BrokerConfig, advertisedHost } from './config';
import { brokerSettings, storeConfig } from './settings';
import { logStoreEvents } from './store-events';

/** What every broker process (master or replica) has before its role-specific wiring. */
export interface BrokerProcess {
  indexes: BrokerIndexes;
  store: MessageStore;
  clientServer: RunningServer;
  internalServer: RunningServer;
  settings: BrokerSettings;
  namesrv: NameServerClients;
  stopStoreLogs: () => void;
}

/**
 * The start both broker apps share: the store (recovered before anything is served), its logs,
 * both gRPC servers bound with the connection limits, the settings with the advertised endpoints,
 * and the name-server clients. Services are added by the caller.
 */
export async function openBrokerProcess(config: BrokerConfig, logger: Logger, metrics: Registry): Promise<BrokerProcess> {
  // Timer and transaction indexes are dispatch extensions: they must see recovery's re-dispatch
  // (a replica rebuilds every index from the log with the same extensions).
  const indexes = createBrokerIndexes({ transactionTimeoutMs: config.transactionTimeOut });
  const store = await MessageStore.open(storeConfig(config), { extensions: indexes.extensions });
  logger.info('store opened', { rootDir: store.config.rootDir, storeId: store.identity().storeId, ...store.recovery });
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
  return { indexes, store, clientServer, internalServer, settings, namesrv, stopStoreLogs };
}
