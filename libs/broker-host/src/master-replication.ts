import type { BrokerSettings } from '@orbitmq/broker';
import type { NameServerClients } from '@orbitmq/namesrv-client';
import type { v1 } from '@orbitmq/protocol';
import { ReplicationLeader } from '@orbitmq/replication';
import type { Logger } from '@orbitmq/runtime';
import type { MessageStore } from '@orbitmq/storage';
import type { BrokerConfig } from './config';

/**
 * The master's side of replication, wired to its store: a new epoch per open (so a replica can
 * tell a tail the master lost from one it never had), the leader serving replicas, and in
 * SYNC_MASTER the consumer visibility gate (the store dispatches only what a replica confirmed).
 */
export class MasterReplication {
  private constructor(
    readonly leader: ReplicationLeader,
    private readonly store: MessageStore,
    private readonly config: BrokerConfig,
    readonly epoch: number,
    private readonly logger: Logger,
  ) {}

  static async start(config: BrokerConfig, store: MessageStore, logger: Logger): Promise<MasterReplication> {
    const { epoch, startOffset } = await store.beginMasterEpoch();
    logger.info('master epoch', { epoch, startOffset, role: config.brokerRole });
    const role = config.brokerRole === 'SYNC_MASTER' ? 'SYNC_MASTER' : 'ASYNC_MASTER';
    const leader = new ReplicationLeader({
      store,
      identity: { clusterName: config.brokerClusterName, brokerName: config.brokerName },
      role,
      flushDiskType: config.flushDiskType,
      settings: {
        batchBytes: config.haTransferBatchSize,
        maxInFlightBytes: config.haMaxInFlightBytes,
        heartbeatIntervalMs: config.haSendHeartbeatInterval,
        housekeepingMs: config.haHousekeepingInterval,
        haMaxGapNotInSyncBytes: config.haMaxGapNotInSync,
        slaveTimeoutMs: config.slaveTimeout,
      },
    });
    if (role === 'SYNC_MASTER') {
      // What recovery found is visible (it was before the restart); later records once confirmed.
      const recoveredEnd = store.stats().endOffset;
      const gate = (confirmOffset: number): void => store.setDispatchLimit(Math.max(recoveredEnd, confirmOffset));
      gate(leader.confirmOffset());
      leader.events.on('confirmed', (e) => gate(e.confirmOffset));
    }
    return new MasterReplication(leader, store, config, epoch, logger);
  }

  /**
   * Replicas still registered under our name may have served consumers while we were down: wait
   * (bounded) until each has connected and handed back the consumer state it changed, so no
   * offset rolls back and nothing acked there is delivered again (RocketMQ #1094).
   */
  async preOnline(namesrv: NameServerClients, settings: BrokerSettings, waitMs: number): Promise<void> {
    if (waitMs <= 0) return;
    let ids: number[] = [];
    try {
      const info = await namesrv.getClusterInfo();
      for (const c of info.clusters) {
        for (const b of c.brokers) {
          const id = b.broker?.brokerId ?? 0;
          if (b.broker?.brokerName === settings.brokerName && c.clusterName === settings.clusterName && id > 0) ids.push(id);
        }
      }
    } catch (err) {
      this.logger.warn('pre-online: name servers not reachable, not waiting for replicas', { error: (err as Error).message });
      return;
    }
    ids = [...new Set(ids)];
    if (ids.length === 0) return;
    const back = await this.leader.waitForHandshake(ids, waitMs);
    const missing = ids.filter((id) => !back.includes(id));
    if (missing.length === 0) this.logger.info('pre-online: registered replicas handed their state back', { replicas: ids });
    else this.logger.warn('pre-online: some registered replicas did not connect in time; serving anyway', { replicas: ids, missing, waitMs });
  }

  /** SIGTERM: sends have stopped; give every connected replica our end before the store closes. */
  async handOver(waitMs: number): Promise<void> {
    const endOffset = this.store.stats().endOffset;
    const ok = await this.leader.waitForFollowersAt(endOffset, waitMs);
    this.leader.stopAccepting();
    if (ok) this.logger.info('replicas have the log end', { endOffset });
    else this.logger.warn('stopping before every replica had the log end', { endOffset, waitMs, replicas: this.leader.status().followers.length });
  }

  haStatus(settings: BrokerSettings): v1.GetHaStatusResponse {
    const s = this.leader.status();
    const now = Date.now();
    return {
      brokerName: settings.brokerName,
      brokerId: settings.brokerId,
      role: this.config.brokerRole,
      endOffset: String(this.store.stats().endOffset),
      confirmOffset: String(s.confirmOffset),
      epoch: String(this.epoch),
      replicas: s.followers.map((f) => ({
        brokerId: f.brokerId,
        address: f.peer,
        clientEndpoint: f.clientEndpoint,
        state: f.state,
        inSync: f.inSync,
        reason: f.inSync ? '' : f.notInSyncReason || f.closeReason,
        ackedWrittenOffset: String(f.ackedWrittenOffset),
        ackedDurableOffset: String(f.ackedDurableOffset),
        lagBytes: String(f.lagBytes),
        lagMs: String(f.lagMs),
        lastAckAgeMs: String(f.lastAckAtMs ? now - f.lastAckAtMs : -1),
      })),
    };
  }
}
