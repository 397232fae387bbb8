/**
 * The in-memory store's own contract: what the broker relies on from StorePort, as libs/storage's
 * MessageStore does it. If these drift from the real store, the concern tests prove nothing.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { StoreDispatchExtension, StoreDispatchRequest } from '../src/store-port';
import { MemoryStore, tagHash } from './memory-store';
import { rejectionCode } from './broker-harness';

function msg(n: number, over: Partial<Parameters<MemoryStore['appendBatch']>[0][number]> = {}) {
  return {
    topic: 'T',
    queueId: 0,
    bornTimestampMs: 1_000 + n,
    messageId: `m${n}`,
    tag: n % 2 ? 'odd' : 'even',
    keys: [`k${n}`],
    body: Buffer.from(`body-${n}`),
    ...over,
  };
}

test('appends: byte offsets grow by record size, queue offsets per queue, results in input order', async () => {
  let now = 5_000;
  const store = new MemoryStore({ nowMs: () => now });
  const first = await store.appendBatch([msg(0), msg(1, { queueId: 1 }), msg(2)]);
  assert.deepEqual(
    first.map((r) => r.queueOffset),
    [0, 0, 1],
  );
  assert.equal(first[0]?.logOffset, 0);
  assert.equal(first[1]?.logOffset, (first[0]?.logOffset ?? 0) + (first[0]?.size ?? 0));
  assert.equal(first[2]?.logOffset, (first[1]?.logOffset ?? 0) + (first[1]?.size ?? 0));
  now = 4_000; // a clock stepping back does not move store time back
  const [later] = await store.appendBatch([msg(3)]);
  assert.equal(later?.storeTimestampMs, 5_000);
  assert.equal(later?.queueOffset, 2);
  const rec = await store.getMessage(first[2]?.logOffset ?? -1, first[2]?.size ?? -1);
  assert.deepEqual(
    { id: rec.messageId, q: rec.queueOffset, phys: rec.physicalOffset, tag: rec.tag, keys: rec.keys, body: rec.body.toString() },
    {
      id: 'm2',
      q: 1,
      phys: first[2]?.logOffset,
      tag: 'even',
      keys: ['k2'],
      body: 'body-2',
    },
  );
  const many = await store.getMessages([first[2], first[0]] as { logOffset: number; size: number }[]);
  assert.deepEqual(
    many.map((r) => r.messageId),
    ['m2', 'm0'],
    'in the order asked',
  );
  assert.equal(await rejectionCode(store.getMessage(first[0]?.logOffset ?? 0, (first[0]?.size ?? 0) + 1)), 'CORRUPT_RECORD');
  assert.equal(await rejectionCode(store.getMessage(store.stats().endOffset, 10)), 'OFFSET_OVERFLOW');
  assert.equal(await rejectionCode(store.appendBatch([])), 'ILLEGAL_ARGUMENT');
  assert.equal(await rejectionCode(store.appendBatch([msg(9, { queueId: -1 })])), 'ILLEGAL_ARGUMENT');
  assert.equal(await rejectionCode(store.appendBatch([msg(9, { keys: ['a\u0001b'] })])), 'ILLEGAL_ARGUMENT');
  assert.equal(store.stats().endOffset, await store.commitLogBytes());
});

test('readQueue: statuses at and past the end, maxCount, and tag filters bounded by maxScanEntries', async () => {
  const store = new MemoryStore();
  await store.appendBatch(Array.from({ length: 6 }, (_, n) => msg(n)));
  assert.deepEqual(await store.readQueue('T', 0, 6, 5), { status: 'NO_NEW_MESSAGES', entries: [], nextOffset: 6, minOffset: 0, maxOffset: 6 });
  assert.deepEqual(await store.readQueue('T', 0, 7, 5), { status: 'OFFSET_OVERFLOW', entries: [], nextOffset: 6, minOffset: 0, maxOffset: 6 });
  assert.equal((await store.readQueue('Nope', 3, 0, 5)).status, 'NO_NEW_MESSAGES');
  const page = await store.readQueue('T', 0, 1, 2);
  assert.deepEqual([page.status, page.entries.map((e) => e.queueOffset), page.nextOffset], ['FOUND', [1, 2], 3]);
  assert.equal(page.entries[0]?.tagHash, tagHash('odd'));
  const odd = await store.readQueue('T', 0, 0, 10, { tags: ['odd'] });
  assert.deepEqual([odd.entries.map((e) => e.queueOffset), odd.nextOffset], [[1, 3, 5], 6]);
  const firstOdd = await store.readQueue('T', 0, 0, 1, { tags: ['odd'] });
  assert.deepEqual([firstOdd.entries.map((e) => e.queueOffset), firstOdd.nextOffset], [[1], 2], 'stops at maxCount matches');
  const bounded = await store.readQueue('T', 0, 0, 10, { tags: ['nothing'], maxScanEntries: 4 });
  assert.deepEqual([bounded.status, bounded.entries, bounded.nextOffset], ['FOUND', [], 4], 'a sparse filter examines at most maxScanEntries');
  assert.equal(await rejectionCode(store.readQueue('T', 0, 0, 0)), 'ILLEGAL_ARGUMENT');
  assert.equal(await rejectionCode(store.readQueue('T', 0, -1, 1)), 'ILLEGAL_ARGUMENT');
});

test('metadata: bytewise key order, from inclusive, to exclusive, limit; string and Buffer keys are the same key', async () => {
  const { metadata } = new MemoryStore();
  for (const k of [Buffer.from([0x01]), Buffer.from([0x00, 0xff]), Buffer.from([0x00]), Buffer.from([0xff])])
    await metadata.put('ns', k, Buffer.from([k.length]));
  await metadata.put('ns', 'b', Buffer.from('B'));
  await metadata.put('other', 'b', Buffer.from('other'));
  const keys = async (opts?: Parameters<typeof metadata.list>[1]) => (await metadata.list('ns', opts)).map((e) => e.key.toString('hex'));
  assert.deepEqual(await keys(), ['00', '00ff', '01', '62', 'ff']);
  assert.deepEqual(await keys({ from: Buffer.from([0x00, 0xff]), to: 'b' }), ['00ff', '01']);
  assert.deepEqual(await keys({ from: Buffer.from([0x01]), limit: 2 }), ['01', '62']);
  assert.deepEqual((await metadata.get('ns', Buffer.from('b')))?.toString(), 'B');
  await metadata.batch([
    { type: 'del', namespace: 'ns', key: Buffer.from('b') },
    { type: 'put', namespace: 'ns', key: 'c', value: Buffer.from('C') },
  ]);
  assert.deepEqual(await keys({ from: 'a' }), ['63', 'ff']);
  assert.equal(
    await rejectionCode(
      metadata.batch([
        { type: 'del', namespace: 'ns', key: 'c' },
        { type: 'put', namespace: '', key: 'x', value: Buffer.alloc(0) },
      ]),
    ),
    'ILLEGAL_ARGUMENT',
  );
  assert.ok(await metadata.get('ns', 'c'), 'a refused batch applies nothing');
  const got = (await metadata.get('other', 'b')) as Buffer;
  got.fill(0);
  assert.equal((await metadata.get('other', 'b'))?.toString(), 'other', 'values are copies, as LevelDB returns them');
});

test('dispatch: extensions see each record and write in the round; onCommitted, then arrived, per queue', async () => {
  const seen: StoreDispatchRequest[] = [];
  const order: string[] = [];
  const ext: StoreDispatchExtension = {
    name: 'probe',
    onDispatch: (req, batch) => {
      seen.push({ ...req });
      batch.put('probe', Buffer.from(req.messageId), Buffer.from(String(req.logOffset)));
    },
    onCommitted: (reqs) => order.push(`committed ${reqs.length}`),
  };
  const store = new MemoryStore({ extensions: [ext], nowMs: () => 42 });
  store.events.on('arrived', (queues) => order.push(`arrived ${JSON.stringify(queues)}`));
  store.events.on('arrived', () => order.push(`queue visible ${store.getMaxQueueOffset('T', 0)}`));
  const results = await store.appendBatch([msg(0, { properties: Buffer.from('p'), sysFlag: 9 }), msg(1), msg(2, { queueId: 3 })]);
  assert.deepEqual(seen[0], {
    topic: 'T',
    queueId: 0,
    queueOffset: 0,
    logOffset: 0,
    size: results[0]?.size,
    storeTimestampMs: 42,
    sysFlag: 9,
    messageId: 'm0',
    tagHash: tagHash('even'),
    tag: 'even',
    keys: ['k0'],
    properties: Buffer.from('p'),
  });
  assert.deepEqual(order, [
    'committed 3',
    `arrived ${JSON.stringify([
      { topic: 'T', queueId: 0, maxOffset: 2 },
      { topic: 'T', queueId: 3, maxOffset: 1 },
    ])}`,
    'queue visible 2',
  ]);
  assert.equal((await store.metadata.get('probe', 'm1'))?.toString(), String(results[1]?.logOffset));
  await store.whenDispatched();
  await store.whenDispatched(store.stats().endOffset);
  let later = false;
  const pending = store.whenDispatched(store.stats().endOffset + 1).then(() => (later = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(later, false, 'an offset past the end waits for a later append');
  await store.appendBatch([msg(3)]);
  await pending;
});

test('lookups, offsets by time, consumer offsets and topic deletion', async () => {
  let now = 10_000;
  const store = new MemoryStore({ nowMs: () => now });
  for (let n = 0; n < 4; n++) {
    await store.appendBatch([msg(n, { keys: ['order-1', `k${n}`] })]);
    now += 1_000;
  }
  await store.appendBatch([msg(0, { topic: 'U', keys: ['order-1'] })]); // same id and key, other topic
  assert.deepEqual(
    (await store.findByMessageId('m0')).map((f) => f.record.topic),
    ['T', 'U'],
  );
  assert.deepEqual(
    (await store.findByMessageId('m0', 1)).map((f) => f.record.topic),
    ['T'],
  );
  const byKey = await store.findByKey('T', 'order-1', { beginTimestampMs: 11_000, endTimestampMs: 12_000 });
  assert.deepEqual(
    byKey.map((f) => f.record.messageId),
    ['m1', 'm2'],
    'both ends inclusive, one topic',
  );
  assert.deepEqual(
    (await store.findByKey('T', 'order-1', { maxResults: 1 })).map((f) => f.record.messageId),
    ['m0'],
  );
  assert.deepEqual(await Promise.all([10_000, 11_500, 13_000, 99_000].map((t) => store.getQueueOffsetByTime('T', 0, t))), [0, 2, 3, 4]);
  assert.equal(await store.getConsumerOffset('g', 'T', 0), undefined);
  await store.setConsumerOffset('g', 'T', 0, 3);
  assert.equal(await store.getConsumerOffset('g', 'T', 0), 3);
  assert.equal(await rejectionCode(store.setConsumerOffset('g', 'T', 0, -1)), 'ILLEGAL_ARGUMENT');
  await store.deleteTopic('T');
  assert.equal(store.getMaxQueueOffset('T', 0), 0);
  assert.equal((await store.appendBatch([msg(7)]))[0]?.queueOffset, 0, 'queue counters start again');
  assert.equal((await store.findByMessageId('m1')).length, 1, 'the log keeps the records of a deleted topic');
});
