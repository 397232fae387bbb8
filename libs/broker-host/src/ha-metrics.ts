import type { ReplicationFollower, ReplicationLeader } from '@orbitmq/replication';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BrokerConfig } from './config';

/** Seconds buckets for a SYNC_MASTER send's wait for its replica (slaveTimeout is 2.5 s by default). */
const SYNC_WAIT_BUCKETS_S = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Master side: per replica lag and in-sync flag (read at scrape), SYNC waits and their failures (counted as they happen). */
export function bindLeaderMetrics(registry: Registry, leader: ReplicationLeader): () => void {
  const registers = [registry];
  const perReplica = (name: string, help: string, read: (f: ReturnType<ReplicationLeader['status']>['followers'][number]) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['replica'],
      registers,
      collect() {
        this.reset();
        for (const f of leader.status().followers) this.set({ replica: String(f.brokerId) }, read(f));
      },
    });
  };
  perReplica('rocketmq_ha_replica_lag_bytes', 'Bytes of commit log the replica has not made durable yet', (f) => f.lagBytes);
  perReplica('rocketmq_ha_replica_lag_ms', 'How long the replica has been behind the master end (0 when caught up)', (f) => f.lagMs);
  perReplica('rocketmq_ha_replica_in_sync', '1 when the replica counts for SYNC_MASTER acks', (f) => (f.inSync ? 1 : 0));
  new Gauge({
    name: 'rocketmq_ha_confirm_offset',
    help: 'SYNC_MASTER: commit-log offset the replicas confirmed (consumers see up to here)',
    registers,
    collect() {
      this.set(leader.status().confirmOffset);
    },
  });
  const wait = new Histogram({
    name: 'rocketmq_ha_sync_wait_seconds',
    help: 'SYNC_MASTER sends: wait for a replica',
    labelNames: ['outcome'],
    buckets: SYNC_WAIT_BUCKETS_S,
    registers,
  });
  const failures = new Counter({
    name: 'rocketmq_ha_sync_failures_total',
    help: 'SYNC_MASTER sends not confirmed by a replica, by reason',
    labelNames: ['reason'],
    registers,
  });
  const refused = new Counter({
    name: 'rocketmq_ha_refused_followers_total',
    help: 'Replication streams refused, by error code',
    labelNames: ['code'],
    registers,
  });
  const offs = [
    leader.events.on('syncWaitFinished', (e) => {
      wait.observe({ outcome: e.outcome }, e.waitMs / 1000);
      if (e.outcome !== 'ok') failures.inc({ reason: e.outcome === 'timeout' ? 'SLAVE_PERSISTENCE_TIMEOUT' : 'HA_NOT_AVAILABLE' });
    }),
    leader.events.on('followerRefused', (e) => refused.inc({ code: e.code })),
  ];
  return () => offs.forEach((off) => off());
}

/** Replica side: its stream's state and lag. */
export function bindFollowerMetrics(registry: Registry, follower: ReplicationFollower): () => void {
  const registers = [registry];
  new Gauge({
    name: 'rocketmq_ha_follower_lag_bytes',
    help: "Bytes between the master's end (as last heard) and this replica's end",
    registers,
    collect() {
      this.set(follower.status().lagBytes);
    },
  });
  new Gauge({
    name: 'rocketmq_ha_follower_state',
    help: 'Replica stream state (1 for the current one)',
    labelNames: ['state'],
    registers,
    collect() {
      this.reset();
      this.set({ state: follower.status().state }, 1);
    },
  });
  const transitions = new Counter({
    name: 'rocketmq_ha_follower_transitions_total',
    help: 'Replica stream state changes, by new state',
    labelNames: ['state'],
    registers,
  });
  const off = follower.events.on('stateChanged', (e) => transitions.inc({ state: e.to }));
  return off;
}

/** Static facts as labels of a constant gauge, so dashboards and the benchmark tool can tell the mode. */
export function brokerInfoGauge(registry: Registry, config: BrokerConfig): void {
  new Gauge({
    name: 'rocketmq_broker_info',
    help: 'Always 1; labels: flush mode, role and broker id.',
    labelNames: ['flush_disk_type', 'broker_role', 'broker_id'],
    registers: [registry],
  }).set({ flush_disk_type: config.flushDiskType, broker_role: config.brokerRole, broker_id: String(config.brokerId) }, 1);
}
