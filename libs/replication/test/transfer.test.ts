import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FakeStore } from './fake-store';
import { cleanup, handshake, openRaw, startFollower, startLeader, waitFor } from './harness';

function sameLog(master: FakeStore, replica: FakeStore): boolean {
  return replica.endOffset === master.endOffset && replica.minOffset === master.minOffset && replica.logBytes().equals(master.logBytes());
}

test('an empty replica reseeds from the master and follows live appends (woken by written)', async () => {
  const master = new FakeStore('master-store');
  await master.beginMasterEpoch();
  master.append('one', 'two', 'three');
  const h = await startLeader(master);
  const accepted: { reason: string; startOffset: number }[] = [];
  h.leader.events.on('followerAccepted', (e) => accepted.push(e));
  const replica = new FakeStore('replica-store');
  const follower = startFollower(replica, h.address);
  try {
    await waitFor(() => follower.hasMaster() && sameLog(master, replica), 'replica caught up');
    assert.deepEqual(
      accepted.map((a) => [a.reason, a.startOffset]),
      [['reseed', 0]],
    );
    assert.deepEqual(replica.epochs(), master.epochs());
    assert.equal(replica.meta.get('masterStoreId')?.toString(), 'master-store');
    for (let i = 0; i < 50; i++) master.append(`live-${i}`);
    await waitFor(() => sameLog(master, replica), 'live appends replicated');
    const status = h.leader.status();
    assert.equal(status.followers[0]?.state, 'transferring');
    await waitFor(() => h.leader.status().followers[0]?.ackedDurableOffset === master.endOffset, 'acked');
    assert.equal(follower.status().state, 'transferring');
  } finally {
    await cleanup(h.stop, () => follower.stop());
  }
});

test('a replica behind the master oldest offset is emptied and reseeded from there', async () => {
  const master = new FakeStore('master-store', { baseOffset: 10_000 });
  await master.beginMasterEpoch();
  master.append('m1', 'm2');
  const replica = new FakeStore('replica-store');
  await replica.appendEpoch(1, 0);
  await replica.appendReplicated(0, Buffer.concat([Buffer.from([0, 0, 0, 2]), Buffer.from('r1')]));
  const reseeded: number[] = [];
  const h = await startLeader(master);
  const follower = startFollower(replica, h.address);
  follower.events.on('reseeded', (e) => reseeded.push(e.startOffset));
  try {
    await waitFor(() => follower.hasMaster() && sameLog(master, replica), 'reseeded');
    assert.deepEqual(reseeded, [10_000]);
    assert.equal(replica.minOffset, 10_000);
  } finally {
    await cleanup(h.stop, () => follower.stop());
  }
});

test('a large backlog is caught up without exceeding the in-flight window', async () => {
  const master = new FakeStore('master-store');
  await master.beginMasterEpoch();
  const payload = Buffer.alloc(1000, 7);
  for (let i = 0; i < 3000; i++) master.append(payload);
  const settings = { batchBytes: 8 * 1024, maxInFlightBytes: 64 * 1024 };
  const h = await startLeader(master, { settings });
  let worstInFlight = 0;
  let reads = 0;
  master.onReadRaw = (_from, next) => {
    reads++;
    const f = h.leader.status().followers[0];
    if (f) worstInFlight = Math.max(worstInFlight, next - f.ackedWrittenOffset);
  };
  const replica = new FakeStore('replica-store');
  const follower = startFollower(replica, h.address, { settings });
  try {
    await waitFor(() => sameLog(master, replica), 'backlog replicated');
    assert.ok(worstInFlight <= settings.maxInFlightBytes, `in flight ${worstInFlight} > window ${settings.maxInFlightBytes}`);
    assert.ok(reads >= master.endOffset / settings.batchBytes, `${reads} reads for ${master.endOffset} bytes`);
  } finally {
    await cleanup(h.stop, () => follower.stop());
  }
});

test('the follower reconnects after the leader restarts and continues where it was', async () => {
  const master = new FakeStore('master-store');
  await master.beginMasterEpoch();
  master.append('a', 'b');
  let h = await startLeader(master);
  const port = h.server.port;
  const replica = new FakeStore('replica-store');
  const follower = startFollower(replica, h.address);
  const lost: string[] = [];
  follower.events.on('masterLost', (e) => lost.push(e.reason));
  try {
    await waitFor(() => follower.hasMaster() && sameLog(master, replica), 'first catch-up');
    await h.stop();
    await waitFor(() => !follower.hasMaster() && lost.length === 1, 'master lost');
    await master.beginMasterEpoch();
    master.append('c', 'd');
    h = await startLeader(master, { port });
    const accepted: string[] = [];
    h.leader.events.on('followerAccepted', (e) => accepted.push(e.reason));
    await waitFor(() => follower.hasMaster() && sameLog(master, replica), 'caught up after restart');
    assert.deepEqual(accepted, ['']);
    assert.deepEqual(replica.epochs(), master.epochs());
  } finally {
    await cleanup(
      () => h.stop(),
      () => follower.stop(),
    );
  }
});

test('a stream that sends nothing is closed after housekeepingMs with REPLICA_TIMEOUT', async () => {
  const master = new FakeStore('master-store');
  master.append('x');
  const h = await startLeader(master, { settings: { housekeepingMs: 300 } });
  const raw = openRaw(h.address);
  const disconnected: string[] = [];
  h.leader.events.on('followerDisconnected', (e) => disconnected.push(e.reason));
  try {
    raw.call.write({ handshake: handshake() });
    const err = await raw.ended;
    assert.equal(err.code, 'REPLICA_TIMEOUT');
    await waitFor(() => h.leader.status().followers[0]?.state === 'disconnected', 'state disconnected');
    assert.match(disconnected[0] ?? '', /REPLICA_TIMEOUT/);
  } finally {
    await cleanup(h.stop, raw.close);
  }
});

test('a follower closes a silent master after housekeepingMs and reconnects', async () => {
  const master = new FakeStore('master-store');
  master.append('x');
  // The leader heartbeats far less often than the follower's housekeeping allows.
  const h = await startLeader(master, { settings: { heartbeatIntervalMs: 60_000, housekeepingMs: 60_000 } });
  const follower = startFollower(new FakeStore('replica-store'), h.address, { settings: { housekeepingMs: 300 } });
  const reasons: string[] = [];
  follower.events.on('stateChanged', (e) => reasons.push(e.reason));
  let accepted = 0;
  h.leader.events.on('followerAccepted', () => accepted++);
  try {
    await waitFor(() => reasons.some((r) => r.includes('REPLICA_TIMEOUT')), 'follower timed the master out');
    await waitFor(() => accepted >= 1, 'reconnected');
  } finally {
    await cleanup(h.stop, () => follower.stop());
  }
});
