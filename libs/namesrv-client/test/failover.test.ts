import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as grpc from '@grpc/grpc-js';
import { OrbitError, orbitmqV1, type v1 } from '@orbitmq/protocol';
import { startGrpcServer, unary } from '@orbitmq/rpc';
import { NameServerClients } from '../src';

/** A minimal in-process NameServer for exercising the client's failover (not the real registry). */
async function fakeNamesrv(topics: string[]) {
  const registered: string[] = [];
  const impl: Partial<v1.NameServerHandlers> = {
    RegisterBroker: unary('RegisterBroker', (r: v1.RegisterBrokerRequest__Output) => {
      registered.push(r.broker?.brokerName ?? '');
      return { topicsUpdated: true };
    }),
    GetTopicList: unary('GetTopicList', () => ({ topics })),
    GetRoute: unary('GetRoute', (r: v1.GetRouteRequest__Output) => {
      throw new OrbitError('TOPIC_NOT_FOUND', `no ${r.topic}`);
    }),
  };
  const server = await startGrpcServer('127.0.0.1', 0, [
    { definition: orbitmqV1().NameServer.service, implementation: impl as grpc.UntypedServiceImplementation },
  ]);
  return { server, registered };
}

test('queries fail over past an unreachable name server; registration goes to every one', async () => {
  const live = await fakeNamesrv(['A', 'B']);
  const clients = new NameServerClients(['127.0.0.1:1', live.server.address], { deadlineMs: 1_000, retries: 0 });
  for (let i = 0; i < 3; i++) assert.deepEqual(await clients.getTopicList(), ['A', 'B']);
  const per = await clients.registerBroker({ broker: { clusterName: 'C', brokerName: 'b1', brokerId: 0 }, dataVersion: '1' });
  assert.equal(per.length, 2);
  assert.equal(per.find((p) => p.address === '127.0.0.1:1')?.error?.code, 'SERVICE_UNAVAILABLE');
  assert.equal(per.find((p) => p.address === live.server.address)?.result?.topicsUpdated, true);
  assert.deepEqual(live.registered, ['b1']);
  // What a live server said beats "unreachable" as the final error.
  await assert.rejects(clients.getRoute('X'), (e: OrbitError) => e.code === 'TOPIC_NOT_FOUND');
  clients.close();
  await live.server.stop(500);
});

test('a name server list is parsed like namesrvAddr, and an empty one is refused', () => {
  const c = NameServerClients.parse(' a:1 ; b:2;');
  assert.deepEqual(c.addresses, ['a:1', 'b:2']);
  c.close();
  assert.throws(
    () => NameServerClients.parse(''),
    (e: OrbitError) => e.code === 'BAD_REQUEST',
  );
});
