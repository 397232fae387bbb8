/**
 * Which connections the ACL brakes (FailingConnections through createAclGuard): those refused past
 * their IP's free failures with no call accepted in the last minute; an accepted call releases them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OrbitError } from '@orbitmq/protocol';
import { type ConnectionBrake, createAclGuard, parsePlainAcl } from '../src';

// 10.0.0.1 is white-listed, so its calls pass the checks unsigned; the refusals below are handed
// to answerRefusal directly, as the servers do after a check threw UNAUTHORIZED.
const ACL = parsePlainAcl(`
globalWhiteRemoteAddresses:
  - 10.0.0.1
accounts:
  - {accessKey: RocketMQ, secretKey: 12345678, defaultTopicPerm: PUB|SUB}
`);
const SEND = { messages: [{ topic: { name: 'T' } }] };
const NO_METADATA = { get: () => [] };
const WINDOW_MS = 10_000;

function guardWithBrakes(refusalsPerSecond = 5, brakedConnectionCallsPerSecond = 1) {
  const clock = { now: 1_000_000 };
  const guard = createAclGuard(ACL, {
    maxClockSkewMs: 300_000,
    failureDelay: { windowMs: WINDOW_MS, freeFailures: 2, refusalsPerSecond, maxHeld: 100 },
    nowMs: () => clock.now,
    brakedConnectionCallsPerSecond,
  });
  const log: string[] = [];
  const brake: ConnectionBrake = {
    brake: (peer, callsPerSecond) => void log.push(`brake ${peer} ${callsPerSecond}/s`),
    release: (peer) => void log.push(`release ${peer}`),
  };
  guard.brakeConnectionsWith(brake);
  const refuse = (peer: string) => guard.answerRefusal(new OrbitError('UNAUTHORIZED', 'bad signature'), peer, () => undefined);
  const accept = (peer: string) => guard.checkV2('SendMessage', SEND, NO_METADATA, peer);
  return { guard, clock, log, refuse, accept };
}

test('a connection refused past its IP free failures, with nothing accepted, is braked once (at aclBrakedConnectionCallsPerSecond)', () => {
  const { log, refuse } = guardWithBrakes();
  refuse('10.0.0.1:1');
  refuse('10.0.0.1:1');
  assert.deepEqual(log, [], 'within the free failures');
  refuse('10.0.0.1:1');
  refuse('10.0.0.1:1');
  assert.deepEqual(log, ['brake 10.0.0.1:1 1/s'], 'braked at the first paced refusal, not again');
});

test('a connection that also carries accepted calls is not braked (a proxy in front of good and bad clients)', () => {
  const { clock, log, refuse, accept } = guardWithBrakes();
  accept('10.0.0.1:2');
  for (let i = 0; i < 5; i++) refuse('10.0.0.1:2');
  assert.deepEqual(log, [], 'a call of it was accepted within the window');
  clock.now += 60_000;
  for (let i = 0; i < 3; i++) refuse('10.0.0.1:2');
  assert.deepEqual(log, ['brake 10.0.0.1:2 1/s'], 'nothing accepted for a minute: braked');
});

test('an accepted call releases a braked connection; other connections of the IP are left alone', () => {
  const { log, refuse, accept } = guardWithBrakes();
  for (let i = 0; i < 3; i++) refuse('10.0.0.1:3');
  accept('10.0.0.1:4');
  accept('10.0.0.1:3');
  accept('10.0.0.1:3');
  assert.deepEqual(log, ['brake 10.0.0.1:3 1/s', 'release 10.0.0.1:3']);
});

test('a new connection from an IP paced now is braked from its first call, and released by an accepted one', () => {
  const { guard, log, refuse, accept } = guardWithBrakes();
  assert.equal(guard.brakeAtConnect('10.0.0.1:5'), undefined, 'the IP has not failed yet');
  for (let i = 0; i < 3; i++) refuse('10.0.0.1:1');
  assert.deepEqual(guard.brakeAtConnect('10.0.0.1:6'), { callsPerSecond: 1 });
  assert.equal(guard.brakeAtConnect('10.0.0.2:1'), undefined, 'another IP');
  accept('10.0.0.1:6');
  assert.deepEqual(log, ['brake 10.0.0.1:1 1/s', 'release 10.0.0.1:6']);
});

test('a new connection from an IP with a connection braked in the last minute is braked, even within its free failures', () => {
  const { guard, clock, refuse } = guardWithBrakes();
  for (let i = 0; i < 3; i++) refuse('10.0.0.1:1');
  clock.now += WINDOW_MS; // the IP's window lapses: braked, its connection brings a refusal now and then
  refuse('10.0.0.1:1');
  assert.deepEqual(guard.brakeAtConnect('10.0.0.1:7'), { callsPerSecond: 1 }, "the flooder's next connection");
  clock.now += 60_000;
  assert.equal(guard.brakeAtConnect('10.0.0.1:8'), undefined, 'a minute without a braked refusal: forgotten');
});

test('with pacing or braking off (their rates 0) no connection is braked', () => {
  for (const [pacing, braking] of [
    [0, 1],
    [5, 0],
  ] as const) {
    const { guard, log, refuse } = guardWithBrakes(pacing, braking);
    for (let i = 0; i < 10; i++) refuse('10.0.0.1:1');
    assert.equal(guard.brakeAtConnect('10.0.0.1:2'), undefined);
    assert.deepEqual(log, []);
  }
});
