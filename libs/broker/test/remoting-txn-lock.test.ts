/**
 * remoting/: END_TRANSACTION (37) and CHECK_TRANSACTION_STATE (39) over a real loopback
 * connection, LOCK/UNLOCK_BATCH_MQ (41/42), CHECK_CLIENT_CONFIG (46), VIEW_MESSAGE_BY_ID (33) and
 * the admin query by offsetMsgId, over the in-memory store harness.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  type RemotingCommand,
  RemotingClient,
  createRequest,
  decodeMessageExts,
  decodeOffsetMsgId,
  encodeProperties as encodeClassic,
} from '@orbitmq/remoting';
import { BrokerAdminApi } from '../src/admin';
import { ClientRegistry } from '../src/clients';
import { LongPollHub } from '../src/consume';
import { OP_TAG_ROLLBACK, OP_TOPIC } from '../src/message';
import { BrokerRemoting, QueueLocks } from '../src/remoting';
import { processCheckClientConfig } from '../src/remoting/client-processor';
import { processLockBatch, processUnlockBatch } from '../src/remoting/lock-processor';
import { processViewMessageById } from '../src/remoting/view-processor';
import { TransactionChecker, TransactionService } from '../src/transaction';
import {
  type Harness,
  STORE_HOST,
  addGroup,
  addTopic,
  createHarness,
  idsOf,
  queueRecords,
  receive,
  testFilters,
  topicRecords,
  waitFor,
} from './broker-harness';

const TIMEOUT_MS = 6_000;
const INTERNAL_ENDPOINT = '127.0.0.1:10911';

interface Wire {
  h: Harness;
  txns: TransactionService;
  outcomes: string[];
  remoting: BrokerRemoting;
  client: RemotingClient;
  addr: string;
  /** Requests the broker sent to the client (39, 40). */
  fromBroker: RemotingCommand[];
  close(): Promise<void>;
}

/** A broker's remoting server on a loopback port, a 4.x client connected to it, topic Txn (2 queues), group G. */
async function wire(): Promise<Wire> {
  const h = createHarness({ transactionTimeoutMs: TIMEOUT_MS });
  await h.indexes.transactions.load(h.store.metadata);
  await addTopic(h, 'Txn', 2, 'TRANSACTION');
  await addGroup(h, 'G');
  const outcomes: string[] = [];
  const txns = new TransactionService(h.store, h.topics, (outcome, half) => outcomes.push(`${outcome} ${half.messageId}`));
  const remoting = new BrokerRemoting({
    send: h.send,
    store: h.store,
    topics: h.topics,
    groups: h.groups,
    hub: new LongPollHub(100),
    filters: testFilters(),
    transactions: txns,
    internalEndpoint: INTERNAL_ENDPOINT,
    delayLevelsMs: [1000, 5000],
    writable: true,
  });
  const port = await remoting.server.listen(0, '127.0.0.1');
  const fromBroker: RemotingCommand[] = [];
  const client = new RemotingClient({ handler: (cmd) => void fromBroker.push(cmd) });
  const close = async () => {
    await client.close();
    await remoting.stop();
  };
  return { h, txns, outcomes, remoting, client, addr: `127.0.0.1:${port}`, fromBroker, close };
}

async function call(w: Wire, code: number, fields: Record<string, string>, body?: Buffer): Promise<RemotingCommand> {
  return w.client.invoke(w.addr, createRequest(code, fields, body), 3_000);
}

/** A 4.x producer of group PG (heartbeat) sends half message `id`; returns the send response's header. */
async function sendHalf(w: Wire, id: string): Promise<Record<string, string>> {
  const hb = await call(w, 34, {}, Buffer.from(JSON.stringify({ clientID: 'P1', producerDataSet: [{ groupName: 'PG' }] })));
  assert.equal(hb.code, 0, hb.remark);
  const properties = encodeClassic({ TRAN_MSG: 'true', PGROUP: 'PG', UNIQ_KEY: id, TAGS: 'pay' });
  const sent = await call(w, 310, { a: 'PG', b: 'Txn', e: '1', i: properties }, Buffer.from(`debit ${id}`));
  assert.equal(sent.code, 0, sent.remark);
  return sent.extFields;
}

/** END_TRANSACTION as DefaultMQProducerImpl.endTransaction fills it. */
function endFields(sent: Record<string, string>, id: string, state: number, over: Record<string, string> = {}): Record<string, string> {
  return {
    topic: 'Txn',
    producerGroup: 'PG',
    tranStateTableOffset: sent.queueOffset ?? '',
    commitLogOffset: String(decodeOffsetMsgId(sent.msgId ?? '').commitLogOffset),
    commitOrRollback: String(state),
    fromTransactionCheck: 'false',
    msgId: id,
    transactionId: sent.transactionId ?? '',
    ...over,
  };
}

test('END_TRANSACTION commit (oneway): the message reaches 4.x pull consumers and v5 consumers once', async () => {
  const w = await wire();
  try {
    const sent = await sendHalf(w, 'U1');
    assert.match(sent.transactionId ?? '', /^[0-9A-F]{16}$/);
    assert.deepEqual(await topicRecords(w.h.store, 'Txn', 2), [], 'a half message is invisible');
    await w.client.invokeOneway(w.addr, createRequest(37, endFields(sent, 'U1', 8)));
    await waitFor(() => w.outcomes.length === 1, 'the commit');
    assert.deepEqual(w.outcomes, ['commit U1']);
    assert.equal(w.h.indexes.transactions.pending(), 0);
    const pulled: string[] = [];
    for (const queueId of ['0', '1']) {
      const pull = await call(w, 11, { consumerGroup: 'G', topic: 'Txn', queueId, queueOffset: '0', maxMsgNums: '32', sysFlag: '0', subscription: '*' });
      if (pull.code === 0) for (const m of decodeMessageExts(pull.body ?? Buffer.alloc(0))) pulled.push(`${m.properties.get('UNIQ_KEY')} ${m.body.toString()}`);
    }
    assert.deepEqual(pulled, ['U1 debit U1'], 'a 4.x pull consumer gets it');
    assert.deepEqual(idsOf(await receive(w.h, 'G', 'Txn')), ['U1'], 'so does a v5 consumer');
    const again = await call(w, 37, endFields(sent, 'U1', 8));
    assert.notEqual(again.code, 0, 'a second END_TRANSACTION is refused');
    assert.match(again.remark ?? '', /INVALID_TRANSACTION_ID/);
    assert.equal((await topicRecords(w.h.store, 'Txn', 2)).length, 1);
  } finally {
    await w.close();
  }
});

test('END_TRANSACTION rollback is never delivered; unknown (0) and mismatched requests leave the half pending', async () => {
  const w = await wire();
  try {
    const sent = await sendHalf(w, 'U2');
    const unknown = await call(w, 37, endFields(sent, 'U2', 0));
    assert.equal(unknown.code, 0);
    assert.match(unknown.remark ?? '', /waits for its check/);
    const wrongGroup = await call(w, 37, endFields(sent, 'U2', 8, { producerGroup: 'other' }));
    assert.match(wrongGroup.remark ?? '', /producer group other/);
    const wrongTable = await call(w, 37, endFields(sent, 'U2', 8, { tranStateTableOffset: '99' }));
    assert.match(wrongTable.remark ?? '', /tranStateTableOffset 99/);
    const wrongOffset = await call(w, 37, endFields(sent, 'U2', 8, { commitLogOffset: '1' }));
    assert.notEqual(wrongOffset.code, 0);
    assert.equal(w.h.indexes.transactions.pending(), 1, 'still pending after all of those');
    const rolled = await call(w, 37, endFields(sent, 'U2', 12));
    assert.equal(rolled.code, 0, rolled.remark);
    assert.deepEqual(w.outcomes, ['rollback U2']);
    assert.deepEqual(
      (await queueRecords(w.h.store, OP_TOPIC)).map((r) => [r.messageId, r.tag]),
      [['U2', OP_TAG_ROLLBACK]],
    );
    assert.deepEqual(await topicRecords(w.h.store, 'Txn', 2), []);
    assert.deepEqual(await receive(w.h, 'G', 'Txn'), []);
  } finally {
    await w.close();
  }
});

test('CHECK_TRANSACTION_STATE goes to the 4.x producer group over its connection; its answer ends the half', async () => {
  const w = await wire();
  try {
    const sent = await sendHalf(w, 'U3');
    const checked: [string, boolean][] = [];
    const observer = { checked: (topic: string, s: boolean) => void checked.push([topic, s]), discarded: () => undefined, error: (e: Error) => assert.fail(e) };
    const settings = { transactionTimeoutMs: TIMEOUT_MS, checkIntervalMs: 2_000, checkMax: 3, storeHost: STORE_HOST };
    const checker = new TransactionChecker(w.h.store, w.txns, new ClientRegistry(60_000), settings, observer, w.h.clock.now, (half, record, offset) =>
      w.remoting.checkTransaction(half, record, offset),
    );
    await checker.sweep();
    assert.deepEqual(checked, [], 'not due before transactionTimeout');
    w.h.clock.advance(TIMEOUT_MS + 1);
    await checker.sweep();
    assert.deepEqual(checked, [['Txn', true]]);
    await waitFor(() => w.fromBroker.length === 1, 'the check-back');
    const check = w.fromBroker[0] as RemotingCommand;
    const h: Record<string, string> = { ...check.extFields };
    assert.equal(check.code, 39);
    assert.equal(check.flag & 2, 2, 'oneway');
    const halfOffset = String(decodeOffsetMsgId(sent.msgId ?? '').commitLogOffset);
    assert.deepEqual(check.extFields, {
      topic: 'Txn',
      tranStateTableOffset: sent.queueOffset,
      commitLogOffset: halfOffset,
      msgId: 'U3',
      transactionId: sent.transactionId,
      offsetMsgId: sent.msgId,
    });
    const [ext] = decodeMessageExts(check.body ?? Buffer.alloc(0));
    assert.equal(ext?.topic, 'Txn', 'the real topic');
    assert.equal(ext?.offsetMsgId, sent.msgId);
    assert.equal(ext?.body.toString(), 'debit U3');
    assert.deepEqual([ext?.properties.get('TRAN_MSG'), ext?.properties.get('PGROUP'), ext?.properties.get('UNIQ_KEY')], ['true', 'PG', 'U3']);
    // The producer's answer, as DefaultMQProducerImpl.processTransactionState fills it.
    const answer = { ...h, producerGroup: 'PG', commitOrRollback: '8', fromTransactionCheck: 'true', msgId: 'U3' };
    await w.client.invokeOneway(w.addr, createRequest(37, answer));
    await waitFor(() => w.outcomes.length === 1, 'the commit from the check');
    assert.deepEqual(idsOf(await receive(w.h, 'G', 'Txn')), ['U3']);

    await sendHalf(w, 'U4');
    await w.client.close(); // the producer is gone: the check is counted, not sent
    await waitFor(() => w.remoting.clients.producerConnections('PG').length === 0, 'the connection to close');
    w.h.clock.advance(TIMEOUT_MS + 1);
    await checker.sweep();
    assert.deepEqual(checked.at(-1), ['Txn', false]);
  } finally {
    await w.close();
  }
});

test('queue locks: granted when free, own or expired; refused while another client holds them; unlocked by the holder only', () => {
  let nowMs = 1_000_000;
  const locks = new QueueLocks(() => nowMs);
  const q = (queueId: number) => ({ topic: 'T', brokerName: 'b', queueId });
  assert.deepEqual(locks.tryLockBatch('G', 'A', [q(0), q(1)]), [q(0), q(1)]);
  assert.deepEqual(locks.tryLockBatch('G', 'B', [q(1), q(2)]), [q(2)], "q1 is A's");
  assert.deepEqual(locks.tryLockBatch('H', 'B', [q(1)]), [q(1)], 'locks are per group');
  nowMs += 59_000;
  assert.deepEqual(locks.tryLockBatch('G', 'A', [q(0)]), [q(0)], 'renewed');
  nowMs += 2_000;
  assert.deepEqual(locks.tryLockBatch('G', 'B', [q(0), q(1)]), [q(1)], 'q1 expired 60 s after its last lock; q0 was renewed');
  assert.equal(locks.unlockBatch('G', 'A', [q(1)]), 0, 'A no longer holds q1');
  assert.equal(locks.holder('G', q(1)), 'B');
  assert.equal(locks.unlockBatch('G', 'B', [q(1)]), 1);
  assert.deepEqual(locks.tryLockBatch('G', 'A', [q(1)]), [q(1)]);
  assert.equal(locks.releaseClient('G', 'A'), 2);
  nowMs += 61_000;
  assert.equal(locks.expire(), 2, "B's q2 in G and q1 in H");
  assert.equal(locks.size, 0);
  const full = new QueueLocks(() => nowMs, { lockTtlMs: 60_000, maxLockedQueues: 2 });
  assert.deepEqual(full.tryLockBatch('G', 'A', [q(0), q(1), q(2)]), [q(0), q(1)], 'bounded');
});

test('LOCK_BATCH_MQ / UNLOCK_BATCH_MQ bodies; a member leaving its group releases its locks', async () => {
  const w = await wire();
  try {
    const body = (clientId: string, queueIds: number[]) =>
      Buffer.from(
        JSON.stringify({ consumerGroup: 'G', clientId, onlyThisBroker: false, mqSet: queueIds.map((queueId) => ({ topic: 'Txn', brokerName: 'b', queueId })) }),
      );
    const lockA = await call(w, 41, {}, body('A', [0, 1]));
    assert.equal(lockA.code, 0, lockA.remark);
    assert.deepEqual(JSON.parse(lockA.body?.toString() ?? ''), {
      lockOKMQSet: [
        { topic: 'Txn', brokerName: 'b', queueId: 0 },
        { topic: 'Txn', brokerName: 'b', queueId: 1 },
      ],
    });
    const lockB = await call(w, 41, {}, body('B', [1]));
    assert.deepEqual(JSON.parse(lockB.body?.toString() ?? ''), { lockOKMQSet: [] });
    assert.equal((await call(w, 42, {}, body('A', [1]))).code, 0);
    assert.deepEqual(JSON.parse((await call(w, 41, {}, body('B', [1]))).body?.toString() ?? ''), {
      lockOKMQSet: [{ topic: 'Txn', brokerName: 'b', queueId: 1 }],
    });
    const noClient = await call(w, 41, {}, Buffer.from(JSON.stringify({ consumerGroup: 'G', mqSet: [] })));
    assert.notEqual(noClient.code, 0);
    const tooMany = await call(
      w,
      41,
      {},
      body(
        'A',
        Array.from({ length: 3000 }, (_, i) => i % 100),
      ),
    );
    assert.match(tooMany.remark ?? '', /3000 queues, limit/);
    assert.notEqual(processLockBatch(w.remoting.locks, createRequest(41, {}, Buffer.from('nope'))).code, 0);
    assert.notEqual(processUnlockBatch(w.remoting.locks, createRequest(42)).code, 0);
    // B heartbeats as a member of G, then unregisters: q1 is free for A at once.
    const hb = { clientID: 'B', consumerDataSet: [{ groupName: 'G', messageModel: 'CLUSTERING', subscriptionDataSet: [{ topic: 'Txn', subString: '*' }] }] };
    assert.equal((await call(w, 34, {}, Buffer.from(JSON.stringify(hb)))).code, 0);
    assert.equal((await call(w, 35, { clientID: 'B', consumerGroup: 'G' })).code, 0);
    assert.deepEqual(JSON.parse((await call(w, 41, {}, body('A', [1]))).body?.toString() ?? ''), {
      lockOKMQSet: [{ topic: 'Txn', brokerName: 'b', queueId: 1 }],
    });
  } finally {
    await w.close();
  }
});

test('CHECK_CLIENT_CONFIG: tags and valid SQL92 pass; bad SQL92 is 23 with the parser message; SQL92 off is 1', () => {
  const check = (subscriptionData: object | null, filters = testFilters()) =>
    processCheckClientConfig(filters, createRequest(46, {}, Buffer.from(JSON.stringify({ clientId: 'C', group: 'G', subscriptionData }))));
  assert.equal(check({ topic: 'T', subString: 'TagA || TagB', expressionType: 'TAG' }).code, 0);
  assert.equal(check({ topic: 'T', subString: '*' }).code, 0, 'no type = TAG');
  assert.equal(check(null).code, 0);
  assert.equal(check({ topic: 'T', subString: "a > 1 AND b = 'x'", expressionType: 'SQL92' }).code, 0);
  const bad = check({ topic: 'T', subString: 'a > AND', expressionType: 'SQL92' });
  assert.equal(bad.code, 23);
  assert.ok((bad.remark ?? '').length > 0);
  assert.equal(check({ topic: 'T', subString: '||', expressionType: 'TAG' }).code, 23);
  assert.equal(check({ topic: 'T', subString: 'x', expressionType: 'GROOVY' }).code, 23);
  const off = check({ topic: 'T', subString: 'a > 1', expressionType: 'SQL92' }, testFilters({ enablePropertyFilter: false }));
  assert.equal(off.code, 1);
  assert.match(off.remark ?? '', /enablePropertyFilter/);
  assert.notEqual(processCheckClientConfig(testFilters(), createRequest(46)).code, 0, 'no body');
});

test('VIEW_MESSAGE_BY_ID by commit-log offset; a bad offset is SYSTEM_ERROR; the admin query resolves offsetMsgIds of this broker', async () => {
  const w = await wire();
  try {
    await addTopic(w.h, 'Plain');
    const sent = await call(w, 310, { a: 'PG', b: 'Plain', e: '0', i: encodeClassic({ UNIQ_KEY: 'V1', KEYS: 'k1' }) }, Buffer.from('hello'));
    assert.equal(sent.code, 0, sent.remark);
    const offset = decodeOffsetMsgId(sent.extFields.msgId ?? '').commitLogOffset;
    const view = await call(w, 33, { offset: String(offset) });
    assert.equal(view.code, 0, view.remark);
    const [ext] = decodeMessageExts(view.body ?? Buffer.alloc(0));
    assert.deepEqual([ext?.topic, ext?.offsetMsgId, ext?.properties.get('UNIQ_KEY'), ext?.body.toString()], ['Plain', sent.extFields.msgId, 'V1', 'hello']);
    const missing = await processViewMessageById({ store: w.h.store, storeHost: w.remoting.storeHost }, createRequest(33, { offset: '123456789' }));
    assert.equal(missing.code, 1);
    assert.match(missing.remark ?? '', /can not find message by the offset, 123456789/);
    assert.notEqual((await call(w, 33, { offset: '-1' })).code, 0);

    const h = w.h;
    const admin = new BrokerAdminApi({
      store: h.store,
      indexes: h.indexes,
      topics: h.topics,
      groups: h.groups,
      pop: h.pop,
      clients: new ClientRegistry(60_000),
      hub: new LongPollHub(10),
      transactions: w.txns,
      logOffsetOfMessageId: (id) => w.remoting.logOffsetOf(id),
    });
    const byOffset = await admin.queryMessages({ messageId: sent.extFields.msgId });
    assert.deepEqual(
      byOffset.map((m) => [m.messageId, m.commitLogOffset]),
      [['V1', Number(offset)]],
    );
    assert.equal(w.remoting.logOffsetOf('7F00000200002A9F0000000000000000'), undefined, 'another broker (127.0.0.2) owns that id');
    assert.equal(w.remoting.logOffsetOf('not-hex'), undefined);
    const byId = await admin.queryMessages({ messageId: 'V1' });
    assert.deepEqual(
      byId.map((m) => m.messageId),
      ['V1'],
      'other ids use the message-id index',
    );
  } finally {
    await w.close();
  }
});
