/**
 * The admin API's queries: one message's state for each group (admin/delivery-state: receive/ack,
 * pull offsets, 4.x retries, dead letters), messages by topic and time, and topic stats, over the
 * in-memory store with the harness clock.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { BrokerAdminApi } from '../src/admin';
import { ClientRegistry } from '../src/clients';
import { LongPollHub } from '../src/consume';
import { decodeReceiptHandle } from '../src/consume/receipt-handle';
import { copyRecord } from '../src/message';
import { PERM_READ, PERM_WRITE } from '../src/meta';
import { type Harness, addGroup, addTopic, createHarness, queueRecords, receive, rejectionCode, sendMessages, testFilters } from './broker-harness';
import type { BrowseChunk, BrowseRequest } from '../src/admin';

function adminOf(h: Harness, filters = testFilters()): BrokerAdminApi {
  return new BrokerAdminApi({
    store: h.store,
    indexes: h.indexes,
    topics: h.topics,
    groups: h.groups,
    pop: h.pop,
    clients: new ClientRegistry(60_000),
    hub: new LongPollHub(10),
    transactions: { list: async () => [] },
    nowMs: h.clock.now,
    filters,
    send: h.send,
  });
}

async function states(admin: BrokerAdminApi, topic: string, offset: number) {
  const r = await admin.deliveryState(topic, 0, offset);
  return Object.fromEntries(r.deliveries.map((d) => [d.group, { state: d.state, attempt: d.attempt, untilMs: d.untilMs, copy: d.copy?.topic ?? '' }]));
}

test('delivery state: receive/ack groups see consumed, in flight until T, awaiting redelivery, not yet and dead-lettered', async () => {
  const h = createHarness();
  const admin = adminOf(h);
  await addTopic(h, 'Pay', 1);
  await addGroup(h, 'g-ack');
  await addGroup(h, 'g-dlq', { maxDeliveryAttempts: 1 });
  await addGroup(h, 'g-idle');
  await sendMessages(
    h,
    [1, 2, 3, 4].map((i) => ({ topic: 'Pay', id: `P${i}` })),
  );
  const got = await receive(h, 'g-ack', 'Pay', { max: 3, invisibleMs: 30_000 });
  const p1 = got.find((m) => m.record.messageId === 'P1');
  assert.ok(p1);
  await h.pop.ack('g-ack', 'Pay', decodeReceiptHandle(p1.receiptHandle));
  const deliveredAt = h.clock.ms;
  assert.deepEqual((await states(admin, 'Pay', 0))['g-ack'], { state: 'CONSUMED', attempt: 0, untilMs: 0, copy: '' });
  assert.deepEqual((await states(admin, 'Pay', 1))['g-ack'], { state: 'IN_FLIGHT', attempt: 1, untilMs: deliveredAt + 30_000, copy: '' });
  assert.equal((await states(admin, 'Pay', 3))['g-ack']?.state, 'NOT_CONSUMED_YET');
  assert.equal((await states(admin, 'Pay', 1))['g-idle'], undefined, 'a group that never consumed the queue is not listed');
  h.clock.advance(30_000);
  assert.deepEqual((await states(admin, 'Pay', 1))['g-ack'], { state: 'AWAITING_REDELIVERY', attempt: 1, untilMs: deliveredAt + 30_000, copy: '' });

  await receive(h, 'g-dlq', 'Pay', { max: 1, invisibleMs: 1_000 });
  h.clock.advance(1_000);
  await receive(h, 'g-dlq', 'Pay', { max: 1, invisibleMs: 1_000 });
  const dead = (await states(admin, 'Pay', 0))['g-dlq'];
  assert.deepEqual(dead, { state: 'DEAD_LETTERED', attempt: 1, untilMs: 0, copy: '%DLQ%g-dlq' });
  const [copy] = await admin.queryMessages({ topic: '%DLQ%g-dlq', beginTimestampMs: 1, endTimestampMs: h.clock.ms + 1 });
  assert.equal(copy?.messageId, 'P1');
  assert.equal(copy?.originTopic, 'Pay', 'the dead letter names the topic it came from (RETRY_TOPIC)');
  const [original] = await admin.queryMessages({ messageId: 'P2' });
  assert.equal(original?.originTopic, '', 'an original message names none');
});

test('delivery state: pull groups by their offset, and 4.x retries through %RETRY%<group> until consumed', async () => {
  const h = createHarness();
  const admin = adminOf(h);
  await addTopic(h, 'Orders', 1);
  await addGroup(h, 'g-pull');
  await sendMessages(
    h,
    [1, 2, 3].map((i) => ({ topic: 'Orders', id: `O${i}` })),
  );
  await h.store.setConsumerOffset('g-pull', 'Orders', 0, 2);
  assert.equal((await states(admin, 'Orders', 1))['g-pull']?.state, 'CONSUMED');
  assert.equal((await states(admin, 'Orders', 2))['g-pull']?.state, 'NOT_CONSUMED_YET');

  // A 4.x consumer sent O1 back: a copy (same id) in its retry topic, attempt 1.
  await h.topics.upsert({ topicName: '%RETRY%g-pull', readQueueNums: 1, writeQueueNums: 1, perm: PERM_READ | PERM_WRITE, messageType: 'MIXED' });
  const [o1] = await queueRecords(h.store, 'Orders');
  assert.ok(o1);
  await h.store.appendBatch([copyRecord(o1, { topic: '%RETRY%g-pull', queueId: 0, sysFlag: o1.sysFlag, reconsumeTimes: 1 })]);
  assert.deepEqual((await states(admin, 'Orders', 0))['g-pull'], { state: 'RETRYING', attempt: 1, untilMs: 0, copy: '%RETRY%g-pull' });
  await h.store.setConsumerOffset('g-pull', '%RETRY%g-pull', 0, 1);
  assert.deepEqual((await states(admin, 'Orders', 0))['g-pull'], { state: 'CONSUMED', attempt: 1, untilMs: 0, copy: '%RETRY%g-pull' });
});

test('delivery state and topic-time queries: bad input is refused with its code', async () => {
  const h = createHarness();
  const admin = adminOf(h);
  await addTopic(h, 'T', 2);
  await sendMessages(h, [{ topic: 'T', id: 'A' }]);
  assert.equal(await rejectionCode(admin.deliveryState('Nope', 0, 0)), 'TOPIC_NOT_FOUND');
  assert.equal(await rejectionCode(admin.deliveryState('T', 2, 0)), 'BAD_REQUEST');
  assert.equal(await rejectionCode(admin.deliveryState('T', 0, 99)), 'MESSAGE_NOT_FOUND');
  assert.equal(await rejectionCode(admin.queryMessages({ topic: 'T' })), 'BAD_REQUEST');
  assert.equal(await rejectionCode(admin.queryMessages({ topic: 'Nope', beginTimestampMs: 1 })), 'TOPIC_NOT_FOUND');
});

test('query by topic and time: only messages stored in the range, the earliest first, at most maxResults', async () => {
  const h = createHarness();
  const admin = adminOf(h);
  await addTopic(h, 'Clicks', 2);
  const t0 = h.clock.ms;
  for (let i = 0; i < 6; i++) {
    await sendMessages(h, [{ topic: 'Clicks', id: `C${i}` }]);
    h.clock.advance(1_000);
  }
  const ids = async (q: { beginTimestampMs: number; endTimestampMs: number; maxResults?: number }) =>
    (await admin.queryMessages({ topic: 'Clicks', ...q })).map((m) => m.messageId);
  assert.deepEqual(await ids({ beginTimestampMs: t0 + 1_000, endTimestampMs: t0 + 3_000 }), ['C1', 'C2', 'C3']);
  assert.deepEqual(await ids({ beginTimestampMs: t0, endTimestampMs: t0 + 10_000, maxResults: 2 }), ['C0', 'C1']);
  assert.deepEqual(await ids({ beginTimestampMs: t0 + 60_000, endTimestampMs: t0 + 70_000 }), []);
});

test('topic stats: every topic with its configuration and the messages written to it', async () => {
  const h = createHarness();
  const admin = adminOf(h);
  await addTopic(h, 'Busy', 2, 'FIFO');
  await addTopic(h, 'Quiet', 1);
  await sendMessages(h, [1, 2, 3].map((i) => ({ topic: 'Busy', id: `B${i}`, type: 'FIFO', messageGroup: `g${i}` })));
  const stats = Object.fromEntries(admin.topicStats().map((t) => [t.topic.topicName, [t.topic.messageType, t.topic.readQueueNums, t.messagesWritten]]));
  assert.deepEqual(stats, { Busy: ['FIFO', 2, 3], Quiet: ['MIXED', 1, 0] });
  assert.deepEqual(
    admin.topicStats(['Quiet', 'Unknown']).map((t) => t.topic.topicName),
    ['Quiet'],
    'named topics only, unknown names left out',
  );
});

async function browseAll(admin: BrokerAdminApi, over: Partial<BrowseRequest>, cancelAfter = Infinity) {
  const chunks: BrowseChunk[] = [];
  const req: BrowseRequest = { topic: 'B', queueId: -1, beginTimestampMs: 0, endTimestampMs: 0, maxMessages: 0, filter: { type: 'TAG', expression: '*' }, ...over };
  for await (const c of admin.browse(req, () => chunks.length >= cancelAfter)) chunks.push(c);
  const ids = chunks.flatMap((c) => c.records.map((r) => r.messageId)).sort();
  return { ids, last: chunks.at(-1)?.progress, chunks };
}

test('browse: every queue from a time, filtered by tag or SQL92, bounded by count and end time, with progress', async () => {
  const h = createHarness();
  const admin = adminOf(h);
  await addTopic(h, 'B', 2);
  const t0 = h.clock.ms;
  for (let i = 0; i < 10; i++) {
    await sendMessages(h, [{ topic: 'B', id: `M${i}`, tag: i % 2 ? 'odd' : 'even', userProperties: { n: String(i) } }]);
    h.clock.advance(1_000);
  }
  const all = await browseAll(admin, {});
  assert.equal(all.ids.length, 10);
  assert.deepEqual({ ...all.last, queueId: 0 }, { queueId: 0, nextOffset: all.last?.nextOffset, maxOffset: all.last?.maxOffset, scanned: 10, matched: 10, queuesDone: 2, queues: 2, finished: 'END_OF_QUEUES' });
  assert.deepEqual((await browseAll(admin, { filter: { type: 'TAG', expression: 'odd' } })).ids, ['M1', 'M3', 'M5', 'M7', 'M9']);
  assert.deepEqual((await browseAll(admin, { filter: { type: 'SQL', expression: 'n >= 8' } })).ids, ['M8', 'M9']);
  const capped = await browseAll(admin, { maxMessages: 3 });
  assert.equal(capped.ids.length, 3);
  assert.equal(capped.last?.finished, 'MAX_MESSAGES');
  const window = await browseAll(admin, { beginTimestampMs: t0 + 2_000, endTimestampMs: t0 + 4_000 });
  assert.deepEqual(window.ids, ['M2', 'M3', 'M4']);
  assert.equal(window.last?.finished, 'END_TIME');
  const one = await browseAll(admin, { queueId: 1, startOffset: 1 });
  assert.ok(one.ids.length > 0 && one.last?.queues === 1);
  const cancelled = await browseAll(admin, {}, 1);
  assert.equal(cancelled.last?.finished, undefined, 'a cancelled browse sends no last chunk');
});

test('browse: bad requests are refused with their code', async () => {
  const h = createHarness();
  const admin = adminOf(h);
  await addTopic(h, 'B', 2);
  assert.equal(await rejectionCode(browseAll(admin, { topic: 'Nope' })), 'TOPIC_NOT_FOUND');
  assert.equal(await rejectionCode(browseAll(admin, { queueId: 2 })), 'BAD_REQUEST');
  assert.equal(await rejectionCode(browseAll(admin, { maxMessages: 10_001 })), 'BAD_REQUEST');
  assert.equal(await rejectionCode(browseAll(admin, { filter: { type: 'SQL', expression: 'n >' } })), 'ILLEGAL_FILTER_EXPRESSION');
  assert.equal(await rejectionCode(browseAll(adminOf(h, testFilters({ enablePropertyFilter: false })), { filter: { type: 'SQL', expression: 'n > 1' } })), 'UNSUPPORTED');
});

test('resend: a dead letter goes back to the topic it came from as a new message, a result per offset', async () => {
  const h = createHarness();
  const admin = adminOf(h);
  await addTopic(h, 'Pay', 1);
  await addTopic(h, 'Other', 1);
  await addGroup(h, 'g', { maxDeliveryAttempts: 1 });
  await sendMessages(h, [{ topic: 'Pay', id: 'P1', tag: 'card', keys: ['k1'], userProperties: { amount: '10' } }]);
  await receive(h, 'g', 'Pay', { invisibleMs: 1_000 });
  h.clock.advance(1_000);
  await receive(h, 'g', 'Pay', { invisibleMs: 1_000 });
  const results = await admin.resend('%DLQ%g', 0, [0, 5], '');
  assert.equal(results.length, 2);
  assert.equal(results[0]?.ok, true, JSON.stringify(results[0]));
  assert.equal(results[0]?.toTopic, 'Pay');
  assert.equal(results[0]?.newQueueOffset, 1);
  assert.notEqual(results[0]?.messageId, 'P1', 'a new message id');
  assert.deepEqual([results[1]?.ok, results[1]?.code], [false, 'MESSAGE_NOT_FOUND']);
  const [, copy] = await queueRecords(h.store, 'Pay');
  assert.deepEqual([copy?.tag, copy?.keys, copy?.body.toString()], ['card', ['k1'], 'body of P1']);

  const named = await admin.resend('%DLQ%g', 0, [0], 'Other');
  assert.deepEqual([named[0]?.ok, named[0]?.toTopic], [true, 'Other']);
  const original = await admin.resend('Pay', 0, [0], '');
  assert.deepEqual([original[0]?.ok, original[0]?.code], [false, 'BAD_REQUEST'], 'an original message names no origin');
  const nowhere = await admin.resend('%DLQ%g', 0, [0], 'Missing');
  assert.deepEqual([nowhere[0]?.ok, nowhere[0]?.code], [false, 'TOPIC_NOT_FOUND']);
  assert.equal(await rejectionCode(admin.resend('%DLQ%g', 0, Array.from({ length: 65 }, (_, i) => i), '')), 'BAD_REQUEST');
  assert.equal(await rejectionCode(admin.resend('%DLQ%g', 1, [0], '')), 'BAD_REQUEST');
  assert.equal(await rejectionCode(admin.resend('Nope', 0, [0], '')), 'TOPIC_NOT_FOUND');
});
