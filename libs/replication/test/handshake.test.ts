import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { v1 } from '@orbitmq/protocol';
import { FakeStore } from './fake-store';
import { CLUSTER, cleanup, handshake, openRaw, startFollower, startLeader, waitFor } from './harness';

const REFUSALS: { name: string; hs: Partial<v1.FollowHandshake>; code: string; mentions: string[] }[] = [
  {
    name: 'wrong cluster',
    hs: { broker: { ...CLUSTER, clusterName: 'other', brokerId: 1 } },
    code: 'REPLICA_IDENTITY_MISMATCH',
    mentions: ['clusterName', 'other', '"C"'],
  },
  {
    name: 'wrong broker name',
    hs: { broker: { ...CLUSTER, brokerName: 'broker-b', brokerId: 1 } },
    code: 'REPLICA_IDENTITY_MISMATCH',
    mentions: ['brokerName', 'broker-b'],
  },
  { name: 'broker id 0', hs: { broker: { ...CLUSTER, brokerId: 0 } }, code: 'REPLICA_IDENTITY_MISMATCH', mentions: ['brokerId'] },
  { name: 'segment size', hs: { segmentSizeBytes: 4096 }, code: 'REPLICA_IDENTITY_MISMATCH', mentions: ['segmentSizeBytes', '4096'] },
  { name: 'other master store', hs: { masterStoreId: 'store-x' }, code: 'REPLICA_IDENTITY_MISMATCH', mentions: ['store-x', 'master-store', 'wipe'] },
  { name: 'protocol version', hs: { protocolVersion: 2 }, code: 'BAD_REQUEST', mentions: ['version 2'] },
  { name: 'malformed offset', hs: { endOffset: '12x' }, code: 'BAD_REQUEST', mentions: ['end_offset'] },
];

for (const r of REFUSALS) {
  test(`handshake refused: ${r.name}`, async () => {
    const store = new FakeStore('master-store');
    store.append('a', 'b');
    const h = await startLeader(store);
    const refused: string[] = [];
    h.leader.events.on('followerRefused', (e) => refused.push(e.code));
    const raw = openRaw(h.address);
    try {
      raw.call.write({ handshake: handshake(r.hs) });
      const err = await raw.ended;
      assert.equal(err.code, r.code, err.message);
      for (const m of r.mentions) assert.ok(err.message.includes(m), `"${err.message}" should mention ${m}`);
      assert.deepEqual(raw.received, []);
      assert.deepEqual(refused, [r.code]);
    } finally {
      await cleanup(h.stop, raw.close);
    }
  });
}

test('the first message must be a handshake', async () => {
  const h = await startLeader(new FakeStore('master-store'));
  const raw = openRaw(h.address);
  try {
    raw.call.write({ ack: { writtenOffset: '0', durableOffset: '0', dispatchedOffset: '0' } });
    const err = await raw.ended;
    assert.equal(err.code, 'BAD_REQUEST');
    assert.match(err.message, /first message must be a handshake/);
  } finally {
    await cleanup(h.stop, raw.close);
  }
});

test('no handshake within handshakeTimeoutMs closes the stream with BAD_REQUEST', async () => {
  const h = await startLeader(new FakeStore('master-store'), { settings: { handshakeTimeoutMs: 100 } });
  const raw = openRaw(h.address);
  try {
    const err = await raw.ended;
    assert.equal(err.code, 'BAD_REQUEST');
    assert.match(err.message, /no handshake within 100 ms/);
  } finally {
    await cleanup(h.stop, raw.close);
  }
});

test('a refused follower shows state refused with the reason, and keeps retrying', async () => {
  const h = await startLeader(new FakeStore('master-store'));
  const follower = startFollower(new FakeStore('replica-store'), h.address, { clusterName: 'other' });
  let refusals = 0;
  h.leader.events.on('followerRefused', () => refusals++);
  try {
    await waitFor(() => follower.status().state === 'refused', 'state refused');
    assert.match(follower.status().reason, /REPLICA_IDENTITY_MISMATCH: clusterName differs/);
    await waitFor(() => refusals >= 2, 'a retry after the refusal');
    assert.equal(follower.hasMaster(), false);
  } finally {
    await cleanup(h.stop, () => follower.stop());
  }
});

test('a second stream of the same broker id replaces the first', async () => {
  const store = new FakeStore('master-store');
  store.append('x');
  const h = await startLeader(store);
  const first = openRaw(h.address);
  const second = openRaw(h.address);
  try {
    first.call.write({ handshake: handshake() });
    await waitFor(() => first.received.some((m) => m.kind === 'accepted'), 'first accepted');
    second.call.write({ handshake: handshake() });
    const err = await first.ended;
    assert.equal(err.code, 'SERVICE_UNAVAILABLE');
    assert.match(err.message, /replaced/);
    await waitFor(() => second.received.some((m) => m.kind === 'accepted'), 'second accepted');
    assert.equal(h.leader.status().followers.length, 1);
  } finally {
    await cleanup(h.stop, first.close, second.close);
  }
});

test('stopAccepting refuses new streams with SERVICE_UNAVAILABLE', async () => {
  const h = await startLeader(new FakeStore('master-store'));
  h.leader.stopAccepting();
  const raw = openRaw(h.address);
  try {
    raw.call.write({ handshake: handshake() });
    const err = await raw.ended;
    assert.equal(err.code, 'SERVICE_UNAVAILABLE');
  } finally {
    await cleanup(h.stop, raw.close);
  }
});
