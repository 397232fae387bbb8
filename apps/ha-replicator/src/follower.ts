import type { BrokerSettings } from '@orbitmq/broker';
import type { BrokerConfig } from '@orbitmq/broker-host';
import type { v1 } from '@orbitmq/protocol';
import { ReplicationFollower } from '@orbitmq/replication';
import type { MessageStore } from '@orbitmq/storage';

/** The replica's follower over its own store, with the RocketMQ keys' values. */
export function startFollower(
  config: BrokerConfig,
  store: MessageStore,
  settings: BrokerSettings,
  masterAddress: () => string | undefined,
): ReplicationFollower {
  return new ReplicationFollower({
    store,
    identity: { clusterName: settings.clusterName, brokerName: settings.brokerName, brokerId: settings.brokerId },
    clientEndpoint: settings.clientEndpoint,
    flushDiskType: config.flushDiskType,
    masterAddress,
    settings: {
      heartbeatIntervalMs: config.haSendHeartbeatInterval,
      housekeepingMs: config.haHousekeepingInterval,
    },
  });
}

/** mqadmin haStatus as a replica answers it. */
export function followerHaStatus(follower: ReplicationFollower, settings: BrokerSettings, store: MessageStore): v1.GetHaStatusResponse {
  const f = follower.status();
  const endOffset = String(store.stats().endOffset);
  return {
    brokerName: settings.brokerName,
    brokerId: settings.brokerId,
    role: 'SLAVE',
    endOffset,
    confirmOffset: String(f.confirmOffset),
    epoch: String(f.masterEpoch),
    replicas: [],
    follower: {
      state: f.state,
      reason: f.reason,
      masterAddress: f.masterAddress,
      masterEndOffset: String(f.masterEndOffset),
      confirmOffset: String(f.confirmOffset),
      endOffset,
      lagBytes: String(f.lagBytes),
      masterEpoch: String(f.masterEpoch),
      lastFrameAgeMs: String(f.lastFrameAtMs ? Date.now() - f.lastFrameAtMs : -1),
    },
  };
}

/**
 * Runs `task` now, or once more after the current run when asked again meanwhile, and never more
 * often than every `minIntervalMs`: under a busy master, state changes arrive with every frame, and
 * each reload reads topics, groups and the whole in-flight table again. Runs never overlap.
 */
export function coalesced(task: () => Promise<unknown>, onError: (err: Error) => void, minIntervalMs = 0): { run(): void; idle(): Promise<void> } {
  let running: Promise<void> | undefined;
  let again = false;
  let lastStartMs = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  const start = (): void => {
    timer = undefined;
    lastStartMs = Date.now();
    running = task()
      .then(() => undefined)
      .catch(onError)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const run = (): void => {
    if (running || timer) {
      if (running) again = true;
      return;
    }
    const waitMs = lastStartMs + minIntervalMs - Date.now();
    if (waitMs > 0) timer = setTimeout(start, waitMs).unref();
    else start();
  };
  return {
    run,
    idle: async () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
