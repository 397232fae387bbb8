import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyedLock } from '../src/consume/pop-state';
import { decodeReceiptHandle } from '../src/consume/receipt-handle';
import { addGroup, addTopic, createHarness, receive, sendMessages } from './broker-harness';

test('KeyedLock.runExclusive waits for runs in progress and holds later ones back', async () => {
  const lock = new KeyedLock();
  const order: string[] = [];
  let finishA!: () => void;
  const a = lock.run('k1', async () => {
    order.push('a start');
    await new Promise<void>((r) => (finishA = r));
    order.push('a end');
  });
  const exclusive = lock.runExclusive(async () => {
    order.push('exclusive');
  });
  const b = lock.run('k2', async () => {
    order.push('b');
  });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['a start'], 'neither the exclusive work nor a later run may start while a runs');
  finishA();
  await Promise.all([a, exclusive, b]);
  assert.deepEqual(order, ['a start', 'a end', 'exclusive', 'b']);
});

test('a reload during a receive does not invalidate the receipt handles that receive hands out', async () => {
  const h = createHarness();
  await addTopic(h, 'T', 2);
  await addGroup(h, 'G');
  for (let i = 0; i < 10; i++) await sendMessages(h, [{ topic: 'T', id: `m${i}` }]);
  await h.store.whenDispatched();
  // The race, made deterministic: the reload starts while the pop is writing its state.
  const batch = h.store.metadata.batch.bind(h.store.metadata);
  let reloading: Promise<void> | undefined;
  h.store.metadata.batch = (ops) => {
    reloading ??= h.pop.reload();
    return batch(ops);
  };
  const got = await receive(h, 'G', 'T', { max: 4 });
  await reloading;
  assert.ok(reloading, 'the reload ran during the receive');
  assert.equal(got.length, 4);
  for (const p of got) assert.equal(await h.pop.ack('G', 'T', decodeReceiptHandle(p.receiptHandle)), false);
});
