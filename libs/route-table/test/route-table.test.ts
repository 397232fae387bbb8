import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PERM_READ, PERM_WRITE, RouteTable, type BrokerRegistration, type TopicConfig, clusterInfo, topicRouteData } from '../src';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function topic(name: string, queues = 4, perm = PERM_READ | PERM_WRITE): TopicConfig {
  return { topicName: name, readQueueNums: queues, writeQueueNums: queues, perm, messageType: 'NORMAL' };
}

function reg(brokerName: string, brokerId: number, topics: TopicConfig[], dataVersion = '1', port = 10911): BrokerRegistration {
  return {
    broker: { clusterName: 'DefaultCluster', brokerName, brokerId },
    endpoints: { clientEndpoint: `127.0.0.1:${port - 2830}`, internalEndpoint: `127.0.0.1:${port}` },
    dataVersion,
    topics,
    filterServerEndpoints: [],
    ttlMs: 0,
  };
}

test('a registered broker serves its topics; unknown topics have no route', () => {
  const c = clock();
  const t = new RouteTable({ defaultTtlMs: 120_000, nowMs: c.now });
  const out = t.register(reg('broker-a', 0, [topic('T1'), topic('T2', 8)]));
  assert.deepEqual(out, { topicsUpdated: true, isNew: true });
  const r = t.route('T2');
  assert.deepEqual(r?.queueDatas, [{ brokerName: 'broker-a', readQueueNums: 8, writeQueueNums: 8, perm: 6, messageType: 'NORMAL' }]);
  assert.equal(r?.brokerGroups[0]?.members[0]?.endpoints.clientEndpoint, '127.0.0.1:8081');
  assert.equal(t.route('Nope'), undefined);
  assert.deepEqual(t.topics(), ['T1', 'T2']);
});

test('registrations expire after the TTL without a heartbeat, and heartbeats keep them', () => {
  const c = clock();
  const t = new RouteTable({ defaultTtlMs: 120_000, nowMs: c.now });
  t.register(reg('broker-a', 0, [topic('T1')]));
  t.register({ ...reg('broker-b', 0, [topic('T1')], '1', 10921), ttlMs: 10_000 });
  c.advance(9_000);
  assert.deepEqual(t.expire(), []);
  c.advance(2_000);
  assert.deepEqual(t.expire(), [{ clusterName: 'DefaultCluster', brokerName: 'broker-b', brokerId: 0 }]);
  assert.deepEqual(
    t.route('T1')?.queueDatas.map((q) => q.brokerName),
    ['broker-a'],
  );
  c.advance(100_000);
  t.register(reg('broker-a', 0, [topic('T1')])); // heartbeat, same data version
  c.advance(100_000);
  assert.deepEqual(t.expire(), [], 'the heartbeat renewed the registration');
  c.advance(30_000);
  assert.equal(t.expire().length, 1);
  assert.equal(t.route('T1'), undefined);
  assert.equal(t.brokerCount, 0);
  assert.equal(t.topicCount, 0);
});

test('the same data version keeps the topics; a new one replaces them', () => {
  const c = clock();
  const t = new RouteTable({ defaultTtlMs: 120_000, nowMs: c.now });
  t.register(reg('broker-a', 0, [topic('T1'), topic('T2')], '1'));
  const hb = t.register(reg('broker-a', 0, [topic('T3')], '1'));
  assert.equal(hb.topicsUpdated, false);
  assert.equal(hb.isNew, false);
  assert.deepEqual(t.topics(), ['T1', 'T2']);
  const changed = t.register(reg('broker-a', 0, [topic('T2'), topic('T3')], '2'));
  assert.equal(changed.topicsUpdated, true);
  assert.deepEqual(t.topics(), ['T2', 'T3']);
  assert.equal(t.route('T1'), undefined);
});

test('unregister removes a broker at once', () => {
  const t = new RouteTable({ defaultTtlMs: 120_000, nowMs: clock().now });
  t.register(reg('broker-a', 0, [topic('T1')]));
  assert.equal(t.unregister({ clusterName: 'DefaultCluster', brokerName: 'broker-a', brokerId: 0 }), true);
  assert.equal(t.unregister({ clusterName: 'DefaultCluster', brokerName: 'broker-a', brokerId: 0 }), false);
  assert.equal(t.route('T1'), undefined);
  assert.deepEqual(t.clusters(), []);
});

test('two broker groups serving one topic both appear in its route', () => {
  const t = new RouteTable({ defaultTtlMs: 120_000, nowMs: clock().now });
  t.register(reg('broker-b', 0, [topic('T1', 8)], '1', 10921));
  t.register(reg('broker-a', 0, [topic('T1', 4)], '1', 10911));
  const r = t.route('T1');
  assert.deepEqual(
    r?.queueDatas.map((q) => [q.brokerName, q.writeQueueNums]),
    [
      ['broker-a', 4],
      ['broker-b', 8],
    ],
  );
  assert.deepEqual(
    r?.brokerGroups.map((g) => g.brokerName),
    ['broker-a', 'broker-b'],
  );
});

test('replicas appear as group members; without a live master the group is read-only', () => {
  const c = clock();
  const t = new RouteTable({ defaultTtlMs: 120_000, nowMs: c.now });
  t.register(reg('broker-a', 0, [topic('T1')], '1', 10911));
  const replica = t.register(reg('broker-a', 1, [topic('T1')], '1', 10912));
  assert.equal(replica.master?.internalEndpoint, '127.0.0.1:10911');
  assert.deepEqual(
    t.route('T1')?.brokerGroups[0]?.members.map((m) => m.brokerId),
    [0, 1],
  );
  assert.equal(t.route('T1')?.queueDatas[0]?.perm, PERM_READ | PERM_WRITE);
  t.unregister({ clusterName: 'DefaultCluster', brokerName: 'broker-a', brokerId: 0 });
  const r = t.route('T1');
  assert.deepEqual(
    r?.brokerGroups[0]?.members.map((m) => m.brokerId),
    [1],
  );
  assert.equal(r?.queueDatas[0]?.perm, PERM_READ, 'no writes without a master');
});

test('cluster info, topic list by cluster, delete topic, filter servers', () => {
  const c = clock();
  const t = new RouteTable({ defaultTtlMs: 120_000, nowMs: c.now });
  t.register({ ...reg('broker-a', 0, [topic('T1'), topic('T2')]), filterServerEndpoints: ['127.0.0.1:7000'] });
  t.register({ ...reg('broker-x', 0, [topic('T9')], '1', 10931), broker: { clusterName: 'Other', brokerName: 'broker-x', brokerId: 0 } });
  c.advance(5);
  const clusters = t.clusters();
  assert.deepEqual(
    clusters.map((cl) => [cl.clusterName, cl.brokers.length]),
    [
      ['DefaultCluster', 1],
      ['Other', 1],
    ],
  );
  assert.equal(clusters[0]?.brokers[0]?.topicCount, 2);
  assert.deepEqual(t.topics('Other'), ['T9']);
  assert.deepEqual(t.route('T1')?.filterServers, [{ brokerName: 'broker-a', brokerId: 0, endpoints: ['127.0.0.1:7000'] }]);
  assert.equal(t.deleteTopic('T1'), true);
  assert.equal(t.deleteTopic('T1'), false);
  assert.equal(t.route('T1'), undefined);
  assert.deepEqual(t.topics(), ['T2', 'T9']);
});

test('a re-registration with new endpoints (restarted broker) updates the route', () => {
  const t = new RouteTable({ defaultTtlMs: 120_000, nowMs: clock().now });
  t.register(reg('broker-a', 0, [topic('T1')], '1', 10911));
  t.register(reg('broker-a', 0, [topic('T1')], '1', 20911));
  assert.equal(t.route('T1')?.brokerGroups[0]?.members[0]?.endpoints.internalEndpoint, '127.0.0.1:20911');
});

test('RocketMQ 4.x JSON: TopicRouteData with brokerAddrs by brokerId at the internal endpoints, filter servers by broker address', () => {
  const t = new RouteTable({ defaultTtlMs: 60_000, nowMs: () => 0 });
  const topics = [{ topicName: 'T', readQueueNums: 4, writeQueueNums: 4, perm: 6, messageType: 'NORMAL' as const }];
  t.register({
    broker: { clusterName: 'C', brokerName: 'a', brokerId: 0 },
    endpoints: { clientEndpoint: '10.0.0.1:8081', internalEndpoint: '10.0.0.1:10911' },
    dataVersion: '1',
    topics,
    filterServerEndpoints: ['10.0.0.9:8079'],
    ttlMs: 0,
  });
  t.register({
    broker: { clusterName: 'C', brokerName: 'a', brokerId: 1 },
    endpoints: { clientEndpoint: '10.0.0.2:8081', internalEndpoint: '10.0.0.2:10911' },
    dataVersion: '1',
    topics,
    filterServerEndpoints: [],
    ttlMs: 0,
  });
  const data = topicRouteData(t.route('T')!);
  assert.deepEqual(data.queueDatas, [{ brokerName: 'a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }]);
  assert.deepEqual(data.brokerDatas, [{ cluster: 'C', brokerName: 'a', brokerAddrs: { 0: '10.0.0.1:10911', 1: '10.0.0.2:10911' }, enableActingMaster: false }]);
  assert.deepEqual(data.filterServerTable, { '10.0.0.1:10911': ['10.0.0.9:8079'] });
  const info = clusterInfo(t.clusters());
  assert.deepEqual(info.clusterAddrTable, { C: ['a'] });
  assert.deepEqual(info.brokerAddrTable.a?.brokerAddrs, { 0: '10.0.0.1:10911', 1: '10.0.0.2:10911' });
});
