#!/usr/bin/env node
/**
 * orbitmq-filter-server: composition root of a filter server, a stateless process that evaluates
 * SQL92 subscriptions for brokers. Config -> expression cache (@orbitmq/filter) -> gRPC
 * FilterService (match-service.ts) -> registration with every broker (registrar.ts) -> metrics.
 */
import { randomUUID } from 'node:crypto';
import { FilterCache } from '@orbitmq/filter';
import { NameServerClients } from '@orbitmq/namesrv-client';
import { orbitmqV1, reflectionPackage } from '@orbitmq/protocol';
import { startGrpcServer, useClientTls, useClusterSecret } from '@orbitmq/rpc';
import { type Logger, clientTlsOf, connectionMetrics, runApp, serverTlsOf, tlsReloadLog } from '@orbitmq/runtime';
import { FILTER_SERVER_CONFIG, advertisedHost, filterLimits, validateFilterServerConfig } from './config';
import { MatchService } from './match-service';
import { bindFilterServerMetrics, bindRegistrarMetrics } from './metrics';
import { type RegistrarEvents, Registrar, grpcRegistryConnector, nameServerDiscovery } from './registrar';

/** How long in-flight Match calls may finish after a stop is requested. */
const DRAIN_MS = 2_000;

/** Registration outcomes as log lines (failures once per broker until it recovers). */
function registrarLogs(logger: Logger, registerIntervalMs: number): RegistrarEvents {
  return {
    registered: (broker, res) => {
      logger.info('registered with broker', { broker, brokerName: res.brokerName, brokerId: res.brokerId, expiresAfterMs: res.expiresAfterMs });
      if (Number(res.expiresAfterMs) > 0 && Number(res.expiresAfterMs) <= registerIntervalMs) {
        logger.warn('broker expires filter servers sooner than we re-register', { broker, expiresAfterMs: res.expiresAfterMs, registerIntervalMs });
      }
    },
    registerFailed: (broker, error) =>
      logger.warn('registration with broker failed; retrying every period', { broker, code: error.code, error: error.message }),
    recovered: (broker, res) => logger.info('registered with broker again', { broker, brokerName: res.brokerName, brokerId: res.brokerId }),
    brokerGone: (broker) => logger.info('broker left the cluster; no longer registering with it', { broker }),
    discoveryFailed: (error) =>
      logger.warn('cannot read the broker list from the name servers; keeping the last one', { code: error.code, error: error.message }),
    discoveryRecovered: () => logger.info('name servers answer again'),
    unregistered: (broker) => logger.info('unregistered from broker', { broker }),
    unregisterFailed: (broker, error) => logger.warn('unregistration from broker failed', { broker, code: error.code, error: error.message }),
  };
}

void runApp({
  name: 'filter-server',
  schema: FILTER_SERVER_CONFIG,
  validate: validateFilterServerConfig,
  async start({ config, logger, metrics }) {
    useClientTls(clientTlsOf(config)); // tlsEnable: registration with name servers and brokers over TLS
    useClusterSecret(config.clusterSecret); // Register calls carry the cluster credential
    const instanceId = randomUUID();
    const cache = new FilterCache({ capacity: config.expressionCacheSize, limits: filterLimits(config) });
    const bound = bindFilterServerMetrics(metrics, cache);
    const service = new MatchService({ cache, maxHeadsPerMatch: config.maxHeadsPerMatch, onMatch: bound.onMatch });

    const connections = connectionMetrics(metrics);
    const server = await startGrpcServer(
      config.listenHost,
      config.listenPort,
      [{ definition: orbitmqV1().FilterService.service, implementation: service.handlers(bound.observeCall) }],
      {
        limits: config,
        onConnection: connections.observer('filter'),
        tls: serverTlsOf(config),
        onTlsReload: tlsReloadLog(logger),
        reflection: reflectionPackage(),
      },
    );
    connections.track('filter', () => server.connections());

    const endpoint = `${advertisedHost(config)}:${server.port}`;
    const namesrv = config.namesrvAddr.length > 0 ? new NameServerClients(config.namesrvAddr, { deadlineMs: config.registerTimeoutMs, retries: 0 }) : undefined;
    const registrar = new Registrar({
      endpoint,
      instanceId,
      staticBrokers: config.brokerAddr,
      ...(namesrv ? { discover: nameServerDiscovery(namesrv) } : {}),
      connect: grpcRegistryConnector(config.registerTimeoutMs),
      intervalMs: config.registerIntervalMs,
      stopTimeoutMs: config.registerTimeoutMs + 500,
      events: registrarLogs(logger, config.registerIntervalMs),
    });
    bindRegistrarMetrics(metrics, registrar);
    registrar.start();

    return {
      readyInfo: { grpcPort: server.port, endpoint, listen: server.address, instanceId, brokerAddr: config.brokerAddr, namesrvAddr: config.namesrvAddr },
      async stop() {
        // Brokers stop sending work once unregistered; then the calls already sent may finish.
        await registrar.stop();
        await server.stop(DRAIN_MS);
        namesrv?.close();
      },
    };
  },
});
