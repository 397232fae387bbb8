export { type AdminOptions, nameServers } from './options';
export { type BrokerTarget, type TargetOptions, memberTargets, targets } from './targets';
export { type AdminMethod, type BrokerResult, type BrokerStream, browseBroker, FAN_OUT_MAX_CONCURRENT_CALLS, callBroker, fanOut, onEvery, signedHeaders } from './broker-call';
export { type BrokerDetail, type ClusterOverview, ClusterAdmin, type GroupSpec, type GroupView, type NameServerView, type TopicSpec, type TopicStatsView } from './cluster-admin';
