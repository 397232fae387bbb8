/**
 * @orbitmq/broker-host — the broker process as both broker apps run it: broker-store (a master)
 * and ha-replicator (a replica) are one kind of process in RocketMQ (a BrokerController with a
 * role), so what they share lives here once: RocketMQ's config keys, the store and broker
 * settings built from them, the bindings of store and broker events to logs and prom-client
 * metrics, the admin gRPC service and the name-server registration. It is app code shared by
 * two apps, so eslint lets it (and only it, besides apps and libs/runtime) see storage and bind
 * metrics; the apps stay composition roots.
 */
export { BROKER_CONFIG, type BrokerConfig, advertisedHost, validateBrokerConfig, validateMasterConfig, validateReplicaConfig } from './config';
export { HA_CONFIG } from './ha-config';
export { FILTER_CONFIG } from './filter-config';
export { GrpcFilterTransport, filterRegistryService, filterSettings, serveFilterServers } from './filter-servers';
export { storeConfig, brokerSettings } from './settings';
export { openBrokerProcess, type BrokerProcess } from './broker-process';
export { adminService, type AdminServiceDeps } from './admin-service';
export { HOT_BROKER_KEYS, type ConfigUpdate, updateBrokerConfig } from './live-config';
export { bindBrokerMetrics } from './broker-metrics';
export { bindFilterMetrics } from './filter-metrics';
export { logBrokerEvents } from './broker-logs';
export { logStoreEvents } from './store-events';
export { createRegistration } from './registration';
export { MasterReplication } from './master-replication';
export { bindLeaderMetrics, bindFollowerMetrics, brokerInfoGauge } from './ha-metrics';
export { logLeaderEvents, logFollowerEvents } from './ha-logs';
export { ACL_CONFIG, aclFilePathOf, openAcl } from './acl';
