/** @orbitmq/replication — master -> replica replication, both ends and the transport. Stores are seen through ports. */
export { ReplicationLeader, type MasterRole, type ReplicationLeaderOptions } from './leader/replication-leader';
export type { FollowerStatus, LeaderStatus } from './leader/in-sync';
export type { LeaderIdentity } from './leader/handshake-check';
export { findConsistentPoint, planStart, type LogView, type ReplicaView, type StartPoint } from './leader/start-point';
export { ReplicationFollower, type FollowerIdentity, type FollowerStatusReport, type ReplicationFollowerOptions } from './follower/replication-follower';
export { LocalStateJournal } from './follower/local-state-journal';
export * from './events';
export * from './ports';
export * from './settings';
export { parseU64, u64, stateOpsFromWire, stateOpsToWire, epochsFromWire, epochsToWire } from './wire/convert';
