import * as grpc from '@grpc/grpc-js';
import { OrbitError, orbitmqV1, type v1 } from '@orbitmq/protocol';
import { type RunningServer, createClient, fromServiceError, startGrpcServer } from '@orbitmq/rpc';
import { type MasterRole, ReplicationFollower, ReplicationLeader, type ReplicationSettings } from '../src';
import type { FakeStore } from './fake-store';

/** Upper bound for "it happened": only there so a broken build fails instead of hanging. */
export const EVENTUALLY_MS = 20_000;

/** Short settings so tests run fast; generous where a loaded machine could trip them. */
export const TEST_SETTINGS: Partial<ReplicationSettings> = {
  heartbeatIntervalMs: 50,
  housekeepingMs: 5_000,
  handshakeTimeoutMs: 2_000,
  reconnectInitialMs: 20,
  reconnectMaxMs: 200,
  confirmPersistIntervalMs: 20,
};

export const CLUSTER = { clusterName: 'C', brokerName: 'broker-a' };

/** Polls a predicate until it holds, failing with `what` at the deadline. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = EVENTUALLY_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface LeaderHarness {
  leader: ReplicationLeader;
  server: RunningServer;
  address: string;
  stop(): Promise<void>;
}

export async function startLeader(
  store: FakeStore,
  opts: { role?: MasterRole; settings?: Partial<ReplicationSettings>; port?: number; flushDiskType?: 'ASYNC_FLUSH' | 'SYNC_FLUSH' } = {},
): Promise<LeaderHarness> {
  const leader = new ReplicationLeader({
    store,
    identity: CLUSTER,
    role: opts.role ?? 'ASYNC_MASTER',
    flushDiskType: opts.flushDiskType,
    settings: { ...TEST_SETTINGS, ...opts.settings },
  });
  const binding = { definition: orbitmqV1().Replication.service, implementation: leader.service() as grpc.UntypedServiceImplementation };
  const server = await startGrpcServer('127.0.0.1', opts.port ?? 0, [binding]);
  return {
    leader,
    server,
    address: server.address,
    stop: async () => {
      leader.stop();
      await server.stop(100);
    },
  };
}

export function startFollower(
  store: FakeStore,
  address: string | (() => string | undefined),
  opts: { brokerId?: number; settings?: Partial<ReplicationSettings>; clusterName?: string; flushDiskType?: 'ASYNC_FLUSH' | 'SYNC_FLUSH' } = {},
): ReplicationFollower {
  const follower = new ReplicationFollower({
    store,
    identity: { clusterName: opts.clusterName ?? CLUSTER.clusterName, brokerName: CLUSTER.brokerName, brokerId: opts.brokerId ?? 1 },
    clientEndpoint: '127.0.0.1:18081',
    flushDiskType: opts.flushDiskType ?? 'SYNC_FLUSH',
    masterAddress: typeof address === 'string' ? () => address : address,
    settings: { ...TEST_SETTINGS, ...opts.settings },
  });
  follower.start();
  return follower;
}

/** A raw Follow stream for rogue-peer tests: what it receives and how it ended. */
export interface RawStream {
  call: grpc.ClientDuplexStream<v1.FollowerMessage, v1.LeaderMessage__Output>;
  received: v1.LeaderMessage__Output[];
  ended: Promise<OrbitError>;
  close(): void;
}

export function openRaw(address: string): RawStream {
  const client = createClient(orbitmqV1().Replication, address) as unknown as v1.ReplicationClient;
  const call = client.Follow();
  const received: v1.LeaderMessage__Output[] = [];
  call.on('data', (m: v1.LeaderMessage__Output) => received.push(m));
  const ended = new Promise<OrbitError>((resolve) => {
    call.on('error', (err: grpc.ServiceError) => resolve(fromServiceError(err)));
    call.on('end', () => resolve(new OrbitError('SERVICE_UNAVAILABLE', 'ended OK')));
  });
  return {
    call,
    received,
    ended,
    close: () => {
      call.cancel();
      client.close();
    },
  };
}

/** A valid handshake of an empty replica; override fields per test. */
export function handshake(overrides: Partial<v1.FollowHandshake> = {}): v1.FollowHandshake {
  return {
    protocolVersion: 1,
    broker: { clusterName: CLUSTER.clusterName, brokerName: CLUSTER.brokerName, brokerId: 1 },
    storeId: 'replica-store',
    masterStoreId: '',
    segmentSizeBytes: 1024 * 1024,
    minOffset: '0',
    endOffset: '0',
    tailFromOffset: '0',
    tailCrc32: 0,
    epochs: [],
    flushDiskType: 'SYNC_FLUSH',
    confirmedOffset: '0',
    localState: [],
    clientEndpoint: '127.0.0.1:1',
    ...overrides,
  };
}

/** Cleanup in reverse order, ignoring failures of things already stopped. */
export async function cleanup(...steps: (() => Promise<void> | void)[]): Promise<void> {
  for (const step of steps.reverse()) {
    try {
      await step();
    } catch {
      // already stopped
    }
  }
}
