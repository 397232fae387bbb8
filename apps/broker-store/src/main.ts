#!/usr/bin/env node
/**
 * orbitmq-broker: composition root of a master broker. Config -> store (recovered before any
 * traffic) -> gRPC servers bound -> broker logic (libs/broker) -> replication leader
 * (libs/replication, when replicas follow) -> registration with the name servers. Store, broker
 * and replication events become logs and metrics (libs/broker-host).
 */
import { Broker } from '@orbitmq/broker';
import {
  BROKER_CONFIG,
  openBrokerProcess,
  adminService,
  bindBrokerMetrics,
  bindLeaderMetrics,
  brokerInfoGauge,
  createRegistration,
  GrpcFilterTransport,
  serveFilterServers,
  updateBrokerConfig,
  MasterReplication,
  logBrokerEvents,
  logLeaderEvents,
  validateMasterConfig,
} from '@orbitmq/broker-host';
import { fastServerDefinition, orbitmqV1, rocketmqV2 } from '@orbitmq/protocol';
import { runApp } from '@orbitmq/runtime';

/** How long in-flight calls may finish after a stop is requested. */
const DRAIN_MS = 3_000;

void runApp({
  name: 'broker',
  schema: BROKER_CONFIG,
  validate: validateMasterConfig,
  async start(ctx) {
    const { config, logger, metrics } = ctx;
    const startedAtMs = Date.now();
    const { indexes, store, clientServer, internalServer, settings, namesrv, stopStoreLogs, serveRemoting, acl } = await openBrokerProcess(ctx);

    // The leader serves replicas on the internal port from now on; SYNC_MASTER sends wait for it.
    const ha = await MasterReplication.start(config, store, logger);
    const leader = ha.leader;
    internalServer.addService({ definition: orbitmqV1().Replication.service, implementation: leader.service() as never });
    const unbindLeader = bindLeaderMetrics(metrics, leader);
    const stopLeaderLogs = logLeaderEvents(leader, logger);

    // Read-only while the disk guard refuses appends: own routes at once, name servers re-registered on each switch.
    const writable = (): boolean => store.stats().diskGuardState === 'accepting';
    const replication = config.brokerRole === 'SYNC_MASTER' ? leader : undefined;
    // broker -> filter server: SQL92 windows go to the registered filter servers (or are evaluated here).
    const filterTransport = new GrpcFilterTransport();
    const publishRoutes = (): Promise<void> => registration.registerNow();
    const broker: Broker = new Broker({ store, indexes, routes: namesrv, publishRoutes, writable, replication, filterTransport, acl: acl.guard }, settings);
    const registration = createRegistration(namesrv, settings, broker, logger, writable, config.brokerNotActiveTimeoutMillis);
    broker.topics.onChange(() => void registration.registerNow());
    store.events.on('diskGuard', () => void registration.registerNow());
    // A replica handed back consumer state it changed while it served without us: take it before serving.
    leader.events.on('stateApplied', () => void broker.reloadState());
    const unbindMetrics = bindBrokerMetrics(metrics, broker.events, broker.gauges, store, acl.guard);
    const stopBrokerLogs = logBrokerEvents(broker.events, logger);
    brokerInfoGauge(metrics, config);
    await broker.load(); // topics, groups and counts before the first request can arrive

    // Pre-online (RocketMQ 5's name): replicas still registered may have served consumers while we
    // were down; wait (bounded) for them to reconnect and hand their consumer state back.
    await ha.preOnline(namesrv, settings, config.haPreOnlineWaitMs);
    await broker.reloadState();
    // Hand-written codecs on the hot paths (sends, deliveries); proto-loader's everywhere else.
    clientServer.addService({
      definition: fastServerDefinition(rocketmqV2().MessagingService.service as never) as never,
      implementation: broker.service as never,
    });
    internalServer.addService({
      definition: orbitmqV1().BrokerAdmin.service,
      implementation: adminService({
        api: broker.admin,
        store,
        settings,
        config,
        startedAtMs,
        replication: () => ha.haStatus(settings),
        acl: acl.guard,
        updateConfig: (properties) => {
          const done = updateBrokerConfig(config, properties, { store, topics: broker.topics, groups: broker.groups, replica: false }, ctx.configFile);
          logger.info('broker configuration changed', { ...done });
          return done;
        },
      }) as never,
    });
    const unbindFilters = serveFilterServers(broker, internalServer, metrics, () => void registration.registerNow());
    serveRemoting(broker.remoting.server);
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
        acl.stop();
        // Stop taking sends and let in-flight calls finish; then give the replicas our end (so a
        // graceful stop loses nothing, even in ASYNC_MASTER), unregister and close the store.
        broker.stop();
        await clientServer.stop(DRAIN_MS);
        await ha.handOver(config.haStopWaitMs);
        await registration.stop();
        await internalServer.stop(DRAIN_MS);
        namesrv.close();
        filterTransport.close();
        unbindFilters();
        await store.close();
        unbindMetrics();
        unbindLeader();
        stopLeaderLogs();
        stopBrokerLogs();
        stopStoreLogs();
      },
    };
  },
});
