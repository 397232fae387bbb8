/**
 * Our own RocketMQ 4.x remoting client (libs/client/src/remoting) against the built name server
 * and broker: batch sends pulled back in order, transactions (commit, rollback, check-back),
 * orderly queue locks with selector sends, and the ROCKETMQ binary header.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { SimpleConsumer } from 'rocketmq-client-nodejs';
import {
  type MessageQueue,
  RemotingProducer,
  type RemotingProducerConfig,
  RemotingPullConsumer,
  type RemotingPullConsumerConfig,
  type TransactionState,
  keysOf,
  msgIdOf,
  tagsOf,
} from '@orbitmq/client';
import { type MessageExt, RemotingClient, RequestCode, createRequest } from '@orbitmq/remoting';
import { createTopic } from '../support/ali-ons';
import { clientEndpoint, startBroker, startNamesrv } from '../support/cluster';
import { type AppProcess, eventually, grpcAddress, stopAll } from '../support/processes';
import { pullEverything, pullUntil } from '../support/remoting-client';
import { sdkLogger } from '../support/sdk';

/** Half messages are checked 1 s after their send, and again every second. */
const BROKER_EXTRA = ['--transactionTimeOut', '1000', '--transactionCheckInterval', '1000'];

let namesrvAddr: string;
let broker: AppProcess;
const shutdowns: (() => Promise<unknown>)[] = [];

before(async () => {
  const namesrv = await startNamesrv();
  namesrvAddr = grpcAddress(namesrv);
  broker = await startBroker(namesrvAddr, { extra: BROKER_EXTRA });
});

after(async () => {
  for (const s of shutdowns.reverse()) await s().catch(() => undefined);
  await stopAll();
});

function remotingAddr(): string {
  return `127.0.0.1:${String(broker.ready.internalPort)}`;
}

function producer(group: string, extra: Partial<RemotingProducerConfig> = {}): RemotingProducer {
  const p = new RemotingProducer({ namesrvAddr, group, ...extra });
  shutdowns.push(() => p.close());
  return p;
}

function consumer(group: string, topic: string, extra: Partial<RemotingPullConsumerConfig> = {}): RemotingPullConsumer {
  const c = new RemotingPullConsumer({ namesrvAddr, group, subscriptions: [{ topic, expression: '*' }], ...extra });
  shutdowns.push(() => c.close());
  return c;
}

const bodyOf = (m: MessageExt): string => m.body.toString('utf8');

test('batch: 100 messages in 4 batches pulled back in order per queue, bodies, tags, keys and ids as returned; offsets', async () => {
  const topic = 'RcBatch';
  await createTopic(namesrvAddr, topic, 4);
  const p = producer('RcBatchProducer');
  const sent: { body: string; tag: string; key: string; msgId: string; offsetMsgId: string; queueId: number; queueOffset: number }[] = [];
  for (let b = 0; b < 4; b++) {
    const msgs = Array.from({ length: 25 }, (_, i) => ({ topic, body: `batch-${b}-${i}`, tags: `Tag${i % 3}`, keys: [`k${b}-${i}`] }));
    const r = await p.sendBatch(msgs);
    assert.equal(r.status, 'SEND_OK');
    assert.equal(r.offsetMsgIds.length, 25);
    msgs.forEach((m, i) =>
      sent.push({
        body: m.body,
        tag: m.tags,
        key: m.keys[0] as string,
        msgId: r.msgIds[i] as string,
        offsetMsgId: r.offsetMsgIds[i] as string,
        queueId: r.queueId,
        queueOffset: r.queueOffset + i,
      }),
    );
  }
  assert.equal(new Set(sent.map((s) => s.queueId)).size, 4, 'round-robin: one batch per queue');

  const c = consumer('RcBatchGroup', topic);
  await c.start();
  for (const mq of await c.routes.readQueues(topic)) {
    const want = sent.filter((s) => s.queueId === mq.queueId);
    const got = await pullUntil(c, mq, 0, want.length);
    assert.deepEqual(
      got.map((m) => [bodyOf(m), tagsOf(m), keysOf(m), msgIdOf(m), m.offsetMsgId, m.queueId, m.queueOffset]),
      want.map((s) => [s.body, s.tag, [s.key], s.msgId, s.offsetMsgId, s.queueId, s.queueOffset]),
      `queue ${mq.queueId} in send order`,
    );
    assert.equal(await c.maxOffset(mq), want.length);
    assert.equal(await c.minOffset(mq), 0);
    assert.equal(await c.searchOffset(mq, 0), 0);
    await c.updateOffset(mq, want.length - 5);
    assert.equal(await c.queryOffset(mq), want.length - 5);
    const tail = await c.pull(mq, want.length, 32);
    assert.equal(tail.status, 'NO_NEW_MSG');
  }
  assert.ok((await c.consumerIds()).includes(c.clientId), 'the heartbeat made the consumer a member');
});

test('binary header: ROCKETMQ-serialized requests are answered in kind, and send and pull work', async () => {
  const topic = 'RcBinary';
  await createTopic(namesrvAddr, topic, 2);
  const raw = new RemotingClient();
  try {
    const req = createRequest(RequestCode.GET_MAX_OFFSET, { topic, queueId: '0' }, undefined, { serializeType: 'ROCKETMQ' });
    const res = await raw.invoke(remotingAddr(), req, 5_000);
    assert.equal(res.code, 0, res.remark);
    assert.equal(res.serializeType, 'ROCKETMQ', 'the broker mirrors the header encoding');
  } finally {
    await raw.close();
  }
  const p = producer('RcBinaryProducer', { serializeType: 'ROCKETMQ' });
  const c = consumer('RcBinaryGroup', topic, { serializeType: 'ROCKETMQ' });
  const one = await p.send({ topic, body: 'binary-one', tags: 'Bin', keys: 'kb', properties: { p1: 'v1' } });
  const batch = await p.sendBatch(
    [1, 2, 3].map((i) => ({ topic, body: `binary-batch-${i}` })),
    { queue: one.messageQueue },
  );
  const got = await pullUntil(c, one.messageQueue, one.queueOffset, 4);
  assert.deepEqual(got.map(bodyOf), ['binary-one', 'binary-batch-1', 'binary-batch-2', 'binary-batch-3']);
  assert.equal(got[0]?.properties.get('p1'), 'v1');
  assert.deepEqual(got.map(msgIdOf), [one.msgId, ...batch.msgIds]);
  await c.updateOffset(one.messageQueue, batch.queueOffset + 3);
  assert.equal(await c.queryOffset(one.messageQueue), batch.queueOffset + 3);
});

test('transactions: commit is consumable (4.x pull and v5 SimpleConsumer), rollback never, UNKNOWN is committed by the check-back', async () => {
  const topic = 'RcTx';
  await createTopic(namesrvAddr, topic, 4);
  const v5 = new SimpleConsumer({
    namespace: '',
    logger: sdkLogger('RcTxV5'),
    consumerGroup: 'RcTxV5',
    endpoints: clientEndpoint(broker),
    subscriptions: new Map([[topic, '*']]),
    awaitDuration: 1_000,
  });
  await v5.startup();
  shutdowns.push(() => v5.shutdown());

  const checked: string[] = [];
  const decisions = new Map<string, TransactionState>([['tx-unknown', 'COMMIT']]);
  const p = producer('RcTxProducer', {
    checkListener: (m) => {
      checked.push(bodyOf(m));
      return decisions.get(bodyOf(m)) ?? 'UNKNOWN';
    },
  });
  const commit = await p.sendMessageInTransaction({ topic, body: 'tx-commit', tags: 'TX', keys: 'kc' }, () => 'COMMIT');
  const rollback = await p.sendMessageInTransaction({ topic, body: 'tx-rollback' }, () => 'ROLLBACK');
  const checkedBack = once(p, 'transactionCheck');
  const unknown = await p.sendMessageInTransaction({ topic, body: 'tx-unknown' }, () => 'UNKNOWN');
  assert.deepEqual([commit.state, rollback.state, unknown.state], ['COMMIT', 'ROLLBACK', 'UNKNOWN']);
  assert.match(commit.sendResult.transactionId ?? '', /^[0-9A-F]{16}$/i, 'the broker names the half in transactionId');

  const [checkedMsg, answer] = (await checkedBack) as [MessageExt, TransactionState];
  assert.equal(bodyOf(checkedMsg), 'tx-unknown');
  assert.equal(msgIdOf(checkedMsg), unknown.sendResult.msgId, 'the half message as MessageExt, with its UNIQ_KEY');
  assert.equal(checkedMsg.properties.get('TRAN_MSG'), 'true');
  assert.equal(answer, 'COMMIT');

  const c = consumer('RcTxGroup', topic);
  const queues = await c.routes.readQueues(topic);
  // Both committed messages reach the topic; the rolled-back one never does (only 2 records in all).
  await eventually(
    'two committed messages in the topic',
    async () => ((await Promise.all(queues.map((q) => c.maxOffset(q)))).reduce((a, b) => a + b, 0) >= 2 ? true : undefined),
    20_000,
    200,
  );
  const got = await pullEverything(c, queues);
  assert.deepEqual(got.map(bodyOf).sort(), ['tx-commit', 'tx-unknown']);
  const committed = got.find((m) => bodyOf(m) === 'tx-commit') as MessageExt;
  assert.equal(msgIdOf(committed), commit.sendResult.msgId);
  assert.equal(tagsOf(committed), 'TX');
  assert.deepEqual(keysOf(committed), ['kc']);
  assert.ok(!checked.includes('tx-commit') && !checked.includes('tx-rollback'), 'resolved halves are not checked');

  const seen = new Map<string, string>();
  await eventually(
    'the v5 consumer to receive both committed messages',
    async () => {
      for (const m of await v5.receive(16, 10_000)) {
        seen.set(m.body.toString(), m.messageId);
        await v5.ack(m);
      }
      return seen.size >= 2 ? true : undefined;
    },
    30_000,
  );
  assert.deepEqual([...seen.keys()].sort(), ['tx-commit', 'tx-unknown']);
  assert.equal(seen.get('tx-commit'), commit.sendResult.msgId, 'v5 sees the UNIQ_KEY as the message id');
});

function queueFor(queues: readonly MessageQueue[], id: number): MessageQueue {
  return queues.find((q) => q.queueId === id) as MessageQueue;
}

test('orderly: two consumers lock disjoint queues, a held queue is refused until unlocked or its holder leaves; selector sends in order', async () => {
  const topic = 'RcOrder';
  const group = 'RcOrderGroup';
  await createTopic(namesrvAddr, topic, 4);
  const a = consumer(group, topic);
  const b = consumer(group, topic);
  await a.start();
  await b.start();
  assert.deepEqual((await a.consumerIds()).sort(), [a.clientId, b.clientId].sort());
  const qs = await a.routes.readQueues(topic);
  const [q0, q1, q2, q3] = [0, 1, 2, 3].map((i) => queueFor(qs, i));
  assert.deepEqual(await a.lockBatch([q0, q1] as MessageQueue[]), [q0, q1]);
  assert.deepEqual(await b.lockBatch([q2, q3] as MessageQueue[]), [q2, q3]);
  assert.deepEqual(await b.lockBatch([q0, q1] as MessageQueue[]), [], "A's queues are refused to B");
  assert.deepEqual(await a.lockBatch([q0, q2] as MessageQueue[]), [q0], 'A keeps (renews) its own, gets none of B');
  await a.unlockBatch([q0] as MessageQueue[]);
  assert.deepEqual(await b.lockBatch([q0] as MessageQueue[]), [q0], 'unlocked by A: B may take it');
  await a.close();
  assert.deepEqual(await b.lockBatch([q1] as MessageQueue[]), [q1], 'A left the group: its locks went with it');

  const p = producer('RcOrderProducer');
  const selector = (queues: readonly MessageQueue[], _m: unknown, arg: unknown) => queues[Number(arg) % queues.length] as MessageQueue;
  const sent = new Map<number, string[]>();
  for (let i = 0; i < 40; i++) {
    const order = i % 5;
    const body = `order-${order}-step-${Math.floor(i / 5)}`;
    const r = await p.send({ topic, body, keys: `order-${order}` }, { queueSelector: selector, arg: order });
    assert.equal(r.queueId, order % 4, 'the same key goes to the same queue');
    sent.set(r.queueId, [...(sent.get(r.queueId) ?? []), body]);
  }
  for (const [queueId, bodies] of sent) {
    const got = await pullUntil(b, queueFor(qs, queueId), 0, bodies.length);
    assert.deepEqual(got.map(bodyOf), bodies, `queue ${queueId} in send order`);
  }
});
