import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { findConsistentPoint } from '../src';
import { FakeStore } from './fake-store';
import { cleanup, startFollower, startLeader, waitFor } from './harness';

test('findConsistentPoint: last common epoch, ended by the earlier log', () => {
  const ours = {
    minOffset: 0,
    endOffset: 300,
    epochs: [
      { epoch: 1, startOffset: 0 },
      { epoch: 2, startOffset: 100 },
    ],
  };
  assert.equal(findConsistentPoint(ours, { minOffset: 0, endOffset: 150, epochs: [{ epoch: 1, startOffset: 0 }] }), 100);
  assert.equal(findConsistentPoint(ours, { minOffset: 0, endOffset: 80, epochs: [{ epoch: 1, startOffset: 0 }] }), 80);
  assert.equal(
    findConsistentPoint(ours, {
      minOffset: 0,
      endOffset: 400,
      epochs: [
        { epoch: 1, startOffset: 0 },
        { epoch: 2, startOffset: 100 },
      ],
    }),
    300,
  );
  // Reseeded in the middle of epoch 2: its first entry is where it began.
  assert.equal(findConsistentPoint(ours, { minOffset: 200, endOffset: 250, epochs: [{ epoch: 2, startOffset: 200 }] }), 250);
  assert.equal(findConsistentPoint(ours, { minOffset: 0, endOffset: 50, epochs: [{ epoch: 7, startOffset: 0 }] }), undefined);
});

/** A master whose epoch 1 ended at `cut` (it lost what came after in a crash) and that wrote epoch 2 since. */
async function masterAndReplica(opts: { replicaExtra: number; masterEpoch2: number }) {
  const master = new FakeStore('master-store');
  const replica = new FakeStore('replica-store', { syncFlush: true });
  await master.appendEpoch(1, 0);
  for (let i = 0; i < 10; i++) master.append(`common-${i}`);
  const cut = master.endOffset;
  await replica.appendEpoch(1, 0);
  await replica.appendReplicated(0, master.logBytes());
  for (let i = 0; i < opts.replicaExtra; i++) await replica.appendReplicated(replica.endOffset, Buffer.from(`\0\0\0\x05lost${i}`, 'latin1'));
  await master.appendEpoch(2, cut);
  for (let i = 0; i < opts.masterEpoch2; i++) master.append(`epoch2-${i}`);
  replica.meta.set('masterStoreId', Buffer.from('master-store'));
  return { master, replica, cut };
}

test('a replica longer than the master (other epoch after the cut) is truncated, then follows', async () => {
  const { master, replica, cut } = await masterAndReplica({ replicaExtra: 5, masterEpoch2: 3 });
  const h = await startLeader(master);
  const truncated: number[] = [];
  const follower = startFollower(replica, h.address);
  follower.events.on('truncated', (e) => truncated.push(e.toOffset));
  try {
    await waitFor(() => follower.hasMaster() && replica.endOffset === master.endOffset, 'caught up');
    assert.deepEqual(truncated, [cut]);
    assert.ok(replica.logBytes().equals(master.logBytes()));
    assert.deepEqual(replica.epochs(), master.epochs());
  } finally {
    await cleanup(h.stop, () => follower.stop());
  }
});

test('a replica longer than the master with the same epoch is cut back to the master end', async () => {
  const master = new FakeStore('master-store');
  await master.appendEpoch(1, 0);
  master.append('a', 'b');
  const replica = new FakeStore('replica-store');
  await replica.appendEpoch(1, 0);
  await replica.appendReplicated(0, Buffer.concat([master.logBytes(), Buffer.from('\0\0\0\x01c', 'latin1')]));
  const h = await startLeader(master);
  const follower = startFollower(replica, h.address);
  try {
    await waitFor(() => follower.hasMaster(), 'following');
    assert.ok(replica.logBytes().equals(master.logBytes()));
  } finally {
    await cleanup(h.stop, () => follower.stop());
  }
});

test('REPLICA_DIVERGED when the cut would drop confirmed records; the replica is kept', async () => {
  const { master, replica, cut } = await masterAndReplica({ replicaExtra: 5, masterEpoch2: 3 });
  replica.meta.set('confirmedOffset', Buffer.from(String(cut + 20)));
  const before = replica.logBytes();
  const h = await startLeader(master);
  const follower = startFollower(replica, h.address);
  try {
    await waitFor(() => follower.status().state === 'refused', 'refused');
    assert.match(follower.status().reason, new RegExp(`REPLICA_DIVERGED: the master lost confirmed records \\[${cut}, ${cut + 20}\\)`));
    assert.ok(replica.logBytes().equals(before));
  } finally {
    await cleanup(h.stop, () => follower.stop());
  }
});

test('REPLICA_DIVERGED when equal epochs and lengths hide different bytes (tail digest)', async () => {
  const master = new FakeStore('master-store');
  await master.appendEpoch(1, 0);
  master.append('abcd', 'efgh');
  const replica = new FakeStore('replica-store');
  await replica.appendEpoch(1, 0);
  await replica.appendReplicated(0, Buffer.from('\0\0\0\x04abcd\0\0\0\x04XXXX', 'latin1'));
  const h = await startLeader(master);
  const follower = startFollower(replica, h.address);
  try {
    await waitFor(() => follower.status().state === 'refused', 'refused');
    assert.match(follower.status().reason, new RegExp(`REPLICA_DIVERGED: bytes before ${master.endOffset} differ`));
  } finally {
    await cleanup(h.stop, () => follower.stop());
  }
});

test('REPLICA_DIVERGED when no epoch is common', async () => {
  const master = new FakeStore('master-store');
  await master.appendEpoch(2, 0);
  master.append('a');
  const replica = new FakeStore('replica-store');
  await replica.appendEpoch(1, 0);
  await replica.appendReplicated(0, Buffer.from('\0\0\0\x01b', 'latin1'));
  const h = await startLeader(master);
  const follower = startFollower(replica, h.address);
  try {
    await waitFor(() => follower.status().state === 'refused', 'refused');
    assert.match(follower.status().reason, /REPLICA_DIVERGED: .*shares no epoch/);
  } finally {
    await cleanup(h.stop, () => follower.stop());
  }
});
