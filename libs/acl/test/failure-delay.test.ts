import { mock, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OrbitError } from '@orbitmq/protocol';
import {
  FAILURE_DELAY_ANSWERS_PER_TURN,
  FAILURE_DELAY_DEADLINE_SHARE,
  FAILURE_DELAY_MAX_TRACKED_ADDRESSES,
  FAILURE_DELAY_MAX_WAIT_MS,
  FailureDelay,
  createAclGuard,
  parsePlainAcl,
} from '../src';

const options = { windowMs: 10_000, freeFailures: 3, refusalsPerSecond: 1, maxHeld: 5 };

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A FailureDelay on a clock the test moves, with setTimeout mocked to the same clock. */
function setup(over: Partial<typeof options> = {}) {
  let now = 1_000_000;
  mock.timers.enable({ apis: ['setTimeout'] });
  const delay = new FailureDelay({ ...options, ...over, nowMs: () => now });
  const answered: string[] = [];
  /** `leftMs`: the caller's deadline, that far from now (none when absent). */
  const refuse = (ip: string, label: string, leftMs?: number) => delay.refuse(ip, () => answered.push(label), leftMs === undefined ? undefined : now + leftMs);
  /** Moves the clock, then lets the due refusals be answered (real immediates: FAILURE_DELAY_ANSWERS_PER_TURN a turn). */
  const advance = async (ms: number) => {
    now += ms;
    mock.timers.tick(ms);
    for (let turn = 0; turn < 20; turn++) await nextTurn();
  };
  return { delay, answered, refuse, advance };
}

test('past the free failures an IP waits for its refusals; other IPs and a new window do not', async (t) => {
  t.after(() => mock.timers.reset());
  const { delay, answered, refuse, advance } = setup();
  for (let i = 0; i < 3; i++) refuse('10.0.0.1', `free${i}`);
  assert.deepEqual(answered, ['free0', 'free1', 'free2']);
  refuse('10.0.0.1', 'held');
  refuse('10.0.0.2', 'other-ip');
  assert.deepEqual(answered.slice(3), ['other-ip']);
  assert.deepEqual(delay.stats(), { delayedTotal: 1, held: 1, withdrawnTotal: 0, trackedAddresses: 2 });
  await advance(999);
  assert.equal(answered.includes('held'), false);
  await advance(1);
  assert.equal(answered.at(-1), 'held');
  assert.equal(delay.stats().held, 0);
  await advance(10_000); // a new window: free again
  refuse('10.0.0.1', 'new-window');
  assert.equal(answered.at(-1), 'new-window');
});

test('held refusals of one IP are answered at the paced rate however many are in flight', async (t) => {
  t.after(() => mock.timers.reset());
  const { answered, refuse, advance } = setup({ freeFailures: 0, refusalsPerSecond: 2, maxHeld: 100 });
  for (let i = 0; i < 6; i++) refuse('10.0.0.1', `r${i}`);
  assert.deepEqual(answered, []);
  await advance(500);
  assert.deepEqual(answered, ['r0']);
  await advance(1_000);
  assert.deepEqual(answered, ['r0', 'r1', 'r2']);
  await advance(1_500);
  assert.equal(answered.length, 6);
});

test('held refusals are bounded in number and in wait; past the bound they are answered at once', async (t) => {
  t.after(() => mock.timers.reset());
  const { delay, answered, refuse, advance } = setup({ freeFailures: 0, maxHeld: 2 });
  refuse('10.0.0.1', 'a');
  refuse('10.0.0.1', 'b');
  refuse('10.0.0.1', 'c');
  assert.deepEqual(answered, ['c']);
  assert.equal(delay.stats().held, 2);
  await advance(2_000);
  assert.deepEqual(answered, ['c', 'a', 'b']);
  mock.timers.reset();
  const deep = setup({ freeFailures: 0, refusalsPerSecond: 1, maxHeld: 1_000 });
  for (let i = 0; i < 100; i++) deep.refuse('10.0.0.1', `d${i}`);
  await deep.advance(FAILURE_DELAY_MAX_WAIT_MS);
  assert.equal(deep.answered.length, 100);
});

test('a withdrawn refusal is never answered and frees its place, so refusals nobody waits for cannot fill maxHeld', async (t) => {
  t.after(() => mock.timers.reset());
  const { delay, answered, refuse, advance } = setup({ freeFailures: 0, maxHeld: 2 });
  const first = refuse('10.0.0.1', 'a');
  refuse('10.0.0.1', 'b');
  first(); // its caller went away
  first(); // twice: no effect
  assert.deepEqual(delay.stats(), { delayedTotal: 2, held: 1, withdrawnTotal: 1, trackedAddresses: 1 });
  refuse('10.0.0.1', 'c'); // held, not answered at once: the place was freed
  assert.deepEqual(answered, []);
  await advance(3_000);
  assert.deepEqual(answered, ['b', 'c'], 'the withdrawn one never is');
  const late = refuse('10.0.0.2', 'd');
  await advance(1_000);
  late(); // already answered: withdrawing it does nothing
  assert.deepEqual(answered.at(-1), 'd');
  assert.deepEqual(delay.stats(), { delayedTotal: 4, held: 0, withdrawnTotal: 1, trackedAddresses: 2 });
});

test('a held refusal is answered before the deadline of its caller, when the same share of its time has passed for all', async (t) => {
  t.after(() => mock.timers.reset());
  // One refusal per 10 s: without deadlines these would wait 10 s, 20 s and 30 s.
  const { answered, refuse, advance } = setup({ freeFailures: 0, refusalsPerSecond: 0.1, maxHeld: 100 });
  refuse('10.0.0.1', 'short', 2_000);
  refuse('10.0.0.1', 'long', 4_000);
  refuse('10.0.0.1', 'no-deadline'); // its turn, 30 s
  refuse('10.0.0.1', 'past', -5); // its caller has given up already: answered now, never held
  assert.deepEqual(answered, ['past']);
  const at = (leftMs: number) => Math.floor(leftMs * FAILURE_DELAY_DEADLINE_SHARE);
  await advance(at(2_000) - 1);
  assert.deepEqual(answered, ['past']);
  await advance(1);
  assert.deepEqual(answered, ['past', 'short']);
  await advance(at(4_000) - at(2_000) - 1);
  assert.equal(answered.length, 2);
  await advance(1);
  assert.deepEqual(answered, ['past', 'short', 'long'], 'each before its deadline');
  await advance(30_000 - at(4_000) - 1);
  assert.equal(answered.length, 3);
  await advance(1);
  assert.equal(answered.at(-1), 'no-deadline');
  assert.ok(FAILURE_DELAY_DEADLINE_SHARE > 0.5 && FAILURE_DELAY_DEADLINE_SHARE < 1);
});

test('refusals that fall due together are answered FAILURE_DELAY_ANSWERS_PER_TURN per event-loop turn; one withdrawn while due is not', async (t) => {
  t.after(() => mock.timers.reset());
  const { delay, answered, refuse } = setup({ freeFailures: 0, refusalsPerSecond: 0.1, maxHeld: 100 });
  const n = FAILURE_DELAY_ANSWERS_PER_TURN * 2 + 3;
  const withdraws = Array.from({ length: n }, (_, i) => refuse('10.0.0.1', `r${i}`, 1_000));
  mock.timers.tick(900); // all fall due in this tick, none answered inside it
  assert.equal(answered.length, 0);
  withdraws[0]?.(); // its caller went away while it waited for its turn to be answered
  await nextTurn();
  assert.deepEqual(
    answered,
    Array.from({ length: FAILURE_DELAY_ANSWERS_PER_TURN }, (_, i) => `r${i + 1}`),
  );
  await nextTurn();
  assert.equal(answered.length, FAILURE_DELAY_ANSWERS_PER_TURN * 2);
  await nextTurn();
  assert.equal(answered.length, n - 1);
  assert.deepEqual(delay.stats(), { delayedTotal: n, held: 0, withdrawnTotal: 1, trackedAddresses: 1 });
});

test('refusalsPerSecond 0 answers every refusal at once; tracked addresses stay bounded', async (t) => {
  t.after(() => mock.timers.reset());
  const off = setup({ refusalsPerSecond: 0, freeFailures: 0 });
  off.refuse('10.0.0.1', 'x');
  assert.deepEqual(off.answered, ['x']);
  mock.timers.reset();
  const on = setup({ freeFailures: 1_000 });
  for (let i = 0; i < FAILURE_DELAY_MAX_TRACKED_ADDRESSES + 50; i++) on.refuse(`ip${i}`, 'n');
  assert.equal(on.delay.stats().trackedAddresses, FAILURE_DELAY_MAX_TRACKED_ADDRESSES);
});

test('the guard holds only UNAUTHORIZED refusals: FORBIDDEN comes from a valid account', async (t) => {
  t.after(() => mock.timers.reset());
  mock.timers.enable({ apis: ['setTimeout'] });
  const acl = parsePlainAcl('accounts:\n  - accessKey: RocketMQ\n    secretKey: "12345678"\n');
  const guard = createAclGuard(acl, { maxClockSkewMs: 300_000, failureDelay: { ...options, freeFailures: 0 } });
  const answered: string[] = [];
  guard.answerRefusal(new OrbitError('FORBIDDEN', 'no PUB'), 'ipv4:127.0.0.1:5000', () => answered.push('forbidden'));
  guard.answerRefusal(new OrbitError('UNAUTHORIZED', 'bad signature'), 'ipv4:127.0.0.1:5001', () => answered.push('unauthorized'));
  assert.deepEqual(answered, ['forbidden']);
  assert.equal(guard.stats().held, 1);
  mock.timers.tick(1_000);
  await nextTurn();
  assert.deepEqual(answered, ['forbidden', 'unauthorized']);
});
