/**
 * Replication under faults, with the real apps: a replica SIGKILLed or SIGSTOPped under
 * SYNC_MASTER load, a partition through a TCP proxy, a torn replica tail, a wiped replica, a
 * master that lost its tail, and rogue followers. SYNC sends must answer with the replication
 * codes within slaveTimeout (never a client deadline); every replica must end up identical to its
 * master or refuse loudly.
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ERROR_CODE_METADATA_KEY, orbitmqV1, type v1 } from '@orbitmq/protocol';
import { CHANNEL_OPTIONS } from '@orbitmq/rpc';
import { clientEndpoint, startBroker, startNamesrv, startReplica } from '../support/cluster';
import { AdminClient, internalAddress, waitCaughtUp } from '../support/ha';
import { type AppProcess, eventually, grpcAddress, stopAll } from '../support/processes';
import { RawV2Client, codeOf, message } from '../support/raw-v2';
import { TcpProxy } from '../support/tcp-proxy';

after(() => stopAll());

const SLAVE_TIMEOUT_MS = 1_000;
/** Short housekeeping, so a silent peer is found within seconds. */
const HA_FAST = ['--slaveTimeout', String(SLAVE_TIMEOUT_MS), '--haHousekeepingInterval', '3000', '--haSendHeartbeatInterval', '300'];
/** What a SYNC send may answer while its replica is away (RocketMQ codes by name). */
const REPLICATION_CODES = new Set(['HA_NOT_AVAILABLE', 'SLAVE_PERSISTENCE_TIMEOUT']);

async function group(
  name: string,
  replicaExtra: string[] = [],
  masterExtra: string[] = [],
): Promise<{ ns: string; master: AppProcess & { storeDir: string }; replica: AppProcess & { storeDir: string } }> {
  const namesrv = await startNamesrv();
  const ns = grpcAddress(namesrv);
  const master = await startBroker(ns, { extra: ['--brokerName', name, '--brokerRole', 'SYNC_MASTER', ...HA_FAST, ...masterExtra] });
  const replica = await startReplica(ns, { extra: ['--brokerName', name, ...HA_FAST, ...replicaExtra] });
  return { ns, master, replica };
}

/** Sends one small batch; returns the status code name and how long the answer took. */
async function timedSend(raw: RawV2Client, topic: string): Promise<{ code: string; ms: number }> {
  const started = Date.now();
  const r = await raw.send([message(topic, Buffer.from(`t-${started}`))]);
  return { code: codeOf(r.status), ms: Date.now() - started };
}

/** Bytes of the master's log the replica must hold identically: compares both through their admin status and files. */
async function assertIdentical(master: AppProcess & { storeDir: string }, replica: AppProcess & { storeDir: string }): Promise<void> {
  const m = new AdminClient(internalAddress(master));
  const s = await waitCaughtUp(m, 30_000);
  m.close();
  const end = Number(s.endOffset);
  const read = (dir: string): Buffer => {
    const files = fs.readdirSync(path.join(dir, 'commitlog')).sort();
    return Buffer.concat(files.map((f) => fs.readFileSync(path.join(dir, 'commitlog', f))));
  };
  // One segment in these tests (64 MiB default for e2e): the file bytes up to the end must match.
  assert.ok(read(replica.storeDir).subarray(0, end).equals(read(master.storeDir).subarray(0, end)), 'replica log differs from the master');
}

test('replica SIGKILLed, then SIGSTOPped, under SYNC_MASTER load: sends answer with replication codes within slaveTimeout; the replica resumes', async (t) => {
  const g = await group('broker-fault-kill');
  const admin = new AdminClient(internalAddress(g.master));
  await waitCaughtUp(admin);
  const raw = new RawV2Client(clientEndpoint(g.master));
  const topic = 'FaultKillTopic';
  assert.equal((await timedSend(raw, topic)).code, 'OK');

  await g.replica.kill('SIGKILL');
  const answers: { code: string; ms: number }[] = [];
  for (let i = 0; i < 10; i++) answers.push(await timedSend(raw, topic));
  t.diagnostic(`without the replica: ${answers.map((a) => `${a.code}/${a.ms}ms`).join(' ')}`);
  for (const a of answers) assert.ok(REPLICATION_CODES.has(a.code), `unexpected ${a.code}`);
  // Never a client deadline: bounded by slaveTimeout plus scheduling slack (the raw client's deadline is 10 s).
  assert.ok(answers.every((a) => a.ms < 10_000));

  const replica = await startReplica(g.ns, { storeDir: g.replica.storeDir, extra: ['--brokerName', 'broker-fault-kill', ...HA_FAST] });
  await waitCaughtUp(admin);
  assert.equal((await timedSend(raw, topic)).code, 'OK');
  // What consumers of the master can see: HA_NOT_AVAILABLE stored nothing, a timed-out send is stored and shows once replicated.
  const visible = async (): Promise<number> => (await admin.topicStatus(topic)).queues.reduce((n, q) => n + Number(q.maxOffset), 0);
  const storedSoFar = 2 + answers.filter((a) => a.code === 'SLAVE_PERSISTENCE_TIMEOUT').length;
  await eventually('every stored message visible', async () => ((await visible()) === storedSoFar ? true : undefined));

  // SIGSTOP: the stream goes silent (no RST); sends time out, then fail at once once housekeeping drops it.
  replica.child.kill('SIGSTOP');
  const stopped: { code: string; ms: number }[] = [];
  for (let i = 0; i < 8; i++) stopped.push(await timedSend(raw, topic));
  t.diagnostic(`replica stopped: ${stopped.map((a) => `${a.code}/${a.ms}ms`).join(' ')}`);
  for (const a of stopped) assert.ok(REPLICATION_CODES.has(a.code), `unexpected ${a.code}`);
  const timedOut = stopped.filter((a) => a.code === 'SLAVE_PERSISTENCE_TIMEOUT').length;
  assert.ok(timedOut > 0, 'a silent replica makes the first sends wait out slaveTimeout');
  assert.equal(await visible(), storedSoFar, 'SYNC_MASTER consumers see nothing the replica has not confirmed');
  replica.child.kill('SIGCONT');
  await waitCaughtUp(admin);
  await eventually('the timed-out sends, stored on the master, become visible once replicated', async () =>
    (await visible()) === storedSoFar + timedOut ? true : undefined,
  );
  assert.equal((await timedSend(raw, topic)).code, 'OK');
  raw.close();
  admin.close();
  await assertIdentical(g.master, replica);
});

test('a 30 s partition between master and replica: SYNC sends fail fast; after healing the replica catches up', async (t) => {
  const namesrv = await startNamesrv();
  const ns = grpcAddress(namesrv);
  const name = 'broker-partition';
  const master = await startBroker(ns, { extra: ['--brokerName', name, '--brokerRole', 'SYNC_MASTER', ...HA_FAST] });
  const proxy = await TcpProxy.start(internalAddress(master));
  const replica = await startReplica(ns, { extra: ['--brokerName', name, ...HA_FAST, '--haMasterAddress', proxy.address] });
  const admin = new AdminClient(internalAddress(master));
  await waitCaughtUp(admin);
  const raw = new RawV2Client(clientEndpoint(master));
  const topic = 'PartitionTopic';
  assert.equal((await timedSend(raw, topic)).code, 'OK');

  proxy.partition();
  const startedAt = Date.now();
  const during: { code: string; ms: number }[] = [];
  while (Date.now() - startedAt < 30_000) during.push(await timedSend(raw, topic));
  t.diagnostic(
    `during the partition: ${during.length} sends, codes ${[...new Set(during.map((a) => a.code))].join(',')}, slowest ${Math.max(...during.map((a) => a.ms))} ms`,
  );
  for (const a of during) assert.ok(REPLICATION_CODES.has(a.code), `unexpected ${a.code}`);
  proxy.heal();
  await waitCaughtUp(admin, 30_000);
  assert.equal((await timedSend(raw, topic)).code, 'OK');
  raw.close();
  admin.close();
  await assertIdentical(master, replica);
  await proxy.close();
});

test('a torn replica tail is cut by its recovery and refilled; a wiped replica reseeds from the master', async () => {
  const g = await group('broker-torn');
  const admin = new AdminClient(internalAddress(g.master));
  await waitCaughtUp(admin);
  const raw = new RawV2Client(clientEndpoint(g.master));
  for (let i = 0; i < 20; i++)
    assert.equal(codeOf((await raw.send(Array.from({ length: 50 }, (_, k) => message('TornTopic', Buffer.from(`torn-${i}-${k}`))))).status), 'OK');
  await waitCaughtUp(admin);

  // Cut 10 bytes off the replica's last segment: inside its last record.
  await g.replica.kill('SIGKILL');
  const dir = path.join(g.replica.storeDir, 'commitlog');
  const last = path.join(dir, fs.readdirSync(dir).sort().pop() as string);
  fs.truncateSync(last, fs.statSync(last).size - 10);
  let replica = await startReplica(g.ns, { storeDir: g.replica.storeDir, extra: ['--brokerName', 'broker-torn', ...HA_FAST] });
  assert.ok(
    replica.lines.some((l) => l.includes('store opened') && /"droppedBytes":[1-9]/.test(l)),
    'recovery reports the torn tail it cut',
  );
  await assertIdentical(g.master, replica);

  // Wiped: a new, empty store under the same identity reseeds and shows it.
  await replica.kill('SIGKILL');
  fs.rmSync(g.replica.storeDir, { recursive: true, force: true });
  replica = await startReplica(g.ns, { storeDir: g.replica.storeDir, extra: ['--brokerName', 'broker-torn', ...HA_FAST] });
  await eventually('the reseed is logged', async () => (replica.lines.some((l) => l.includes('reseed')) ? true : undefined));
  await assertIdentical(g.master, replica);
  raw.close();
  admin.close();
});

test('a master that lost confirmed records is refused by its replica, loudly; the replica keeps its log', async () => {
  const g = await group('broker-lost-tail', [], []);
  const admin = new AdminClient(internalAddress(g.master));
  await waitCaughtUp(admin);
  const raw = new RawV2Client(clientEndpoint(g.master));
  for (let i = 0; i < 10; i++) assert.equal(codeOf((await raw.send([message('LostTopic', Buffer.from(`lost-${i}`))])).status), 'OK');
  raw.close();
  const before = await waitCaughtUp(admin);
  admin.close();
  await g.master.kill('SIGKILL');
  // The master's disk "loses" its last 40 bytes (confirmed to clients, held by the replica).
  const dir = path.join(g.master.storeDir, 'commitlog');
  const last = path.join(dir, fs.readdirSync(dir).sort().pop() as string);
  fs.truncateSync(last, fs.statSync(last).size - 40);
  // At the same internal address, where its replica keeps dialling.
  const listenPort = Number(g.master.ready.internalPort);
  const master = await startBroker(g.ns, {
    storeDir: g.master.storeDir,
    listenPort,
    extra: ['--brokerName', 'broker-lost-tail', '--brokerRole', 'SYNC_MASTER', ...HA_FAST, '--haPreOnlineWaitMs', '0'],
  });
  const replicaAdmin = new AdminClient(internalAddress(g.replica));
  const refused = await eventually(
    'the replica refuses the master',
    async () => {
      const s = await replicaAdmin.haStatus();
      return s.follower?.state === 'refused' ? s.follower : undefined;
    },
    30_000,
  );
  assert.match(refused.reason, /confirmed|diverg/i);
  const rs = await replicaAdmin.brokerStatus();
  assert.equal(rs.endOffset, before.endOffset, 'the replica kept every byte it had');
  replicaAdmin.close();
  await master.kill('SIGTERM');
});

test('rogue followers are refused: wrong identity, and acks beyond the master end', async () => {
  const namesrv = await startNamesrv();
  const master = await startBroker(grpcAddress(namesrv), { extra: ['--brokerName', 'broker-rogue', '--brokerRole', 'SYNC_MASTER'] });
  const client = new (orbitmqV1().Replication)(internalAddress(master), grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
  const handshake = (over: Partial<v1.FollowHandshake> = {}): v1.FollowerMessage => ({
    handshake: {
      protocolVersion: 1,
      broker: { clusterName: 'DefaultCluster', brokerName: 'broker-rogue', brokerId: 7 },
      storeId: 'rogue-store',
      masterStoreId: '',
      segmentSizeBytes: String(64 * 1024 * 1024),
      minOffset: '0',
      endOffset: '0',
      tailFromOffset: '0',
      tailCrc32: 0,
      epochs: [],
      flushDiskType: 'ASYNC_FLUSH',
      confirmedOffset: '0',
      localState: [],
      clientEndpoint: '127.0.0.1:1',
      ...over,
    },
  });
  /** Opens a stream, writes `first` (then `then` once accepted), resolves with the error code that ends it. */
  const refusal = (first: v1.FollowerMessage, then?: v1.FollowerMessage): Promise<string> =>
    new Promise((resolve) => {
      const call = client.Follow();
      call.on('data', (m: { accepted?: unknown }) => {
        if (m.accepted && then) call.write(then);
      });
      call.on('error', (e: grpc.ServiceError) => resolve(String(e.metadata?.get(ERROR_CODE_METADATA_KEY)[0] ?? e.code)));
      call.on('end', () => resolve('ended'));
      call.write(first);
    });
  assert.equal(await refusal(handshake({ broker: { clusterName: 'DefaultCluster', brokerName: 'someone-else', brokerId: 7 } })), 'REPLICA_IDENTITY_MISMATCH');
  assert.equal(await refusal(handshake({ segmentSizeBytes: String(1024 * 1024) })), 'REPLICA_IDENTITY_MISMATCH');
  assert.equal(await refusal({ ack: { writtenOffset: '0', durableOffset: '0', dispatchedOffset: '0' } }), 'BAD_REQUEST');
  // #3015: a follower that claims bytes the master never had must not release SYNC sends.
  assert.equal(
    await refusal(handshake(), { ack: { writtenOffset: '999999999', durableOffset: '999999999', dispatchedOffset: '0' } }),
    'REPLICA_OFFSET_MISMATCH',
  );
  client.close();
  const raw = new RawV2Client(clientEndpoint(master));
  assert.equal(codeOf((await raw.send([message('RogueTopic', Buffer.from('x'))])).status), 'HA_NOT_AVAILABLE', 'no real replica: SYNC sends are refused');
  raw.close();
});
