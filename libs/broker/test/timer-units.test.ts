/**
 * schedule/: delayed messages through SendHandler, TimerIndex (a dispatch extension of the
 * in-memory store) and TimerService on the harness clock. TimerService sleeps on real timers
 * (capped at the time to the next due message), so a test that wants it to look again while the
 * clock stands still puts the clock a few ms before the due time; every assertion waits for an
 * observed event, and lateness is exact because the clock only moves when the test moves it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TIMER_TOPIC, decodeProperties, messageTypeOfFlag } from '../src/message';
import { TIMER_NS, decodeTimerKey } from '../src/schedule/timer-index';
import { type Harness, addTopic, createHarness, queueRecords, runTimerUntilMoved, sendMessages, timerService, topicRecords, waitFor } from './broker-harness';

/** Counts the service's looks for due messages (each reads the index up to "now"). */
function countDueLooks(h: Harness): { count: number } {
  const looks = { count: 0 };
  const list = h.store.metadata.list.bind(h.store.metadata);
  h.store.metadata.list = (namespace, opts) => {
    if (namespace === TIMER_NS && opts?.to !== undefined) looks.count++;
    return list(namespace, opts);
  };
  return looks;
}

/** A harness with the timer index loaded (so it counts) and a two-queue topic 'Delayed'. */
async function delayedHarness(): Promise<Harness> {
  const h = createHarness();
  await h.indexes.timer.load(h.store.metadata);
  await addTopic(h, 'Delayed', 2);
  return h;
}

/** SendHandler refuses delivery times beyond a day from the wall clock, so due times start from it. */
const dueFromNow = (ms: number) => Date.now() + ms;

test('a DELAY message is stored in the timer topic and indexed by due time, not in its topic', async () => {
  const h = await delayedHarness();
  const dueMs = dueFromNow(60_000);
  await sendMessages(h, [{ topic: 'Delayed', id: 'D1', type: 'DELAY', deliveryMs: dueMs }]);
  const held = await queueRecords(h.store, TIMER_TOPIC);
  assert.deepEqual(
    held.map((r) => [r.messageId, decodeProperties(r.properties).system.realTopic]),
    [['D1', 'Delayed']],
  );
  assert.deepEqual(await topicRecords(h.store, 'Delayed', 2), []);
  const entries = (await h.store.metadata.list(TIMER_NS)).map((e) => decodeTimerKey(e.key));
  assert.deepEqual(entries, [{ dueMs, logOffset: held[0]?.physicalOffset }]);
  assert.equal(h.indexes.timer.pending(), 1);
});

test('a delayed message is not moved before its delivery time, and is moved once the clock passes it', async () => {
  const h = await delayedHarness();
  const dueMs = dueFromNow(60_000);
  await sendMessages(h, [{ topic: 'Delayed', id: 'D1', type: 'DELAY', deliveryMs: dueMs, tag: 'later', keys: ['k1'], userProperties: { a: '1' } }]);
  const [timerRecord] = await queueRecords(h.store, TIMER_TOPIC);
  h.clock.set(dueMs - 10);
  const looks = countDueLooks(h);
  const { service, seen } = timerService(h);
  service.start();
  try {
    await waitFor(() => looks.count >= 3, 'three looks at the index before the due time');
    assert.deepEqual(seen.moved, [], 'not moved 10 ms before its time');
    assert.deepEqual(await topicRecords(h.store, 'Delayed', 2), []);
    h.clock.set(dueMs + 250);
    await waitFor(() => seen.moved.length > 0 || seen.errors.length > 0, 'the move');
  } finally {
    service.stop();
  }
  assert.deepEqual(seen, { moved: [{ topic: 'Delayed', latenessMs: 250 }], dropped: [], errors: [] }, 'the observer reports the lateness');
  const moved = await topicRecords(h.store, 'Delayed', 2);
  const view = moved.map((r) => {
    const p = decodeProperties(r.properties);
    const { deliveryTimestampMs: due, realTopic, originOffset: origin } = p.system;
    return { id: r.messageId, tag: r.tag, keys: r.keys, type: messageTypeOfFlag(r.sysFlag), due, realTopic, origin, user: p.user };
  });
  assert.deepEqual(view, [
    {
      id: 'D1',
      tag: 'later',
      keys: ['k1'],
      type: 'DELAY',
      due: String(dueMs),
      realTopic: undefined,
      origin: String(timerRecord?.physicalOffset),
      user: { a: '1' },
    },
  ]);
  assert.equal(h.indexes.timer.pending(), 0);
  assert.deepEqual(await h.store.metadata.list(TIMER_NS), [], "the copy's dispatch removed the index entry");
});

test('a message already late when the service starts is moved on its first look, with its lateness', async () => {
  const h = await delayedHarness();
  const dueMs = dueFromNow(60_000);
  await sendMessages(h, [{ topic: 'Delayed', id: 'LATE', type: 'DELAY', deliveryMs: dueMs }]);
  h.clock.set(dueMs + 5_000); // e.g. the broker was down when it came due
  const looks = countDueLooks(h);
  const seen = await runTimerUntilMoved(h, 1);
  assert.equal(looks.count, 1, 'moved at once');
  assert.deepEqual(seen.moved, [{ topic: 'Delayed', latenessMs: 5_000 }]);
  assert.deepEqual(
    (await topicRecords(h.store, 'Delayed', 2)).map((r) => r.messageId),
    ['LATE'],
  );
});

test('due messages are moved in due-time order, not send order', async () => {
  const h = createHarness();
  await addTopic(h, 'Delayed', 1);
  const base = dueFromNow(60_000);
  await sendMessages(
    h,
    [3, 1, 2].map((n) => ({ topic: 'Delayed', id: `D${n}`, type: 'DELAY' as const, deliveryMs: base + n * 1_000 })),
  );
  h.clock.set(base + 5_000);
  const seen = await runTimerUntilMoved(h, 3);
  assert.deepEqual(
    (await queueRecords(h.store, 'Delayed')).map((r) => r.messageId),
    ['D1', 'D2', 'D3'],
  );
  assert.deepEqual(
    seen.moved.map((m) => m.latenessMs),
    [4_000, 3_000, 2_000],
  );
});

test('a delayed message whose topic was deleted meanwhile is dropped and leaves the index', async () => {
  const h = await delayedHarness();
  const dueMs = dueFromNow(60_000);
  await sendMessages(h, [{ topic: 'Delayed', id: 'D1', type: 'DELAY', deliveryMs: dueMs }]);
  await h.topics.delete('Delayed');
  h.clock.set(dueMs);
  const { service, seen } = timerService(h);
  service.start();
  try {
    await waitFor(() => seen.dropped.length > 0 || seen.errors.length > 0, 'the drop');
  } finally {
    service.stop();
  }
  assert.deepEqual(seen, { moved: [], dropped: [{ reason: 'topic-deleted', topic: 'Delayed', messageId: 'D1' }], errors: [] });
  assert.deepEqual(await h.store.metadata.list(TIMER_NS), []);
  assert.equal(h.indexes.timer.pending(), 0);
});
