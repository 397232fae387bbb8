/**
 * Master -> replica replication with the real apps: a broker-store master and an ha-replicator
 * replica of the same broker group, on loopback, driven by the official Node client.
 *  - steady state: the replica's commit log is byte-identical, queues and lookups agree;
 *  - SYNC_MASTER, master SIGKILLed under load: every send answered OK is consumed from the replica;
 *  - ASYNC_MASTER: SIGKILL loses at most what was unreplicated (reported), SIGTERM loses nothing.
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clientEndpoint, startBroker, startNamesrv, startReplica } from '../support/cluster';
import { consumeInChild, produceInChild, stopProducer } from '../support/drivers';
import { AdminClient, internalAddress, waitCaughtUp } from '../support/ha';
import { eventually, grpcAddress, stopAll } from '../support/processes';
import { RawV2Client, codeOf, message } from '../support/raw-v2';

after(() => stopAll());

/** Small segments, so 100k messages span many of them. */
const SMALL_SEGMENTS = ['--mappedFileSizeCommitLog', String(1024 * 1024), '--maxMessageSize', String(64 * 1024)];
/** ASYNC_MASTER SIGKILL: how far behind the replica may be when the master is killed. */
const LAG_BOUND_BYTES = 64 * 1024;
const HA_GROUP = (name: string): string[] => ['--brokerName', name, '--brokerNotActiveTimeoutMillis', '10000', '--registerNameServerPeriod', '2000'];

function commitLogFiles(storeDir: string): Map<string, Buffer> {
  const dir = path.join(storeDir, 'commitlog');
  return new Map(
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f))]),
  );
}

/** Segment files are preallocated or grown; compare the bytes up to the log end, which both report. */
function logBytes(storeDir: string, endOffset: number, segmentBytes: number): Buffer[] {
  const out: Buffer[] = [];
  for (const [name, bytes] of commitLogFiles(storeDir)) {
    const start = Number(name);
    if (start >= endOffset) continue;
    out.push(bytes.subarray(0, Math.min(segmentBytes, endOffset - start)));
  }
  return out;
}

test('steady state: 100k messages over many segments reach the replica byte for byte; queues and lookups agree', async (t) => {
  const namesrv = await startNamesrv();
  const ns = grpcAddress(namesrv);
  const master = await startBroker(ns, { extra: [...SMALL_SEGMENTS, ...HA_GROUP('broker-steady'), '--brokerRole', 'SYNC_MASTER'] });
  const replica = await startReplica(ns, { extra: [...SMALL_SEGMENTS, ...HA_GROUP('broker-steady'), '--haMasterAddress', internalAddress(master)] });
  const masterAdmin = new AdminClient(internalAddress(master));
  const replicaAdmin = new AdminClient(internalAddress(replica));
  await waitCaughtUp(masterAdmin);

  const raw = new RawV2Client(clientEndpoint(master));
  const topic = 'SteadyTopic';
  const TOTAL = 100_000;
  const BATCH = 200;
  const keyed: { id: string; key: string }[] = [];
  for (let sent = 0; sent < TOTAL; sent += BATCH) {
    const batch = Array.from({ length: BATCH }, (_, i) => {
      const n = sent + i;
      return message(topic, Buffer.from(`steady-${n}-${'x'.repeat(n % 97)}`), n % 1000 === 0 ? { keys: [`key-${n}`] } : {});
    });
    const r = await raw.send(batch);
    assert.equal(codeOf(r.status), 'OK', `batch at ${sent}: ${r.status?.message}`);
    for (const [i, m] of batch.entries()) if ((sent + i) % 1000 === 0) keyed.push({ id: m.systemProperties?.messageId ?? '', key: `key-${sent + i}` });
  }
  raw.close();
  const caught = await waitCaughtUp(masterAdmin, 60_000);
  const endOffset = Number(caught.endOffset);
  t.diagnostic(`log end ${endOffset} bytes over ${Math.ceil(endOffset / (1024 * 1024))} segments`);

  // Queues: same max offsets; lookups by id and key agree (the replica built its own indexes).
  const ms = await masterAdmin.topicStatus(topic);
  const rs = await eventually('replica indexes caught up', async () => {
    const s = await replicaAdmin.topicStatus(topic);
    return JSON.stringify(s.queues) === JSON.stringify(ms.queues) ? s : undefined;
  });
  assert.equal(
    rs.queues.reduce((n, q) => n + Number(q.maxOffset), 0),
    TOTAL,
  );
  for (const k of keyed.slice(0, 20)) {
    const [a, b] = await Promise.all([masterAdmin.query({ messageId: k.id }), replicaAdmin.query({ messageId: k.id })]);
    assert.equal(a.messages.length, 1);
    assert.deepEqual(b.messages, a.messages);
    const [ka, kb] = await Promise.all([masterAdmin.query({ topic, key: k.key }), replicaAdmin.query({ topic, key: k.key })]);
    assert.deepEqual(kb.messages, ka.messages);
  }
  masterAdmin.close();
  replicaAdmin.close();

  // Byte identity of the whole log, read from the files after both stopped gracefully.
  assert.equal((await master.kill('SIGTERM')).code, 0);
  assert.equal((await replica.kill('SIGTERM')).code, 0);
  const a = logBytes(master.storeDir, endOffset, 1024 * 1024);
  const b = logBytes(replica.storeDir, endOffset, 1024 * 1024);
  assert.ok(a.length > 10, `expected many segments, got ${a.length}`);
  assert.equal(b.length, a.length);
  for (let i = 0; i < a.length; i++) assert.ok((a[i] as Buffer).equals(b[i] as Buffer), `segment ${i} differs`);
  await namesrv.kill('SIGTERM');
});

test('SYNC_MASTER, master SIGKILLed under load: every acknowledged send is consumed from the replica (ASYNC_FLUSH and SYNC_FLUSH on both)', async (t) => {
  const namesrv = await startNamesrv();
  const ns = grpcAddress(namesrv);
  for (const flush of ['ASYNC_FLUSH', 'SYNC_FLUSH'] as const) {
    const name = `broker-sync-${flush === 'SYNC_FLUSH' ? 'sf' : 'af'}`;
    const master = await startBroker(ns, { extra: ['--brokerRole', 'SYNC_MASTER', '--flushDiskType', flush, ...HA_GROUP(name)] });
    const replica = await startReplica(ns, { extra: ['--flushDiskType', flush, ...HA_GROUP(name)] });
    const masterAdmin = new AdminClient(internalAddress(master));
    await waitCaughtUp(masterAdmin);
    masterAdmin.close();

    const topic = `SyncKill${flush === 'SYNC_FLUSH' ? 'Sf' : 'Af'}Topic`;
    const group = `SyncKill${flush === 'SYNC_FLUSH' ? 'Sf' : 'Af'}Group`;
    const raw = new RawV2Client(clientEndpoint(master));
    assert.equal(codeOf((await raw.send([message(topic, Buffer.from('create'))])).status), 'OK');
    raw.close();
    // The group exists before the kill, so the replica knows where it starts.
    await consumeInChild(clientEndpoint(master), group, topic, 'create');
    const run = produceInChild(clientEndpoint(master), topic, 4);
    await eventually('some sends acknowledged', async () => (run.acked.size >= 2_000 ? true : undefined), 30_000);
    await master.kill('SIGKILL');
    const acked = await stopProducer(run);

    const got = await consumeInChild(clientEndpoint(replica), group, topic, 'drain');
    const seen = new Set(got);
    const lost = [...acked].filter((id) => !seen.has(id));
    t.diagnostic(`${flush}: acked ${acked.size}, consumed from the replica ${got.length} (${seen.size} distinct), lost ${lost.length}`);
    assert.equal(lost.length, 0, `acknowledged but not on the replica: ${lost.slice(0, 5).join(', ')}`);
    await replica.kill('SIGTERM');
  }
  await namesrv.kill('SIGTERM');
});

test('ASYNC_MASTER: SIGTERM of the master loses nothing; SIGKILL loses at most the unreplicated tail (reported)', async (t) => {
  const namesrv = await startNamesrv();
  const ns = grpcAddress(namesrv);
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const name = `broker-async-${signal.toLowerCase()}`;
    const master = await startBroker(ns, { extra: ['--brokerRole', 'ASYNC_MASTER', ...HA_GROUP(name)] });
    const replica = await startReplica(ns, { extra: HA_GROUP(name) });
    const masterAdmin = new AdminClient(internalAddress(master));
    await waitCaughtUp(masterAdmin);
    const topic = `Async${signal}Topic`;
    const group = `Async${signal}Group`;
    const raw = new RawV2Client(clientEndpoint(master));
    assert.equal(codeOf((await raw.send([message(topic, Buffer.from('create'))])).status), 'OK');
    raw.close();
    await consumeInChild(clientEndpoint(master), group, topic, 'create');
    const run = produceInChild(clientEndpoint(master), topic, 4);
    await eventually('some sends acknowledged', async () => (run.acked.size >= 2_000 ? true : undefined), 30_000);
    // Under load: a moment when the replica is within LAG_BOUND_BYTES of the master, then the signal at once.
    const ackedAtPoll = await eventually('the replica close behind the master', async () => {
      const before = run.acked.size;
      const s = await masterAdmin.haStatus();
      return s.replicas.some((r) => Number(r.lagBytes) <= LAG_BOUND_BYTES) ? before : undefined;
    });
    masterAdmin.close();
    const stopped = await master.kill(signal);
    if (signal === 'SIGTERM') assert.equal(stopped.code, 0);
    const acked = await stopProducer(run);
    const got = new Set(await consumeInChild(clientEndpoint(replica), group, topic, 'drain'));
    const lost = [...acked].filter((id) => !got.has(id));
    const ackedAfterPoll = acked.size - ackedAtPoll;
    t.diagnostic(`${signal}: acked ${acked.size} (${ackedAfterPoll} after the last lag poll), on the replica ${got.size}, acked but missing ${lost.length}`);
    if (signal === 'SIGTERM') assert.equal(lost.length, 0, 'a graceful stop hands the whole log to the replica');
    // SIGKILL: only what the replica lacked at the poll (≤ LAG_BOUND_BYTES of records, each > 100 bytes) or what was acked after it.
    else assert.ok(lost.length <= ackedAfterPoll + LAG_BOUND_BYTES / 100, `lost ${lost.length}; acked after the poll ${ackedAfterPoll}`);
    await replica.kill('SIGTERM');
  }
  await namesrv.kill('SIGTERM');
});
