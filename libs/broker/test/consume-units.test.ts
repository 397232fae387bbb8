/**
 * consume/ (receive/ack): PopService, AckHandler, DeadLetterQueue and ReceiveHandler over the
 * in-memory store, with time driven by the harness clock.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { v2 } from '@orbitmq/protocol';
import { AckHandler, LongPollHub, ReceiveHandler } from '../src/consume';
import { DEAD_LETTER_RETRY_MS } from '../src/consume/pop-service';
import { decodeReceiptHandle } from '../src/consume/receipt-handle';
import { duration } from '../src/message';
import { BROKER_LIMITS } from '../src/settings';
import { codeNameOf } from '../src/status';
import { TransactionService } from '../src/transaction';
import {
  DEFAULT_INVISIBLE_MS,
  type Harness,
  STORE_HOST,
  addGroup,
  addTopic,
  createHarness,
  idsOf,
  queueRecords,
  receive,
  rejectionCode,
  runTimerUntilMoved,
  sendMessages,
  testFilters,
} from './broker-harness';

const resource = (name: string) => ({ name, resourceNamespace: '' });

function attemptsOf(popped: Awaited<ReturnType<typeof receive>>): [string, number][] {
  return popped.map((p) => [p.record.messageId, p.entry.attempt]);
}

function handleOf(popped: Awaited<ReturnType<typeof receive>>, id: string) {
  const p = popped.find((x) => x.record.messageId === id);
  if (!p) throw new Error(`${id} was not delivered`);
  return decodeReceiptHandle(p.receiptHandle);
}

test('FIFO hold: the next message of a message group waits for the ack of the one before; other groups do not', async () => {
  const h = createHarness();
  await addTopic(h, 'Orders', 1, 'FIFO');
  await addGroup(h, 'fifo-g', { ordering: 'ordered' });
  const fifo = (id: string, messageGroup: string) => ({ topic: 'Orders', id, type: 'FIFO' as const, messageGroup });
  await sendMessages(h, [fifo('A1', 'A'), fifo('A2', 'A'), fifo('B1', 'B'), fifo('B2', 'B')]);

  const first = await receive(h, 'fifo-g', 'Orders');
  assert.deepEqual(idsOf(first), ['A1', 'B1'], 'one message per message group');
  assert.deepEqual(idsOf(await receive(h, 'fifo-g', 'Orders')), [], 'A2 and B2 are held');
  assert.equal(await h.pop.ack('fifo-g', 'Orders', handleOf(first, 'B1')), true, 'the ack releases B2');
  const b2 = await receive(h, 'fifo-g', 'Orders');
  assert.deepEqual(idsOf(b2), ['B2'], 'group B moves on while A1 is still in flight');
  assert.equal(await h.pop.ack('fifo-g', 'Orders', handleOf(b2, 'B2')), false, 'nothing of group B is held any more');

  h.clock.advance(DEFAULT_INVISIBLE_MS);
  const retried = await receive(h, 'fifo-g', 'Orders');
  assert.deepEqual(attemptsOf(retried), [['A1', 2]], 'an expired A1 comes back itself; A2 still waits');
  assert.deepEqual(idsOf(await receive(h, 'fifo-g', 'Orders')), []);
  assert.equal(await h.pop.ack('fifo-g', 'Orders', handleOf(retried, 'A1')), true);
  assert.deepEqual(attemptsOf(await receive(h, 'fifo-g', 'Orders')), [['A2', 1]]);
});

test('FIFO messages are not held for an unordered group', async () => {
  const h = createHarness();
  await addTopic(h, 'Orders', 1, 'FIFO');
  await addGroup(h, 'any-g', { ordering: 'unordered' });
  await sendMessages(
    h,
    ['A1', 'A2', 'A3'].map((id) => ({ topic: 'Orders', id, type: 'FIFO' as const, messageGroup: 'A' })),
  );
  assert.deepEqual(idsOf(await receive(h, 'any-g', 'Orders')), ['A1', 'A2', 'A3']);
});

/** Delivers P1 `attempts` times, letting each delivery expire; returns the last delivery. */
async function deliverUntilAttempt(h: Harness, group: string, topic: string, attempts: number) {
  const first = await receive(h, group, topic);
  assert.deepEqual(attemptsOf(first), [
    ['P1', 1],
    ['P2', 1],
  ]);
  assert.equal(await h.pop.ack(group, topic, handleOf(first, 'P2')), false, 'P2 is consumed normally');
  let last = first[0];
  for (let attempt = 2; attempt <= attempts; attempt++) {
    h.clock.advance(DEFAULT_INVISIBLE_MS);
    const got = await receive(h, group, topic);
    assert.deepEqual(attemptsOf(got), [['P1', attempt]]);
    last = got[0];
  }
  return last as NonNullable<typeof last>;
}

test('dead letter: after maxDeliveryAttempts expiries the message goes to %DLQ%<group> and is not delivered again', async () => {
  const h = createHarness();
  await addTopic(h, 'Pay', 1);
  await addGroup(h, 'pay-g', { maxDeliveryAttempts: 3 });
  await sendMessages(h, [
    { topic: 'Pay', id: 'P1', tag: 'card', keys: ['order-7'], body: 'charge 10' },
    { topic: 'Pay', id: 'P2' },
  ]);
  const last = await deliverUntilAttempt(h, 'pay-g', 'Pay', 3);
  h.clock.advance(DEFAULT_INVISIBLE_MS - 1);
  assert.deepEqual(await receive(h, 'pay-g', 'Pay'), [], '1 ms before the third expiry it is still invisible');
  assert.deepEqual(h.deadLettered, []);
  h.clock.advance(1);
  assert.deepEqual(await receive(h, 'pay-g', 'Pay'), [], 'no fourth delivery');
  assert.deepEqual(h.deadLettered, [{ group: 'pay-g', topic: 'Pay', messageId: 'P1', attempts: 3 }]);

  assert.equal(h.topics.get('%DLQ%pay-g')?.readQueueNums, 1, 'the DLQ topic is created on first use');
  const dlq = await queueRecords(h.store, '%DLQ%pay-g');
  assert.deepEqual(
    dlq.map((r) => ({ id: r.messageId, topic: r.topic, reconsumeTimes: r.reconsumeTimes, tag: r.tag, keys: r.keys, body: r.body.toString() })),
    [{ id: 'P1', topic: '%DLQ%pay-g', reconsumeTimes: 3, tag: 'card', keys: ['order-7'], body: 'charge 10' }],
  );
  assert.equal(await rejectionCode(h.pop.ack('pay-g', 'Pay', decodeReceiptHandle(last.receiptHandle))), 'INVALID_RECEIPT_HANDLE');
  h.clock.advance(100 * DEFAULT_INVISIBLE_MS);
  assert.deepEqual(await receive(h, 'pay-g', 'Pay'), [], 'never delivered again');
  assert.equal(await h.store.getConsumerOffset('pay-g', 'Pay', 0), 2, 'the group has consumed past both');
  await addGroup(h, 'dlq-reader');
  assert.deepEqual(idsOf(await receive(h, 'dlq-reader', '%DLQ%pay-g')), ['P1'], 'the DLQ is an ordinary topic');
});

test("dead letter: the group's offset moves past a dead-lettered message once nothing before it is in flight", async () => {
  const h = createHarness();
  await addTopic(h, 'Pay', 1);
  await addGroup(h, 'pay-g', { maxDeliveryAttempts: 1 });
  await sendMessages(h, [{ topic: 'Pay', id: 'P1' }]);
  assert.deepEqual(idsOf(await receive(h, 'pay-g', 'Pay')), ['P1']);
  assert.equal(await h.store.getConsumerOffset('pay-g', 'Pay', 0), 0, 'in flight: not consumed (the claim starts at it)');
  h.clock.advance(DEFAULT_INVISIBLE_MS);
  assert.deepEqual(await receive(h, 'pay-g', 'Pay'), []);
  assert.equal(await h.store.getConsumerOffset('pay-g', 'Pay', 0), 1);
  assert.deepEqual(h.pop.progress('pay-g'), [{ topic: 'Pay', queueId: 0, consumedOffset: 1, inflight: 0 }]);
});

function changeRequest(group: string, topic: string, receiptHandle: string, ms: number): v2.ChangeInvisibleDurationRequest__Output {
  return { group: resource(group), topic: resource(topic), receiptHandle, invisibleDuration: duration(ms) as never, messageId: '' };
}

function ackRequest(group: string, topic: string, receiptHandle: string): v2.AckMessageRequest__Output {
  return { group: resource(group), topic: resource(topic), entries: [{ messageId: '', receiptHandle }] };
}

test('changeInvisible: a longer time keeps the message hidden, 0 makes it deliverable at once; only the newest handle works', async () => {
  const h = createHarness();
  const hub = new LongPollHub(4);
  const acks = new AckHandler(h.pop, hub, 12 * 3_600_000);
  await addTopic(h, 'Work', 1);
  await addGroup(h, 'work-g');
  await sendMessages(h, [{ topic: 'Work', id: 'W1' }]);
  const change = async (handle: string, ms: number) => acks.changeInvisible(changeRequest('work-g', 'Work', handle, ms));
  const ack = async (handle: string) => codeNameOf((await acks.ack(ackRequest('work-g', 'Work', handle))).status);
  const [first] = await receive(h, 'work-g', 'Work');
  const original = (first as NonNullable<typeof first>).receiptHandle;

  const longer = await change(original, 120_000);
  assert.equal(codeNameOf(longer.status), 'OK');
  assert.notEqual(longer.receiptHandle, original);
  h.clock.advance(DEFAULT_INVISIBLE_MS);
  assert.deepEqual(await receive(h, 'work-g', 'Work'), [], 'the original 30 s no longer apply');
  assert.equal(codeNameOf((await change(original, 0)).status), 'INVALID_RECEIPT_HANDLE', 'the old handle is superseded');
  assert.equal(await ack(original), 'INVALID_RECEIPT_HANDLE');
  h.clock.advance(120_000 - DEFAULT_INVISIBLE_MS - 1);
  assert.deepEqual(await receive(h, 'work-g', 'Work'), [], 'hidden until 120 s after the change');

  const wakeUps = hub.arrivalsOf('Work');
  const now = await change(longer.receiptHandle ?? '', 0);
  assert.equal(codeNameOf(now.status), 'OK', 'the new handle works');
  assert.equal(hub.arrivalsOf('Work'), wakeUps + 1, 'parked receives of the topic are woken');
  const again = await receive(h, 'work-g', 'Work');
  assert.deepEqual(attemptsOf(again), [['W1', 2]], 'deliverable at once, as the next attempt');
  assert.equal(await ack(now.receiptHandle ?? ''), 'INVALID_RECEIPT_HANDLE', 'the redelivery superseded it');
  assert.equal(await ack((again[0] as NonNullable<(typeof again)[0]>).receiptHandle), 'OK');
  assert.deepEqual(await receive(h, 'work-g', 'Work'), []);
  assert.equal(codeNameOf((await change(original, -1)).status), 'ILLEGAL_INVISIBLE_TIME');
});

test("retry back-off: a PushConsumer nack hides the message for the group's back-off of that attempt", async () => {
  const h = createHarness();
  await addTopic(h, 'Push', 1);
  await addGroup(h, 'push-g', { retryBackoffMs: [5_000, 20_000], maxDeliveryAttempts: 10 });
  await sendMessages(h, [{ topic: 'Push', id: 'N1' }]);
  const pushReceive = () => receive(h, 'push-g', 'Push', { invisibleMs: 60_000, autoRenewClientId: 'push-client-1' });
  let [delivery] = await pushReceive();
  // [attempt that failed, invisible time the client asked for, what applies]: max(asked, ladder[attempt - 1])
  const steps: [number, number, number][] = [
    [1, 0, 5_000],
    [2, 100, 20_000],
    [3, 25_000, 25_000],
  ];
  for (const [attempt, asked, applied] of steps) {
    const d = delivery as NonNullable<typeof delivery>;
    assert.equal(d.entry.attempt, attempt);
    const nackedAt = h.clock.ms;
    const change = await h.pop.changeInvisible('push-g', 'Push', decodeReceiptHandle(d.receiptHandle), asked);
    assert.equal(change.invisibleMs, applied);
    assert.equal(h.pop.earliestExpiry('push-g', 'Push'), nackedAt + applied, 'visible again exactly then');
    h.clock.advance(applied - 1);
    assert.deepEqual(await pushReceive(), [], `attempt ${attempt}: still backing off 1 ms before`);
    h.clock.advance(1);
    [delivery] = await pushReceive();
    assert.equal(delivery?.entry.attempt, attempt + 1);
  }
});

test('retry back-off does not apply to a SimpleConsumer: its own invisible time is its retry delay', async () => {
  const h = createHarness();
  await addTopic(h, 'Push', 1);
  await addGroup(h, 'simple-g', { retryBackoffMs: [5_000] });
  await sendMessages(h, [{ topic: 'Push', id: 'S1' }]);
  const [d] = await receive(h, 'simple-g', 'Push');
  const change = await h.pop.changeInvisible('simple-g', 'Push', decodeReceiptHandle((d as NonNullable<typeof d>).receiptHandle), 0);
  assert.equal(change.invisibleMs, 0);
  assert.deepEqual(attemptsOf(await receive(h, 'simple-g', 'Push')), [['S1', 2]]);
});

// ---------------------------------------------------------------- regressions

// Regression tests for bugs these unit tests found (fixed in src).

// Was: consume/pop-service.ts earliestExpiry counted held FIFO entries (attempt 0, invisibleUntilMs 0): a parked
// receive is told to wake at time 0, so LongPollHub.wait sets a 0 ms timer and ReceiveHandler re-polls in a
// loop (one metadata batch per pop) until the poll ends

test('a receive whose only candidate is a held FIFO message parks until the poll ends instead of re-polling', async () => {
  const h = createHarness();
  await addTopic(h, 'Seq', 1, 'FIFO');
  await addGroup(h, 'seq-g', { ordering: 'ordered' });
  await sendMessages(
    h,
    ['A1', 'A2'].map((id) => ({ topic: 'Seq', id, type: 'FIFO' as const, messageGroup: 'A' })),
  );
  const [a1] = await receive(h, 'seq-g', 'Seq'); // A1 in flight for 30 s, A2 held behind it
  let pops = 0;
  const pop = h.pop.pop.bind(h.pop);
  h.pop.pop = (...args) => {
    pops++;
    return pop(...args);
  };
  const handler = new ReceiveHandler(h.topics, h.groups, h.pop, new LongPollHub(4), { ...BROKER_LIMITS, deadlineMarginMs: 0 }, STORE_HOST, testFilters());
  const frames = await runReceive(handler, { group: resource('seq-g'), topic: 'Seq', longPollMs: 100 });
  assert.equal(codeNameOf(frames[0]?.status), 'MESSAGE_NOT_FOUND');
  const wakeAt = h.pop.earliestExpiry('seq-g', 'Seq');
  assert.ok(pops <= 2, `one look, then parked until the poll ended; looked ${pops} times (earliestExpiry = ${wakeAt})`);
  assert.equal(wakeAt, a1?.entry.invisibleUntilMs, 'the next time anything can change is when A1 expires');
});

/** Runs one ReceiveMessage call through a fake server stream; resolves with the frames written. */
function runReceive(handler: ReceiveHandler, r: { group: v2.Resource__Output; topic: string; longPollMs: number }): Promise<v2.ReceiveMessageResponse[]> {
  return new Promise((resolve) => {
    const frames: v2.ReceiveMessageResponse[] = [];
    const request: v2.ReceiveMessageRequest__Output = {
      group: r.group,
      messageQueue: { topic: resource(r.topic), id: 0, permission: 'READ_WRITE', broker: null, acceptMessageTypes: [] },
      filterExpression: { type: 'TAG', expression: '*' },
      batchSize: 8,
      invisibleDuration: duration(DEFAULT_INVISIBLE_MS) as never,
      autoRenew: false,
      longPollingTimeout: duration(r.longPollMs) as never,
    };
    const call = {
      request,
      metadata: { get: () => [] },
      getDeadline: () => Number.POSITIVE_INFINITY,
      on: () => call,
      write: (f: v2.ReceiveMessageResponse) => frames.push(f) > 0,
      end: () => resolve(frames),
    };
    handler.handle(call as never);
  });
}

// Was: consume/pop-service.ts popQueue dropped dead entries from the in-memory state before DeadLetterQueue.append
// succeeds: if the append fails (disk full, queue full), the message is neither redelivered nor
// dead-lettered, and counts as consumed until the broker restarts

test('a failed dead-letter append does not lose the message: a later receive dead-letters it', async () => {
  const h = createHarness();
  await addTopic(h, 'Flaky', 1);
  await addGroup(h, 'flaky-g', { maxDeliveryAttempts: 1 });
  await sendMessages(h, [{ topic: 'Flaky', id: 'F1' }]);
  assert.deepEqual(idsOf(await receive(h, 'flaky-g', 'Flaky')), ['F1']);
  h.clock.advance(DEFAULT_INVISIBLE_MS);
  const append = h.store.appendBatch.bind(h.store);
  h.store.appendBatch = async (messages) => {
    if (messages.some((m) => m.topic.startsWith('%DLQ%'))) throw Object.assign(new Error('disk is full'), { code: 'DISK_FULL' });
    return append(messages);
  };
  assert.deepEqual(await receive(h, 'flaky-g', 'Flaky'), [], 'the spent delivery is not handed out again');
  assert.deepEqual(h.pop.progress('flaky-g')[0]?.consumedOffset, 0, 'and the consumer offset does not pass it');
  h.store.appendBatch = append; // the disk has room again
  h.clock.advance(DEAD_LETTER_RETRY_MS); // the next dead-letter attempt
  assert.deepEqual(await receive(h, 'flaky-g', 'Flaky'), []);
  const progress = JSON.stringify(h.pop.progress('flaky-g'));
  assert.deepEqual(
    (await queueRecords(h.store, '%DLQ%flaky-g')).map((r) => r.messageId),
    ['F1'],
    `dead-lettered on the next receive (progress now ${progress})`,
  );
});

// Was: consume/dead-letter.ts copied the record's sysFlag as is: a dead-lettered timer copy keeps
// SYSFLAG_TIMER_MOVED and a committed transactional message keeps SYSFLAG_TXN_END, so
// TimerIndex/TransactionIndex count the DLQ copy as another end (pending gauges go negative)

test('dead-lettering a delayed or a committed transactional message leaves the delayed and half-message counts alone', async () => {
  const h = createHarness();
  await h.indexes.timer.load(h.store.metadata);
  await h.indexes.transactions.load(h.store.metadata);
  await addTopic(h, 'Mixed', 1);
  await addGroup(h, 'once-g', { maxDeliveryAttempts: 1 });
  const dueMs = Date.now() + 60_000;
  const sent = await sendMessages(h, [
    { topic: 'Mixed', id: 'D1', type: 'DELAY', deliveryMs: dueMs },
    { topic: 'Mixed', id: 'T1', type: 'TRANSACTION' },
  ]);
  const transactionId = sent.entries?.[1]?.transactionId ?? '';
  await new TransactionService(h.store, h.topics, () => undefined).end({
    topic: resource('Mixed'),
    messageId: 'T1',
    transactionId,
    resolution: 'COMMIT',
  } as never);
  h.clock.set(dueMs);
  await runTimerUntilMoved(h, 1);
  const counts = () => ({ delayed: h.indexes.timer.pending(), half: h.indexes.transactions.pending() });
  assert.deepEqual(counts(), { delayed: 0, half: 0 }, 'both ended normally');
  assert.deepEqual(idsOf(await receive(h, 'once-g', 'Mixed')).sort(), ['D1', 'T1']);
  h.clock.advance(DEFAULT_INVISIBLE_MS);
  assert.deepEqual(await receive(h, 'once-g', 'Mixed'), []);
  assert.deepEqual(h.deadLettered.map((d) => d.messageId).sort(), ['D1', 'T1']);
  const flags = (await queueRecords(h.store, '%DLQ%once-g')).map((r) => `${r.messageId}:0x${r.sysFlag.toString(16)}`);
  assert.deepEqual(counts(), { delayed: 0, half: 0 }, `DLQ copies with flags ${flags.join(' ')} were counted as ends again`);
});

test('a receive/ack group commits where it starts at its first receive on a queue, before any ack', async () => {
  const h = createHarness();
  await addTopic(h, 'Claim', 1);
  await sendMessages(h, [{ topic: 'Claim', id: 'before-the-group' }]);
  await addGroup(h, 'claim-g', { consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
  assert.equal(await h.store.getConsumerOffset('claim-g', 'Claim', 0), undefined, 'no claim before it receives');
  assert.deepEqual(idsOf(await receive(h, 'claim-g', 'Claim')), ['before-the-group']);
  // Not acked: the group's claim (what disk-pressure cleanup must keep) starts at the message it holds.
  assert.equal(await h.store.getConsumerOffset('claim-g', 'Claim', 0), 0);
});
