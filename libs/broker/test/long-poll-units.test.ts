/**
 * consume/long-poll.ts: LongPollHub.poll, the loop receive and pull park in. The hub runs on real
 * timers, so these tests wait for conditions (a parked waiter, a settled promise), never for time.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LongPollHub } from '../src/consume';
import { rejectionCode, waitFor } from './broker-harness';
import { MemoryStore } from './memory-store';

const never = () => false;
/** A poll end no test reaches: a poll that fails to wake shows up as a test timeout. */
const FAR_MS = 60_000;

test('poll returns at once when a message arrived while it was looking (it does not park)', { timeout: 10_000 }, async () => {
  const hub = new LongPollHub(4);
  let looks = 0;
  const got = await hub.poll('T', { pollEndMs: Date.now() + FAR_MS, isCancelled: never }, async () => {
    looks++;
    if (looks === 1) {
      hub.notify('T'); // dispatch finished while the first look was reading the queues
      return undefined;
    }
    return 'message';
  });
  assert.equal(got, 'message');
  assert.equal(looks, 2, 'looked again instead of sleeping through the arrival');
  assert.equal(hub.parked, 0);
});

test('poll parks when nothing is there and wakes on notify of its topic only', { timeout: 10_000 }, async () => {
  const hub = new LongPollHub(4);
  let available = false;
  let looks = 0;
  const polling = hub.poll('T', { pollEndMs: Date.now() + FAR_MS, isCancelled: never }, async () => {
    looks++;
    return available ? 'message' : undefined;
  });
  await waitFor(() => hub.parked === 1, 'the poll to park');
  hub.notify('OtherTopic');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual([hub.parked, looks], [1, 1], 'another topic does not wake it');
  available = true;
  hub.notify('T');
  assert.equal(await polling, 'message');
  assert.deepEqual([hub.parked, looks], [0, 2]);
});

test("poll wakes on the store's arrived event once the hub listens to the store", { timeout: 10_000 }, async () => {
  const hub = new LongPollHub(4);
  const store = new MemoryStore();
  const stop = hub.listen(store.events);
  const polling = hub.poll('T', { pollEndMs: Date.now() + FAR_MS, isCancelled: never }, async () => {
    const read = await store.readQueue('T', 0, 0, 8);
    return read.entries.length > 0 ? read.entries.map((e) => e.queueOffset) : undefined;
  });
  await waitFor(() => hub.parked === 1, 'the poll to park');
  await store.appendBatch([{ topic: 'T', queueId: 0, bornTimestampMs: 1, messageId: 'm', body: Buffer.from('x') }]);
  assert.deepEqual(await polling, [0]);
  stop();
  await store.appendBatch([{ topic: 'T', queueId: 0, bornTimestampMs: 1, messageId: 'm2', body: Buffer.from('x') }]);
  assert.equal(hub.arrivalsOf('T'), 1, 'no longer listening');
});

test('poll respects pollEndMs: undefined once it passes, without a look when it already has', async () => {
  const hub = new LongPollHub(4);
  let looks = 0;
  const nothing = async () => {
    looks++;
    return undefined;
  };
  assert.equal(await hub.poll('T', { pollEndMs: Date.now() - 1, isCancelled: never }, nothing), undefined);
  assert.equal(looks, 1, 'one look, then no parking: the poll already ended');
  assert.equal(await hub.poll('T', { pollEndMs: Date.now() + 20, isCancelled: never }, nothing), undefined);
  assert.ok(looks >= 2, 'looked, parked, timed out');
  assert.equal(hub.parked, 0);
});

test('poll parks until the next in-flight expiry when that comes before the poll end', { timeout: 10_000 }, async () => {
  const hub = new LongPollHub(4);
  let looks = 0;
  const got = await hub.poll('T', { pollEndMs: Date.now() + FAR_MS, isCancelled: never, nextWakeAtMs: () => Date.now() + 5 }, async () => {
    looks++;
    return looks === 2 ? 'redelivery' : undefined;
  });
  assert.deepEqual([got, looks], ['redelivery', 2], 'woken by the expiry, not by the far poll end');
});

test('poll ends when its call is cancelled while parked', { timeout: 10_000 }, async () => {
  const hub = new LongPollHub(4);
  const onCancelled: (() => void)[] = [];
  let cancelled = false;
  const polling = hub.poll(
    'T',
    { pollEndMs: Date.now() + FAR_MS, isCancelled: () => cancelled, onCancel: (cb) => onCancelled.push(cb) },
    async () => undefined,
  );
  await waitFor(() => hub.parked === 1, 'the poll to park');
  cancelled = true;
  for (const cb of onCancelled) cb();
  assert.equal(await polling, undefined);
  assert.equal(hub.parked, 0);
});

test('past maxWaiters a poll that would park is refused with TOO_MANY_REQUESTS; freed slots are reused', { timeout: 10_000 }, async () => {
  const hub = new LongPollHub(2);
  const park = () => hub.poll('T', { pollEndMs: Date.now() + FAR_MS, isCancelled: never }, async () => undefined);
  const first = park();
  const second = park();
  await waitFor(() => hub.parked === 2, 'two polls to park');
  assert.equal(await rejectionCode(park()), 'TOO_MANY_REQUESTS');
  let found = false;
  assert.equal(
    await hub.poll('T', { pollEndMs: Date.now() + FAR_MS, isCancelled: never }, async () => (found = true)),
    true,
    'a poll that finds something never parks',
  );
  assert.ok(found);
  hub.wakeAll(); // shutdown: every parked poll answers "nothing"
  assert.deepEqual(await Promise.all([first, second]), [undefined, undefined]);
  assert.equal(hub.parked, 0);
  const third = park();
  await waitFor(() => hub.parked === 1, 'a new poll to park in a freed slot');
  hub.wakeAll();
  assert.equal(await third, undefined);
});

test('a pull parked on one queue wakes for its queue and for topic-wide notifications, not for other queues', { timeout: 10_000 }, async () => {
  const hub = new LongPollHub(8);
  let looks = 0;
  let available = false;
  const attempt = async () => {
    looks++;
    return available ? 'message' : undefined;
  };
  const polling = hub.poll('T', { queueId: 3, pollEndMs: Date.now() + FAR_MS, isCancelled: never }, attempt);
  await waitFor(() => hub.parked === 1, 'the pull to park');
  hub.notify('T', 'arrived', 5);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual([hub.parked, looks], [1, 1], 'an arrival in queue 5 does not wake the pull of queue 3');
  available = true;
  hub.notify('T', 'arrived', 3);
  assert.equal(await polling, 'message');

  // A receive (no queue) wakes on any queue's arrival; a topic-wide notify wakes queue pulls too.
  looks = 0;
  available = false;
  const receive = hub.poll('T', { pollEndMs: Date.now() + FAR_MS, isCancelled: never }, attempt);
  const pull = hub.poll('T', { queueId: 1, pollEndMs: Date.now() + FAR_MS, isCancelled: never }, attempt);
  await waitFor(() => hub.parked === 2, 'both to park');
  available = true;
  hub.notify('T', 'arrived', 6);
  assert.equal(await receive, 'message');
  assert.equal(hub.parked, 1, 'the pull of queue 1 still waits');
  hub.notify('T', 'expiry');
  assert.equal(await pull, 'message');
  assert.equal(hub.parked, 0);
});

test('a pull that looked while its queue got an arrival does not park; another queue does not count', async () => {
  const hub = new LongPollHub(4);
  const seen = hub.arrivalsOf('T', 2);
  hub.notify('T', 'arrived', 4);
  assert.equal(hub.arrivalsOf('T', 2), seen, "queue 4's arrival is not queue 2's");
  assert.equal(await hub.wait('T', 10, undefined, seen, undefined, 2), 'timeout');
  hub.notify('T', 'arrived', 2);
  assert.equal(await hub.wait('T', 10_000, undefined, seen, undefined, 2), 'arrived');
});
