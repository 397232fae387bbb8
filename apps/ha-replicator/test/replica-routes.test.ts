import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { v1 } from '@orbitmq/protocol';
import { replicaRoutes } from '../src/replica-routes';

const SELF = { brokerName: 'broker-a', brokerId: 1, clientEndpoint: '127.0.0.1:8091', internalEndpoint: '127.0.0.1:10921' };

/** What the name servers answer while they still list the dead master of broker-a, and broker-b. */
function route(): v1.TopicRoute__Output {
  return {
    topic: 'T',
    queueDatas: [
      { brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, messageType: 'MIXED' },
      { brokerName: 'broker-b', readQueueNums: 4, writeQueueNums: 4, perm: 6, messageType: 'MIXED' },
    ],
    brokerGroups: [
      {
        clusterName: 'c',
        brokerName: 'broker-a',
        members: [
          { brokerId: 0, endpoints: { clientEndpoint: '127.0.0.1:8081', internalEndpoint: '127.0.0.1:10911' } },
          { brokerId: 1, endpoints: { clientEndpoint: SELF.clientEndpoint, internalEndpoint: SELF.internalEndpoint } },
        ],
      },
      {
        clusterName: 'c',
        brokerName: 'broker-b',
        members: [{ brokerId: 0, endpoints: { clientEndpoint: '127.0.0.1:8082', internalEndpoint: '127.0.0.1:10912' } }],
      },
    ],
    filterServers: [],
  };
}

test('with its master alive the replica passes the name servers’ route through unchanged', async () => {
  const routes = replicaRoutes({ getRoute: async () => route() }, SELF, () => true);
  assert.deepEqual(await routes.getRoute('T'), route());
});

test('without its master the replica answers for its group itself: its own endpoint, read-only; other groups untouched', async () => {
  const routes = replicaRoutes({ getRoute: async () => route() }, SELF, () => false);
  const r = await routes.getRoute('T');
  const a = r.brokerGroups.find((g) => g.brokerName === 'broker-a');
  assert.deepEqual(
    a?.members.map((m) => m.endpoints?.clientEndpoint),
    [SELF.clientEndpoint],
  );
  assert.equal(r.queueDatas.find((q) => q.brokerName === 'broker-a')?.perm, 4);
  assert.equal(r.queueDatas.find((q) => q.brokerName === 'broker-b')?.perm, 6);
  assert.deepEqual(
    r.brokerGroups.find((g) => g.brokerName === 'broker-b'),
    route().brokerGroups[1],
  );
});
