#!/usr/bin/env node
/**
 * orbitmq-ha-replicator: composition root of a replica (brokerRole=SLAVE, brokerId > 0). Config
 * -> its own store (recovered first) -> gRPC servers -> a read-only broker (libs/broker: receive,
 * ack, pull, offsets, queries; sends refused) -> the follower (libs/replication) copying the
 * master's log and state -> registration with every name server. The master is found through
 * the name servers (their answer to our registration names it) unless haMasterAddress is set.
 */
import { Broker } from '@orbitmq/broker';
import {
  BROKER_CONFIG,
  openBrokerProcess,
  adminService,
  bindBrokerMetrics,
  bindFollowerMetrics,
  brokerInfoGauge,
  createRegistration,
  GrpcFilterTransport,
  serveFilterServers,
  logBrokerEvents,
  logFollowerEvents,
  validateReplicaConfig,
} from '@orbitmq/broker-host';
import { fastServerDefinition, orbitmqV1, rocketmqV2 } from '@orbitmq/protocol';
import { runApp } from '@orbitmq/runtime';
import { coalesced, followerHaStatus, startFollower } from './follower';
import { replicaRoutes } from './replica-routes';

/** How long in-flight calls may finish after a stop is requested. */
const DRAIN_MS = 3_000;
/** Replicated state refreshes the replica's caches at most this often (a master's consumers change it with every ack). */
const RELOAD_MIN_INTERVAL_MS = 500;

void runApp({
  name: 'ha-replicator',
  schema: BROKER_CONFIG,
  validate: validateReplicaConfig,
  async start(ctx) {
    const { config, logger, metrics } = ctx;
    const startedAtMs = Date.now();
    const { indexes, store, clientServer, internalServer, settings, namesrv, stopStoreLogs, serveRemoting, acl } = await openBrokerProcess(ctx);

    // The master's internal endpoint: configured, or what the name servers answer our registration with.
    let learnedMaster: string | undefined;
    const follower = startFollower(config, store, settings, () => config.haMasterAddress || learnedMaster);
    const routes = replicaRoutes(namesrv, settings, () => follower.hasMaster());
    const never = (): boolean => false;
    const filterTransport = new GrpcFilterTransport();
    const publishRoutes = (): Promise<void> => registration.registerNow();
    const broker: Broker = new Broker({ store, indexes, routes, publishRoutes, writable: never, filterTransport, acl: acl.guard }, settings);
    const registration = createRegistration(namesrv, settings, broker, logger, never, config.brokerNotActiveTimeoutMillis);
    registration.events.on('registered', (r) => {
      if (r.master?.internalEndpoint) learnedMaster = r.master.internalEndpoint;
    });
    // The master's topics, groups and consumer state arrive through the stream: refresh the caches (coalesced).
    const reloads = coalesced(
      () => broker.reloadState().then(() => registration.registerNow()),
      (err) => logger.error('reloading replicated state failed', { error: err.message }),
      RELOAD_MIN_INTERVAL_MS,
    );
    const reload = (): void => reloads.run();
    follower.events.on('stateApplied', reload);
    // Losing the master: consumers may arrive here now; serve them from the freshest state.
    follower.events.on('masterLost', reload);
    const unbindMetrics = bindBrokerMetrics(metrics, broker.events, broker.gauges, store, acl.guard);
    const unbindFollower = bindFollowerMetrics(metrics, follower);
    const stopBrokerLogs = logBrokerEvents(broker.events, logger);
    const stopFollowerLogs = logFollowerEvents(follower, logger);
    brokerInfoGauge(metrics, config);
    await broker.load();

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
        replication: () => followerHaStatus(follower, settings, store),
        acl: acl.guard,
      }) as never,
    });
    const unbindFilters = serveFilterServers(broker, internalServer, metrics, () => void registration.registerNow());
    serveRemoting(broker.remoting.server);
    broker.start();
    await registration.start();
    follower.start();

    return {
      readyInfo: {
        grpcPort: clientServer.port,
        internalPort: internalServer.port,
        clientEndpoint: settings.clientEndpoint,
        brokerName: settings.brokerName,
        brokerId: settings.brokerId,
        storePathRootDir: store.config.rootDir,
      },
      async stop() {
        acl.stop();
        await follower.stop();
        broker.stop();
        await registration.stop();
        await Promise.all([clientServer.stop(DRAIN_MS), internalServer.stop(DRAIN_MS)]);
        namesrv.close();
        filterTransport.close();
        unbindFilters();
        await reloads.idle();
        await store.close();
        unbindMetrics();
        unbindFollower();
        stopBrokerLogs();
        stopFollowerLogs();
        stopStoreLogs();
      },
    };
  },
});
