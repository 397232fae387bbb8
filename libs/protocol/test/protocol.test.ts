import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ERROR_TABLE, OrbitError, checkTopicName, isErrorCode, orbitmqV1, rocketmqV2, toOrbitError } from '../src';

test('both protocol packages load from their .proto files', () => {
  assert.equal(typeof orbitmqV1().NameServer, 'function');
  assert.equal(typeof rocketmqV2().MessagingService, 'function');
  const methods = Object.keys(rocketmqV2().MessagingService.service);
  for (const m of ['QueryRoute', 'Heartbeat', 'SendMessage', 'ReceiveMessage', 'AckMessage', 'Telemetry', 'EndTransaction', 'QueryAssignment'])
    assert.ok(methods.includes(m), m);
});

test('every rocketmqCode in the error table is a real apache.rocketmq.v2.Code value', () => {
  const codeEnum = (rocketmqV2().Code as unknown as { type: { value: { name: string; number: number }[] } }).type.value;
  const valid = new Set(codeEnum.map((v) => v.number));
  assert.ok(valid.has(40402) && valid.has(20000));
  for (const [name, spec] of Object.entries(ERROR_TABLE)) {
    assert.ok(valid.has(spec.rocketmqCode), `${name} -> ${spec.rocketmqCode} is not a v2 Code`);
    assert.notEqual(spec.rocketmqCode, 20000, `${name} must not map to OK`);
    assert.ok(spec.meaning.length > 10, `${name} says what it means`);
  }
});

test('int64 fields travel as decimal strings without losing precision', () => {
  // The service's own serializers, built with LOADER_OPTIONS: what a server and client really do.
  const m = orbitmqV1().NameServer.service.RegisterBroker;
  const big = '9007199254740993'; // 2^53 + 1: a JS number would round it
  const bytes = m.requestSerialize({ ttlMs: big, dataVersion: '18446744073709551615' });
  const back = m.requestDeserialize(bytes) as { ttlMs: string; dataVersion: string; topics: unknown[] };
  assert.equal(back.ttlMs, big);
  assert.equal(back.dataVersion, '18446744073709551615');
  assert.deepEqual(back.topics, [], 'defaults: omitted repeated fields decode as []');
});

test('errors map to table codes; unknown ones become INTERNAL_ERROR', () => {
  assert.equal(toOrbitError(new OrbitError('TOPIC_NOT_FOUND', 'x')).code, 'TOPIC_NOT_FOUND');
  assert.equal(toOrbitError(Object.assign(new Error('disk'), { code: 'DISK_FULL' })).code, 'DISK_FULL');
  assert.equal(toOrbitError(Object.assign(new Error('x'), { code: 'ENOENT' })).code, 'INTERNAL_ERROR');
  assert.equal(toOrbitError('plain string').code, 'INTERNAL_ERROR');
  assert.equal(isErrorCode('TOO_MANY_REQUESTS'), true);
  assert.equal(isErrorCode('toString'), false);
});

test('topic names follow RocketMQ rules', () => {
  for (const ok of ['T', 'Order_Topic-1', '%RETRY%group', 'a|b']) assert.doesNotThrow(() => checkTopicName(ok));
  for (const bad of ['', 'has space', 'x'.repeat(128), 'slash/no', 'ü']) {
    assert.throws(
      () => checkTopicName(bad),
      (e: OrbitError) => e.code === 'ILLEGAL_TOPIC',
    );
  }
});
