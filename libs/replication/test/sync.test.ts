import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OrbitError } from '@orbitmq/protocol';
import { FakeStore } from './fake-store';
import { cleanup, handshake, openRaw, startFollower, startLeader, waitFor } from './harness';

async function rejection(p: Promise<unknown>): Promise<OrbitError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof OrbitError);
    return err;
  }
  assert.fail('expected a rejection');
}

test('SYNC_MASTER without a replica: assertAvailable fails with HA_NOT_AVAILABLE (nothing stored yet), awaitReplicated with SLAVE_PERSISTENCE_TIMEOUT (already stored)', async () => {
  const master = new FakeStore('master-store');
  const h = await startLeader(master, { role: 'SYNC_MASTER' });
  try {
    const end = master.append('x');
    assert.throws(
      () => h.leader.assertAvailable(),
      (err: OrbitError) => err.code === 'HA_NOT_AVAILABLE' && /no replica connected/.test(err.message),
    );
    assert.equal((await rejection(h.leader.awaitReplicated(end))).code, 'SLAVE_PERSISTENCE_TIMEOUT');
  } finally {
    await h.stop();
  }
});

test('ASYNC_MASTER never waits', async () => {
  const master = new FakeStore('master-store');
  const h = await startLeader(master, { role: 'ASYNC_MASTER' });
  try {
    h.leader.assertAvailable();
    await h.leader.awaitReplicated(master.append('x'));
    assert.equal(h.leader.confirmOffset(), master.endOffset);
  } finally {
    await h.stop();
  }
});

test('SYNC_MASTER: awaitReplicated resolves after the replica acks; confirmOffset only grows', async () => {
  const master = new FakeStore('master-store');
  await master.beginMasterEpoch();
  const h = await startLeader(master, { role: 'SYNC_MASTER' });
  const confirms: number[] = [];
  h.leader.events.on('confirmed', (e) => confirms.push(e.confirmOffset));
  const replica = new FakeStore('replica-store', { syncFlush: true });
  const follower = startFollower(replica, h.address);
  try {
    await waitFor(() => h.leader.status().followers[0]?.inSync === true, 'in sync');
    h.leader.assertAvailable();
    const waits: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) waits.push(h.leader.awaitReplicated(master.append(`m${i}`)));
    await Promise.all(waits);
    assert.ok(replica.flushedOffset >= master.endOffset);
    await waitFor(() => h.leader.confirmOffset() === master.endOffset, 'confirm reaches the end');
    for (let i = 1; i < confirms.length; i++)
      assert.ok((confirms[i] as number) > (confirms[i - 1] as number), `confirm went ${confirms[i - 1]} -> ${confirms[i]}`);
    await waitFor(() => follower.confirmOffset() === master.endOffset, 'the follower heard the confirm offset');
    await waitFor(() => replica.meta.get('confirmedOffset')?.toString() === String(master.endOffset), 'the follower persisted it');
  } finally {
    await cleanup(h.stop, () => follower.stop());
  }
});

test('SYNC_MASTER: a replica that does not ack in time gives SLAVE_PERSISTENCE_TIMEOUT, the record stays', async () => {
  const master = new FakeStore('master-store');
  await master.beginMasterEpoch();
  const h = await startLeader(master, { role: 'SYNC_MASTER', settings: { slaveTimeoutMs: 200 } });
  const outcomes: string[] = [];
  h.leader.events.on('syncWaitFinished', (e) => outcomes.push(e.outcome));
  const replica = new FakeStore('replica-store', { syncFlush: true });
  const follower = startFollower(replica, h.address);
  let release = (): void => undefined;
  try {
    await waitFor(() => h.leader.status().followers[0]?.inSync === true, 'in sync');
    replica.appendGate = new Promise<void>((r) => (release = r));
    const end = master.append('slow');
    const err = await rejection(h.leader.awaitReplicated(end));
    assert.equal(err.code, 'SLAVE_PERSISTENCE_TIMEOUT');
    assert.match(err.message, new RegExp(`offset ${end} within slaveTimeout 200 ms`));
    assert.deepEqual(outcomes, ['timeout']);
    release();
    replica.appendGate = undefined;
    await waitFor(() => replica.endOffset === end, 'replicated later');
  } finally {
    release();
    await cleanup(h.stop, () => follower.stop());
  }
});

test('SYNC_MASTER: waiters fail with SLAVE_PERSISTENCE_TIMEOUT (stored, not confirmed) when the last replica drops out', async () => {
  const master = new FakeStore('master-store');
  const h = await startLeader(master, { role: 'SYNC_MASTER', settings: { slaveTimeoutMs: 60_000 } });
  const raw = openRaw(h.address);
  try {
    raw.call.write({ handshake: handshake() });
    await waitFor(() => h.leader.status().followers[0]?.state === 'transferring', 'transferring');
    const waiting = h.leader.awaitReplicated(master.append('x'));
    raw.close();
    assert.equal((await rejection(waiting)).code, 'SLAVE_PERSISTENCE_TIMEOUT');
  } finally {
    await cleanup(h.stop, raw.close);
  }
});

test('an ack beyond what was sent closes the stream with REPLICA_OFFSET_MISMATCH', async () => {
  const master = new FakeStore('master-store');
  master.append('a', 'b');
  const h = await startLeader(master, { role: 'SYNC_MASTER' });
  const raw = openRaw(h.address);
  try {
    raw.call.write({ handshake: handshake() });
    await waitFor(() => raw.received.some((m) => m.kind === 'accepted'), 'accepted');
    const fake = String(master.endOffset + 1_000_000);
    raw.call.write({ ack: { writtenOffset: fake, durableOffset: fake, dispatchedOffset: '0' } });
    const err = await raw.ended;
    assert.equal(err.code, 'REPLICA_OFFSET_MISMATCH');
    assert.match(err.message, /beyond what was sent/);
    assert.throws(() => h.leader.assertAvailable(), /HA_NOT_AVAILABLE|no replica/);
  } finally {
    await cleanup(h.stop, raw.close);
  }
});

test('an ack going backwards closes the stream with REPLICA_OFFSET_MISMATCH', async () => {
  const master = new FakeStore('master-store');
  master.append('a', 'b');
  const h = await startLeader(master);
  const raw = openRaw(h.address);
  try {
    raw.call.write({ handshake: handshake() });
    await waitFor(() => raw.received.some((m) => m.kind === 'log'), 'a log frame');
    const end = String(master.endOffset);
    raw.call.write({ ack: { writtenOffset: end, durableOffset: end, dispatchedOffset: '0' } });
    await waitFor(() => h.leader.status().followers[0]?.ackedWrittenOffset === master.endOffset, 'ack taken');
    raw.call.write({ ack: { writtenOffset: '1', durableOffset: '1', dispatchedOffset: '0' } });
    const err = await raw.ended;
    assert.equal(err.code, 'REPLICA_OFFSET_MISMATCH');
    assert.match(err.message, /backwards/);
  } finally {
    await cleanup(h.stop, raw.close);
  }
});

test('waitForHandshake and waitForFollowersAt (pre-online and graceful stop)', async () => {
  const master = new FakeStore('master-store');
  master.append('a');
  const h = await startLeader(master);
  const replica = new FakeStore('replica-store');
  const follower = startFollower(replica, h.address, { brokerId: 2 });
  let release = (): void => undefined;
  try {
    assert.deepEqual(await h.leader.waitForHandshake([2], 20_000), [2]);
    assert.deepEqual(await h.leader.waitForHandshake([2, 3], 50), [2]);
    const end = master.append('b', 'c');
    h.leader.stopAccepting();
    assert.equal(await h.leader.waitForFollowersAt(end, 20_000), true);
    replica.appendGate = new Promise<void>((r) => (release = r));
    assert.equal(await h.leader.waitForFollowersAt(master.append('d'), 50), false);
    const status = h.leader.status();
    assert.equal(status.followers[0]?.brokerId, 2);
    assert.equal(status.followers[0]?.clientEndpoint, '127.0.0.1:18081');
  } finally {
    replica.appendGate = undefined;
    release();
    await cleanup(h.stop, () => follower.stop());
  }
});
