import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FakeStore, put } from './fake-store';
import { cleanup, startFollower, startLeader, waitFor } from './harness';

test('the state snapshot replaces the replica state, then changes follow', async () => {
  const master = new FakeStore('master-store');
  for (let i = 0; i < 10; i++) master.changeLocal([put(`k${i}`, `v${i}`)]);
  const replica = new FakeStore('replica-store');
  replica.state.set(Buffer.from('stale').toString('hex'), Buffer.from('x'));
  const h = await startLeader(master);
  const applied: boolean[] = [];
  const follower = startFollower(replica, h.address);
  follower.events.on('stateApplied', (e) => applied.push(e.snapshot));
  try {
    await waitFor(() => follower.hasMaster(), 'transferring');
    assert.equal(replica.getValue('stale'), undefined);
    assert.equal(replica.getValue('k9'), 'v9');
    assert.equal(applied[0], true);
    master.changeLocal([put('k1', 'changed'), { kind: 'del', key: Buffer.from('k2') }]);
    master.changeLocal([{ kind: 'clear', gte: Buffer.from('k5'), lt: Buffer.from('k7') }]);
    await waitFor(() => replica.getValue('k1') === 'changed' && replica.getValue('k6') === undefined, 'deltas applied');
    assert.deepEqual([...replica.state.entries()].sort(), [...master.state.entries()].sort());
  } finally {
    await cleanup(h.stop, () => follower.stop());
  }
});

test('state a replica changed without a master is applied on the master before it is accepted', async () => {
  const master = new FakeStore('master-store');
  master.changeLocal([put('offset/g1', '10'), put('offset/g2', '5')]);
  const replica = new FakeStore('replica-store');
  let masterUp = false;
  let h: Awaited<ReturnType<typeof startLeader>> | undefined;
  const follower = startFollower(replica, () => (masterUp ? h?.address : undefined));
  try {
    await waitFor(() => follower.status().state === 'no-master', 'no master');
    replica.changeLocal([put('offset/g1', '42')]);
    replica.changeLocal([put('offset/g1', '43'), put('offset/g3', '7')]);
    await waitFor(() => follower.status().localStateOps === 2, 'journal merged per key');
    h = await startLeader(master);
    const order: string[] = [];
    h.leader.events.on('stateApplied', (e) => order.push(`applied:${e.ops.length}`));
    h.leader.events.on('followerAccepted', () => order.push('accepted'));
    masterUp = true;
    await waitFor(() => follower.hasMaster(), 'transferring');
    assert.deepEqual(order, ['applied:2', 'accepted']);
    assert.equal(master.getValue('offset/g1'), '43');
    assert.equal(master.getValue('offset/g3'), '7');
    assert.equal(replica.getValue('offset/g1'), '43');
    assert.equal(replica.getValue('offset/g2'), '5');
    assert.equal(follower.status().localStateOps, 0);
  } finally {
    await cleanup(
      () => h?.stop(),
      () => follower.stop(),
    );
  }
});
