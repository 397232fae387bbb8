import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { OrbitError, v1 } from '@orbitmq/protocol';
import { toRegistration } from '../src/namesrv-service';

function req(over: Partial<v1.RegisterBrokerRequest__Output> = {}): v1.RegisterBrokerRequest__Output {
  return {
    broker: { clusterName: 'C', brokerName: 'b', brokerId: 0 },
    endpoints: { clientEndpoint: '127.0.0.1:8081', internalEndpoint: '127.0.0.1:10911' },
    dataVersion: '17',
    topics: [{ topicName: 'T', readQueueNums: 4, writeQueueNums: 4, perm: 6, messageType: 'FIFO' }],
    filterServerEndpoints: [],
    ttlMs: '0',
    ...over,
  };
}

test('a valid registration converts field by field', () => {
  const r = toRegistration(req());
  assert.deepEqual(r.broker, { clusterName: 'C', brokerName: 'b', brokerId: 0 });
  assert.equal(r.topics[0]?.messageType, 'FIFO');
  assert.equal(r.ttlMs, 0);
});

test('malformed registrations are BAD_REQUEST or ILLEGAL_TOPIC with a reason', () => {
  const cases: [Partial<v1.RegisterBrokerRequest__Output>, string, RegExp][] = [
    [{ broker: null }, 'BAD_REQUEST', /identity is required/],
    [{ broker: { clusterName: '', brokerName: 'b', brokerId: 0 } }, 'BAD_REQUEST', /cluster name is required/],
    [{ broker: { clusterName: 'C', brokerName: 'b', brokerId: -1 } }, 'BAD_REQUEST', /brokerId -1/],
    [{ endpoints: { clientEndpoint: 'localhost', internalEndpoint: '127.0.0.1:1' } }, 'BAD_REQUEST', /client endpoint 'localhost'/],
    [{ endpoints: { clientEndpoint: '127.0.0.1:1', internalEndpoint: '127.0.0.1:70000' } }, 'BAD_REQUEST', /internal endpoint/],
    [{ dataVersion: 'abc' }, 'BAD_REQUEST', /data version/],
    [{ ttlMs: '99999999999' }, 'BAD_REQUEST', /ttlMs/],
    [{ topics: [{ topicName: 'bad name', readQueueNums: 1, writeQueueNums: 1, perm: 6, messageType: 'NORMAL' }] }, 'ILLEGAL_TOPIC', /bad name/],
    [{ topics: [{ topicName: 'T', readQueueNums: 5000, writeQueueNums: 1, perm: 6, messageType: 'NORMAL' }] }, 'BAD_REQUEST', /readQueueNums 5000/],
    [{ filterServerEndpoints: ['nope'] }, 'BAD_REQUEST', /filter server endpoint/],
  ];
  for (const [over, code, re] of cases) {
    assert.throws(
      () => toRegistration(req(over)),
      (e: OrbitError) => e.code === code && re.test(e.message),
      JSON.stringify(over),
    );
  }
});
