import type { ReplicationFollower, ReplicationLeader } from '@orbitmq/replication';
import type { Logger } from '@orbitmq/runtime';

/** One log line per replication state change on the master (RocketMQ HAConnectionState's moments). */
export function logLeaderEvents(leader: ReplicationLeader, logger: Logger): () => void {
  const e = leader.events;
  const offs = [
    e.on('followerConnected', (f) => logger.info('replica connected', f)),
    e.on('followerAccepted', (f) => logger.info('replica accepted', f)),
    e.on('followerRefused', (f) => logger.warn('replica refused', f)),
    e.on('followerInSync', (f) => logger.info('replica in sync', f)),
    e.on('followerOutOfSync', (f) => logger.warn('replica out of sync', f)),
    e.on('followerDisconnected', (f) => logger.warn('replica disconnected', f)),
    e.on('stateApplied', (f) => logger.info('consumer state handed back by a replica applied', { brokerId: f.brokerId, ops: f.ops.length })),
  ];
  return () => offs.forEach((off) => off());
}

/** One log line per state change of a replica's stream from its master. */
export function logFollowerEvents(follower: ReplicationFollower, logger: Logger): () => void {
  const e = follower.events;
  const offs = [
    e.on('stateChanged', (s) => {
      const fields = { from: s.from, to: s.to, reason: s.reason, master: follower.status().masterAddress };
      if (s.to === 'refused' || s.to === 'disconnected') logger.warn('replication state changed', fields);
      else logger.info('replication state changed', fields);
    }),
    e.on('truncated', (t) => logger.warn('replica log cut back to the master (its tail diverged; nothing confirmed was lost)', t)),
    e.on('reseeded', (t) => logger.warn('replica reseeded from the master (it was empty or behind the master oldest offset)', t)),
  ];
  return () => offs.forEach((off) => off());
}
