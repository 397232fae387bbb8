#!/usr/bin/env node
/**
 * orbitmq-namesrv: composition root of the name server. Config -> route table -> gRPC service and
 * RocketMQ 4.x remoting on the same port -> expiry scan -> metrics. All logic lives in
 * @orbitmq/route-table, namesrv-service.ts and remoting-service.ts.
 */
import { orbitmqV1, reflectionPackage } from '@orbitmq/protocol';
import { RouteTable } from '@orbitmq/route-table';
import { startGrpcServer } from '@orbitmq/rpc';
import { checkClusterSecret, connectionMetrics, runApp, serverTlsOf, tlsReloadLog } from '@orbitmq/runtime';
import { Counter, Gauge, Histogram } from 'prom-client';
import { NAMESRV_CONFIG } from './config';
import { nameServerHandlers } from './namesrv-service';
import { nameServerRemoting } from './remoting-service';

/** How long in-flight calls may finish after a stop is requested. */
const DRAIN_MS = 2_000;

void runApp({
  name: 'namesrv',
  schema: NAMESRV_CONFIG,
  validate: (c) => {
    serverTlsOf(c); // TLS keys complete
    checkClusterSecret(c);
  },
  async start({ config, logger, metrics }) {
    const table = new RouteTable({ defaultTtlMs: config.brokerExpiryMs, nowMs: Date.now });
    const requests = new Counter({
      name: 'rocketmq_namesrv_requests_total',
      help: 'Name server requests by method and result code',
      labelNames: ['method', 'code'],
      registers: [metrics],
    });
    const latency = new Histogram({
      name: 'rocketmq_namesrv_request_duration_seconds',
      help: 'Name server request handling time',
      labelNames: ['method'],
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1],
      registers: [metrics],
    });
    const expirations = new Counter({
      name: 'rocketmq_namesrv_broker_expirations_total',
      help: 'Registrations dropped after missing heartbeats',
      registers: [metrics],
    });
    new Gauge({
      name: 'rocketmq_namesrv_brokers',
      help: 'Registered broker processes',
      registers: [metrics],
      collect() {
        this.set(table.brokerCount);
      },
    });
    new Gauge({
      name: 'rocketmq_namesrv_topics',
      help: 'Topics with at least one live broker',
      registers: [metrics],
      collect() {
        this.set(table.topicCount);
      },
    });

    const observeRequest = (method: string, code: string, ms: number): void => {
      requests.inc({ method, code });
      latency.observe({ method }, ms / 1000);
    };
    const handlers = nameServerHandlers(
      table,
      {
        registered: (b, isNew, topicsUpdated) => {
          if (isNew) logger.info('broker registered', { ...b });
          else if (topicsUpdated) logger.info('broker topics updated', { ...b });
        },
        unregistered: (b) => logger.info('broker unregistered', { ...b }),
      },
      observeRequest,
    );
    const connections = connectionMetrics(metrics);
    const remoting = nameServerRemoting(table, observeRequest, config.maxConnections);
    const server = await startGrpcServer(config.listenHost, config.listenPort, [{ definition: orbitmqV1().NameServer.service, implementation: handlers }], {
      limits: config,
      tls: serverTlsOf(config),
      onTlsReload: tlsReloadLog(logger),
      reflection: reflectionPackage(),
      clusterSecret: config.clusterSecret,
      onConnection: connections.observer('namesrv'),
      otherProtocol: (socket, firstChunk) => remoting.handleSocket(socket, firstChunk),
    });
    connections.track('namesrv', () => server.connections());
    connections.track('namesrv-remoting', () => remoting.connectionCount);
    const scan = setInterval(() => {
      for (const b of table.expire()) {
        expirations.inc();
        logger.warn('broker registration expired', { ...b, brokerExpiryMs: config.brokerExpiryMs });
      }
    }, config.scanIntervalMs);
    return {
      readyInfo: { grpcPort: server.port, listen: server.address },
      async stop() {
        clearInterval(scan);
        await Promise.all([server.stop(DRAIN_MS), remoting.close()]);
      },
    };
  },
});
