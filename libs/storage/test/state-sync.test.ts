import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type DispatchExtension, type MessageStore, type StateOp, StorageErrorCode, isStorageError } from '../src';
import { consumerOffsetKey, metadataKey } from '../src/keys';
import { msg, openSmall, tmpDir } from './helpers';

/** Every replicable key and value, in key order, as hex. */
async function stateDump(store: MessageStore): Promise<string[]> {
  const out: string[] = [];
  await store.stateSnapshot(async (ops) => {
    for (const op of ops) if (op.kind === 'put') out.push(`${op.key.toString('hex')}=${op.value.toString('hex')}`);
  });
  return out;
}

test('writes through metadata emit stateChanged ops (origin local); applying them elsewhere gives the same state', async () => {
  const master = await openSmall(tmpDir());
  const replica = await openSmall(tmpDir());
  const seen: StateOp[][] = [];
  master.events.on('stateChanged', (e) => {
    assert.equal(e.origin, 'local');
    seen.push(e.ops);
  });
  await master.setConsumerOffset('G1', 'TopicA', 0, 17);
  await master.metadata.setConsumerOffset('G1', 'TopicA', 1, 5);
  await master.metadata.setConsumerOffset('G2', 'TopicA', 1, 9);
  await master.metadata.put('topics', 'TopicA', Buffer.from('{"queues":4}'));
  await master.metadata.put('topics', 'TopicB', Buffer.from('{"queues":8}'));
  await master.metadata.delete('topics', 'TopicB');
  await master.metadata.batch([
    { type: 'put', namespace: 'groups', key: 'G1', value: Buffer.from('g1') },
    { type: 'put', namespace: 'groups', key: 'G2', value: Buffer.from('g2') },
    { type: 'del', namespace: 'groups', key: 'G2' },
  ]);
  await master.metadata.deleteConsumerOffsets('G2');
  assert.equal(seen.length, 8, 'one event per write');
  assert.deepEqual(seen[0], [{ kind: 'put', key: consumerOffsetKey('G1', 'TopicA', 0), value: Buffer.from([0, 0, 0, 0, 0, 0, 0, 17]) }]);
  assert.deepEqual(seen[5], [{ kind: 'del', key: metadataKey('topics', 'TopicB') }]);
  assert.equal(seen[6]!.length, 3);
  assert.equal(seen[7]![0]!.kind, 'clear');

  const applied: { ops: StateOp[]; origin: string }[] = [];
  replica.events.on('stateChanged', (e) => applied.push(e));
  for (const ops of seen) await replica.applyState(ops);
  assert.equal(applied.length, seen.length);
  assert.ok(applied.every((e) => e.origin === 'replicated'));
  for (const g of ['G1', 'G2']) assert.deepEqual(await replica.metadata.listConsumerOffsets(g), await master.metadata.listConsumerOffsets(g));
  for (const ns of ['topics', 'groups']) assert.deepEqual(await replica.metadata.list(ns), await master.metadata.list(ns));
  assert.deepEqual(await stateDump(replica), await stateDump(master));
  await master.close();
  await replica.close();
});

test('applyState: a clear inside one call removes earlier puts of the call, later puts survive; replaceAll drops stale keys', async () => {
  const store = await openSmall(tmpDir());
  await store.metadata.setConsumerOffset('G', 'T', 0, 1);
  const k = (q: number) => consumerOffsetKey('G', 'T', q);
  const v = Buffer.from([0, 0, 0, 0, 0, 0, 0, 7]);
  await store.applyState([
    { kind: 'put', key: k(1), value: v },
    { kind: 'clear', gte: k(0).subarray(0, 3), lt: Buffer.from([0x6f, 0x02]) },
    { kind: 'put', key: k(2), value: v },
  ]);
  assert.deepEqual(await store.metadata.listConsumerOffsets('G'), [{ topic: 'T', queueId: 2, offset: 7 }]);

  await store.metadata.put('stale', 'x', Buffer.from('old'));
  const events: StateOp[][] = [];
  store.events.on('stateChanged', (e) => events.push(e.ops));
  await store.applyState([{ kind: 'put', key: metadataKey('topics', 'A'), value: Buffer.from('a') }], { replaceAll: true });
  assert.deepEqual(await store.metadata.listConsumerOffsets('G'), []);
  assert.deepEqual(await store.metadata.list('stale'), []);
  assert.deepEqual(await store.metadata.list('topics'), [{ key: Buffer.from('A'), value: Buffer.from('a') }]);
  assert.deepEqual(
    events[0]!.map((op) => op.kind),
    ['clear', 'clear', 'put'],
    'the event shows the cleared ranges first',
  );
  await store.close();
});

test('applyState refuses keys and ranges outside the replicable ranges and then writes nothing', async () => {
  const store = await openSmall(tmpDir());
  const good: StateOp = { kind: 'put', key: metadataKey('topics', 'A'), value: Buffer.from('a') };
  const refusals: [StateOp, RegExp][] = [
    [{ kind: 'put', key: Buffer.from('c\u0001Tqueue'), value: Buffer.alloc(24) }, /key prefix 0x63 'c'/],
    [{ kind: 'put', key: Buffer.from('mstoreId'), value: Buffer.from('x') }, /key prefix 0x6d 'm'/],
    [{ kind: 'del', key: Buffer.from('q\u0001T') }, /key prefix 0x71 'q'/],
    [{ kind: 'del', key: Buffer.alloc(0) }, /an empty key/],
    [{ kind: 'clear', gte: Buffer.from([0x6f]), lt: Buffer.from([0x79]) }, /not inside one replicable range/],
    [{ kind: 'clear', gte: Buffer.from([0x6b]), lt: Buffer.from([0x6c]) }, /key prefix 0x6b 'k'/],
  ];
  for (const [bad, why] of refusals) {
    await assert.rejects(
      store.applyState([good, bad]),
      (e) => isStorageError(e, StorageErrorCode.ILLEGAL_ARGUMENT) && why.test((e as Error).message),
      JSON.stringify(bad),
    );
  }
  assert.deepEqual(await store.metadata.list('topics'), [], 'nothing written');
  await store.close();
});

test('stateSnapshot in small chunks + applyState(replaceAll on the first) reproduces the state exactly', async () => {
  const master = await openSmall(tmpDir());
  const replica = await openSmall(tmpDir());
  for (let g = 0; g < 20; g++) for (let q = 0; q < 16; q++) await master.metadata.setConsumerOffset(`group-${g}`, `Topic${q % 3}`, q, g * 1000 + q);
  const batch = [];
  for (let i = 0; i < 300; i++) batch.push({ type: 'put' as const, namespace: `ns${i % 5}`, key: `key-${i}`, value: Buffer.alloc(i % 50, i) });
  await master.metadata.batch(batch);
  await replica.metadata.setConsumerOffset('stale-group', 'TopicX', 0, 1);
  await replica.metadata.put('ns9', 'stale', Buffer.from('x'));
  await replica.setLocalMeta('masterStoreId', Buffer.from(master.identity().storeId));
  let chunks = 0;
  const count = await master.stateSnapshot(async (ops) => {
    chunks++;
    assert.ok(ops.every((op) => op.kind === 'put'));
    await replica.applyState(ops, { replaceAll: chunks === 1 });
  }, 1024);
  assert.equal(count, 20 * 16 + 300);
  assert.ok(chunks > 10, `snapshot came in ${chunks} chunks`);
  assert.deepEqual(await stateDump(replica), await stateDump(master));
  assert.deepEqual(await replica.metadata.listConsumerOffsets('stale-group'), []);
  assert.deepEqual(await replica.getLocalMeta('masterStoreId'), Buffer.from(master.identity().storeId), 'local meta is not state');
  assert.notEqual(replica.identity().storeId, master.identity().storeId);
  await master.close();
  await replica.close();
});

test('writes dispatch extensions make inside dispatch batches are not reported as state changes', async () => {
  const ext: DispatchExtension = {
    name: 'timer',
    onDispatch: (req, batch) => batch.put('timer', Buffer.from(req.messageId), Buffer.from('due')),
  };
  const store = await openSmall(tmpDir(), {}, { extensions: [ext] });
  const seen: unknown[] = [];
  store.events.on('stateChanged', (e) => seen.push(e));
  for (let n = 0; n < 5; n++) await store.append(msg(n));
  await store.whenDispatched();
  assert.equal((await store.metadata.list('timer')).length, 5);
  assert.deepEqual(seen, []);
  await store.close();
});
