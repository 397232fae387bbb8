/**
 * consume/ (offset-based consumers): OffsetHandler and PullHandler over the in-memory store.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { v2 } from '@orbitmq/protocol';
import { LongPollHub, OffsetHandler, PullHandler } from '../src/consume';
import { duration, timestamp } from '../src/message';
import { codeNameOf } from '../src/status';
import { type Harness, STORE_HOST, addTopic, createHarness, testFilters, waitFor } from './broker-harness';

const resource = (name: string) => ({ name, resourceNamespace: '' });
const queue = (topic: string, id: number) =>
  ({ topic: resource(topic), id, permission: 'READ_WRITE', broker: null, acceptMessageTypes: [] }) as v2.MessageQueue__Output;

/** Five messages in queue 0 of 'PullT', one second apart, tags a b a b a; one in queue 1. */
async function pullTopic(): Promise<{ h: Harness; t0: number }> {
  const h = createHarness();
  await addTopic(h, 'PullT', 2);
  const t0 = h.clock.ms;
  for (let n = 0; n < 5; n++) {
    await h.store.appendBatch([
      { topic: 'PullT', queueId: 0, bornTimestampMs: h.clock.ms, messageId: `P${n}`, tag: n % 2 ? 'b' : 'a', body: Buffer.from(`pull ${n}`) },
    ]);
    h.clock.advance(1_000);
  }
  await h.store.appendBatch([{ topic: 'PullT', queueId: 1, bornTimestampMs: h.clock.ms, messageId: 'Q1', body: Buffer.from('other queue') }]);
  return { h, t0 };
}

test('queryOffset: BEGINNING, END and TIMESTAMP; unknown topics and queues are refused', async () => {
  const { h, t0 } = await pullTopic();
  const offsets = new OffsetHandler(h.store, h.topics, h.groups);
  const query = async (policy: string, id = 0, atMs?: number) => {
    const res = await offsets.queryOffset({
      messageQueue: queue('PullT', id),
      queryOffsetPolicy: policy,
      ...(atMs !== undefined ? { timestamp: timestamp(atMs) } : {}),
    } as never);
    return codeNameOf(res.status) === 'OK' ? res.offset : codeNameOf(res.status);
  };
  assert.equal(await query('BEGINNING'), '0');
  assert.equal(await query('END'), '5');
  assert.equal(await query('END', 1), '1');
  assert.equal(await query('TIMESTAMP', 0, t0), '0');
  assert.equal(await query('TIMESTAMP', 0, t0 + 2_500), '3', 'the first message stored at or after the time');
  assert.equal(await query('TIMESTAMP', 0, t0 + 2_000), '2');
  assert.equal(await query('TIMESTAMP', 0, t0 + 60_000), '5', 'after the last: the end');
  assert.equal(await query('TIMESTAMP'), 'BAD_REQUEST', 'TIMESTAMP needs a timestamp');
  assert.equal(await query('END', 2), 'BAD_REQUEST', 'queue 2 of a 2-queue topic');
  const unknown = await offsets.queryOffset({ messageQueue: queue('Nope', 0), queryOffsetPolicy: 'END' } as never);
  assert.equal(codeNameOf(unknown.status), 'TOPIC_NOT_FOUND');
});

test('getOffset / updateOffset: OFFSET_NOT_FOUND until committed; offsets past the end are ILLEGAL_OFFSET', async () => {
  const { h } = await pullTopic();
  const offsets = new OffsetHandler(h.store, h.topics, h.groups);
  const get = async () => {
    const res = await offsets.getOffset({ group: resource('pull-g'), messageQueue: queue('PullT', 0) });
    return codeNameOf(res.status) === 'OK' ? res.offset : codeNameOf(res.status);
  };
  const update = async (offset: string) =>
    codeNameOf((await offsets.updateOffset({ group: resource('pull-g'), messageQueue: queue('PullT', 0), offset })).status);
  assert.equal(await get(), 'OFFSET_NOT_FOUND');
  assert.equal(await update('3'), 'OK');
  assert.equal(await get(), '3');
  assert.equal(await update('5'), 'OK', 'the end itself is a valid offset (nothing left to consume)');
  assert.equal(await get(), '5');
  for (const bad of ['6', '-1', 'x', '1.5']) assert.equal(await update(bad), 'ILLEGAL_OFFSET', bad);
  assert.equal(await get(), '5', 'refused updates change nothing');
  assert.equal(await h.store.getConsumerOffset('pull-g', 'PullT', 0), 5);
  assert.equal(await h.store.getConsumerOffset('pull-g', 'PullT', 1), undefined, 'per queue');
  assert.ok(h.groups.get('pull-g'), 'the group is created on its first commit');
});

interface PullFrames {
  code: string;
  messages: v2.Message[];
  nextOffset: string | undefined;
}

/** Runs one PullMessage call through a fake server stream and sorts out its frames. */
function runPull(handler: PullHandler, r: { offset: string; batch?: number; tags?: string; longPollMs?: number; queueId?: number }): Promise<PullFrames> {
  return new Promise((resolve) => {
    const frames: v2.PullMessageResponse[] = [];
    const request: v2.PullMessageRequest__Output = {
      group: resource('pull-g'),
      messageQueue: queue('PullT', r.queueId ?? 0),
      offset: r.offset,
      batchSize: r.batch ?? 32,
      filterExpression: { type: 'TAG', expression: r.tags ?? '*' },
      longPollingTimeout: r.longPollMs !== undefined ? (duration(r.longPollMs) as never) : null,
    };
    const call = {
      request,
      getDeadline: () => Number.POSITIVE_INFINITY,
      on: () => call,
      write: (f: v2.PullMessageResponse) => frames.push(f) > 0,
      end: () => {
        const messages = frames.flatMap((f) => (f.message ? [f.message] : []));
        const nextOffset = frames.find((f) => f.nextOffset !== undefined)?.nextOffset as string | undefined;
        resolve({ code: codeNameOf(frames[0]?.status), messages, nextOffset });
      },
    };
    handler.handle(call as never);
  });
}

const idsOf = (f: PullFrames) => f.messages.map((m) => m.systemProperties?.messageId);

function pullHandler(h: Harness, hub = new LongPollHub(4)): PullHandler {
  return new PullHandler(h.store, h.topics, hub, { maxBatchSize: 32, maxLongPollingMs: 5_000, deadlineMarginMs: 0 }, STORE_HOST, testFilters());
}

test('pull: messages from an offset, batch-limited, with the next offset to pull from', async () => {
  const { h } = await pullTopic();
  const pull = pullHandler(h);
  const page = await runPull(pull, { offset: '1', batch: 2 });
  assert.deepEqual([page.code, idsOf(page), page.nextOffset], ['OK', ['P1', 'P2'], '3']);
  assert.deepEqual(
    page.messages.map((m) => [m.systemProperties?.queueOffset, m.systemProperties?.queueId, m.body?.toString()]),
    [
      [1, 0, 'pull 1'],
      [2, 0, 'pull 2'],
    ],
  );
  const rest = await runPull(pull, { offset: page.nextOffset ?? '' });
  assert.deepEqual([rest.code, idsOf(rest), rest.nextOffset], ['OK', ['P3', 'P4'], '5']);
  assert.deepEqual(idsOf(await runPull(pull, { offset: '0', queueId: 1 })), ['Q1'], 'queues are separate');
});

test('pull: a tag filter returns only matching messages and still moves the offset past the others', async () => {
  const { h } = await pullTopic();
  const pull = pullHandler(h);
  const b = await runPull(pull, { offset: '0', tags: 'b' });
  assert.deepEqual([b.code, idsOf(b), b.nextOffset], ['OK', ['P1', 'P3'], '5'], 'scanned to the end');
  const firstB = await runPull(pull, { offset: '0', tags: 'b', batch: 1 });
  assert.deepEqual([idsOf(firstB), firstB.nextOffset], [['P1'], '2'], 'a full batch stops the scan right after its last match');
  const either = await runPull(pull, { offset: '0', tags: 'a || b', batch: 3 });
  assert.deepEqual([idsOf(either), either.nextOffset], [['P0', 'P1', 'P2'], '3']);
  const none = await runPull(pull, { offset: '0', tags: 'c' });
  assert.deepEqual([none.code, idsOf(none), none.nextOffset], ['MESSAGE_NOT_FOUND', [], '5'], 'nothing matches: answered, offset moved on');
});

test('pull: an offset past the end is ILLEGAL_OFFSET with the end as next offset; at the end nothing is found', async () => {
  const { h } = await pullTopic();
  const pull = pullHandler(h);
  const past = await runPull(pull, { offset: '9' });
  assert.deepEqual([past.code, past.messages.length, past.nextOffset], ['ILLEGAL_OFFSET', 0, '5']);
  const atEnd = await runPull(pull, { offset: '5' });
  assert.deepEqual([atEnd.code, atEnd.messages.length, atEnd.nextOffset], ['MESSAGE_NOT_FOUND', 0, '5'], 'no long polling asked: answered at once');
  assert.equal((await runPull(pull, { offset: '0', batch: 0 })).code, 'BAD_REQUEST');
  for (const bad of ['-1', 'x', '1.5']) {
    const r = await runPull(pull, { offset: bad });
    assert.deepEqual([r.code, r.messages.length, r.nextOffset], ['ILLEGAL_OFFSET', 0, '0'], `offset '${bad}': where to start instead`);
  }
});

test('pull: at the end with long polling, a message appended meanwhile is returned', async () => {
  const { h } = await pullTopic();
  const hub = new LongPollHub(4);
  const stopListening = hub.listen(h.store.events);
  try {
    const pending = runPull(pullHandler(h, hub), { offset: '5', longPollMs: 5_000 });
    await waitFor(() => hub.parked === 1, 'the pull to park');
    await h.store.appendBatch([{ topic: 'PullT', queueId: 0, bornTimestampMs: h.clock.ms, messageId: 'LATE', body: Buffer.from('late') }]);
    const got = await pending;
    assert.deepEqual([got.code, idsOf(got), got.nextOffset], ['OK', ['LATE'], '6']);
    assert.equal(hub.parked, 0);
  } finally {
    stopListening();
  }
});
