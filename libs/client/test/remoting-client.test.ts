import { after, before, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  type RemotingCommand,
  type RemotingConnection,
  RemotingServer,
  RequestCode,
  createOffsetMsgId,
  createRequest,
  createResponse,
  decodeBatch,
  decodeProperties,
  encodeMessageExts,
  encodeProperties,
  hostAddress,
} from '@orbitmq/remoting';
import { RemotingProducer, RemotingPullConsumer, RemotingResponseError, type TransactionState } from '../src';

/** A fake broker + name server on one loopback port: records requests, answers like OrbitMQ's broker. */
const seen: RemotingCommand[] = [];
const waiters: { code: number; resolve: (c: RemotingCommand) => void }[] = [];
const server = new RemotingServer({ responseSerializeType: 'mirror' });
let addr = '';
let port = 0;
let queueOffset = 0;
const producerConns: RemotingConnection[] = [];

function record(cmd: RemotingCommand): void {
  seen.push(cmd);
  for (const w of waiters.splice(0))
    if (w.code === cmd.code) w.resolve(cmd);
    else waiters.push(w);
}

function nextRequest(code: number): Promise<RemotingCommand> {
  const found = seen.find((c) => c.code === code);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => waiters.push({ code, resolve }));
}

const ok = (cmd: RemotingCommand, ext: Record<string, string> = {}, body?: Buffer) => createResponse(cmd, 0, undefined, ext, body);

function routeBody(): Buffer {
  return Buffer.from(
    JSON.stringify({
      queueDatas: [{ brokerName: 'b1', readQueueNums: 4, writeQueueNums: 4, perm: 6 }],
      brokerDatas: [{ cluster: 'C', brokerName: 'b1', brokerAddrs: { '0': addr } }],
    }),
  );
}

before(async () => {
  server.registerDefaultProcessor((cmd) => {
    record(cmd);
    return ok(cmd);
  });
  server.registerProcessor(RequestCode.GET_ROUTEINFO_BY_TOPIC, (cmd) => (record(cmd), ok(cmd, {}, routeBody())));
  server.registerProcessor(RequestCode.HEART_BEAT, (cmd, conn) => {
    record(cmd);
    if ((JSON.parse(String(cmd.body)) as { producerDataSet: unknown[] }).producerDataSet.length > 0) producerConns.push(conn);
    return ok(cmd);
  });
  const send = (cmd: RemotingCommand, n: number) => {
    record(cmd);
    const ids = Array.from({ length: n }, (_, i) => createOffsetMsgId('127.0.0.1', port, 1000 + queueOffset + i));
    const ext: Record<string, string> = { msgId: ids.join(','), queueId: cmd.extFields.e ?? '0', queueOffset: String(queueOffset) };
    if (decodeProperties(cmd.extFields.i ?? '').get('TRAN_MSG') === 'true') ext.transactionId = '00000000000003E8';
    queueOffset += n;
    return ok(cmd, ext);
  };
  server.registerProcessor(RequestCode.SEND_MESSAGE_V2, (cmd) => send(cmd, 1));
  server.registerProcessor(RequestCode.SEND_BATCH_MESSAGE, (cmd) => send(cmd, decodeBatch(cmd.body ?? Buffer.alloc(0)).length));
  port = await server.listen(0, '127.0.0.1');
  addr = `127.0.0.1:${port}`;
});

after(() => server.close());
beforeEach(() => {
  seen.length = 0;
});

test('send: SEND_MESSAGE_V2 header letters a..n, properties with TAGS, KEYS, UNIQ_KEY, DELAY and user ones; heartbeat first', async () => {
  const p = new RemotingProducer({ namesrvAddr: addr, group: 'PG' });
  try {
    const r = await p.send({ topic: 'T', body: 'hello', tags: 'TagA', keys: ['k1', 'k2'], properties: { color: 'red' }, delayLevel: 3, flag: 7 });
    const hb = JSON.parse(String((await nextRequest(RequestCode.HEART_BEAT)).body)) as Record<string, unknown>;
    assert.equal(hb.clientID, p.clientId);
    assert.match(p.clientId, /^[\d.]+@\d+#[0-9a-f]+$/);
    assert.deepEqual(hb.producerDataSet, [{ groupName: 'PG' }]);
    const cmd = await nextRequest(RequestCode.SEND_MESSAGE_V2);
    assert.ok(seen.indexOf(cmd) > seen.findIndex((c) => c.code === RequestCode.HEART_BEAT), 'heartbeat before the send');
    const h = cmd.extFields;
    assert.deepEqual(
      { a: h.a, b: h.b, c: h.c, d: h.d, f: h.f, h: h.h, j: h.j, k: h.k, m: h.m, n: h.n },
      { a: 'PG', b: 'T', c: 'TBW102', d: '4', f: '0', h: '7', j: '0', k: 'false', m: 'false', n: 'b1' },
    );
    assert.match(h.e ?? '', /^[0-3]$/);
    assert.ok(Math.abs(Number(h.g) - Date.now()) < 60_000);
    const props = decodeProperties(h.i ?? '');
    assert.equal(props.get('TAGS'), 'TagA');
    assert.equal(props.get('KEYS'), 'k1 k2');
    assert.equal(props.get('DELAY'), '3');
    assert.equal(props.get('color'), 'red');
    assert.match(props.get('UNIQ_KEY') ?? '', /^[0-9A-F]{32}$/);
    assert.equal(String(cmd.body), 'hello');
    assert.equal(r.msgId, props.get('UNIQ_KEY'));
    assert.equal(r.offsetMsgId, createOffsetMsgId('127.0.0.1', port, 1000 + r.queueOffset));
    assert.equal(r.status, 'SEND_OK');
    assert.equal(r.queueId, Number(h.e));
  } finally {
    await p.close();
  }
  const unreg = await nextRequest(RequestCode.UNREGISTER_CLIENT);
  assert.equal(unreg.extFields.producerGroup, 'PG');
});

test('sends go round-robin over the queues; a queueSelector picks the queue', async () => {
  const p = new RemotingProducer({ namesrvAddr: addr, group: 'PG' });
  try {
    for (let i = 0; i < 8; i++) await p.send({ topic: 'T', body: String(i) });
    const ids = seen.filter((c) => c.code === RequestCode.SEND_MESSAGE_V2).map((c) => Number(c.extFields.e));
    for (let i = 1; i < 8; i++) assert.equal(ids[i], ((ids[0] as number) + i) % 4);
    const r = await p.send({ topic: 'T', body: 'x' }, { queueSelector: (qs, _m, arg) => qs[Number(arg) % qs.length]!, arg: 6 });
    assert.equal(r.queueId, 2);
  } finally {
    await p.close();
  }
});

test('sendBatch: SEND_BATCH_MESSAGE body from encodeBatch, m=true, one UNIQ_KEY per message, msgIds split', async () => {
  const p = new RemotingProducer({ namesrvAddr: addr, group: 'PG', serializeType: 'ROCKETMQ' });
  try {
    const msgs = Array.from({ length: 5 }, (_, i) => ({ topic: 'T', body: `b${i}`, tags: 'TB', keys: `key${i}` }));
    const r = await p.sendBatch(msgs);
    const cmd = await nextRequest(RequestCode.SEND_BATCH_MESSAGE);
    assert.equal(cmd.serializeType, 'ROCKETMQ', 'binary header as configured');
    assert.equal(cmd.extFields.m, 'true');
    const decoded = decodeBatch(cmd.body ?? Buffer.alloc(0));
    assert.deepEqual(
      decoded.map((d) => [String(d.body), d.properties.get('TAGS'), d.properties.get('KEYS'), d.properties.get('UNIQ_KEY')]),
      msgs.map((m, i) => [m.body, 'TB', m.keys, r.msgIds[i]]),
    );
    assert.equal(r.offsetMsgIds.length, 5);
    assert.equal(r.offsetMsgIds[4], createOffsetMsgId('127.0.0.1', port, 1000 + r.queueOffset + 4));
  } finally {
    await p.close();
  }
});

test('transaction: half message (TRAN_MSG, PGROUP, sysFlag 4), then END_TRANSACTION with the decoded commit-log offset', async () => {
  const p = new RemotingProducer({ namesrvAddr: addr, group: 'TXG' });
  try {
    const { sendResult, state } = await p.sendMessageInTransaction({ topic: 'T', body: 'tx' }, () => 'COMMIT');
    assert.equal(state, 'COMMIT');
    const send = await nextRequest(RequestCode.SEND_MESSAGE_V2);
    const props = decodeProperties(send.extFields.i ?? '');
    assert.equal(props.get('TRAN_MSG'), 'true');
    assert.equal(props.get('PGROUP'), 'TXG');
    assert.equal(send.extFields.f, '4');
    const end = await nextRequest(RequestCode.END_TRANSACTION);
    assert.equal(end.flag & 2, 2, 'oneway');
    assert.deepEqual(end.extFields, {
      topic: 'T',
      producerGroup: 'TXG',
      tranStateTableOffset: String(sendResult.queueOffset),
      commitLogOffset: String(1000 + sendResult.queueOffset),
      commitOrRollback: '8',
      fromTransactionCheck: 'false',
      msgId: sendResult.msgId,
      transactionId: '00000000000003E8',
    });
    seen.length = 0;
    const rolled = await p.sendMessageInTransaction({ topic: 'T', body: 'tx2' }, () => {
      throw new Error('local failure');
    });
    assert.equal(rolled.state, 'UNKNOWN');
    assert.equal((await nextRequest(RequestCode.END_TRANSACTION)).extFields.commitOrRollback, '0');
  } finally {
    await p.close();
  }
});

test("check-back: the broker's CHECK_TRANSACTION_STATE is answered by the checkListener with END_TRANSACTION fromTransactionCheck=true", async () => {
  const asked: string[] = [];
  const p = new RemotingProducer({
    namesrvAddr: addr,
    group: 'TXC',
    checkListener: (m): TransactionState => (asked.push(String(m.body)), 'ROLLBACK'),
  });
  try {
    producerConns.length = 0;
    await p.start(['T']);
    const conn = producerConns[0] as RemotingConnection;
    const host = hostAddress('127.0.0.1', port);
    const half = {
      topic: 'T',
      queueId: 0,
      flag: 0,
      queueOffset: 5,
      commitLogOffset: 4242,
      sysFlag: 4,
      bornTimestampMs: 1,
      bornHost: host,
      storeTimestampMs: 2,
      storeHost: host,
      reconsumeTimes: 0,
      preparedTransactionOffset: 0,
      body: Buffer.from('half'),
      properties: encodeProperties({ TRAN_MSG: 'true', PGROUP: 'TXC', UNIQ_KEY: 'AB'.repeat(16) }),
    };
    const header = { topic: 'T', tranStateTableOffset: '5', commitLogOffset: '4242', msgId: 'AB'.repeat(16), transactionId: '0000000000001092' };
    conn.invokeOneway(createRequest(RequestCode.CHECK_TRANSACTION_STATE, header, encodeMessageExts([half])));
    const end = await nextRequest(RequestCode.END_TRANSACTION);
    assert.deepEqual(asked, ['half']);
    assert.deepEqual(end.extFields, {
      topic: 'T',
      producerGroup: 'TXC',
      tranStateTableOffset: '5',
      commitLogOffset: '4242',
      commitOrRollback: '12',
      fromTransactionCheck: 'true',
      msgId: 'AB'.repeat(16),
      transactionId: '0000000000001092',
    });
  } finally {
    await p.close();
  }
});

test('pull: sysFlag bits, header, decoded records and statuses; errors carry code and remark', async () => {
  const host = hostAddress('127.0.0.1', port);
  const rec = (i: number) => ({
    topic: 'T',
    queueId: 1,
    flag: 0,
    queueOffset: 10 + i,
    commitLogOffset: 500 + i,
    sysFlag: 0,
    bornTimestampMs: 1,
    bornHost: host,
    storeTimestampMs: 2,
    storeHost: host,
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    body: Buffer.from(`m${i}`),
    properties: encodeProperties({ TAGS: 'X', UNIQ_KEY: `U${i}` }),
  });
  let answer: 'found' | 'none' | 'error' = 'found';
  server.registerProcessor(RequestCode.PULL_MESSAGE, (cmd) => {
    record(cmd);
    if (answer === 'error') return createResponse(cmd, 24, 'subscription not exist');
    const ext = { nextBeginOffset: '13', minOffset: '0', maxOffset: '13', suggestWhichBrokerId: '0' };
    return answer === 'found' ? ok(cmd, ext, encodeMessageExts([0, 1, 2].map(rec))) : createResponse(cmd, 19, undefined, ext);
  });
  const c = new RemotingPullConsumer({ namesrvAddr: addr, group: 'CG', subscriptions: [{ topic: 'T', expression: 'X || Y' }] });
  try {
    const mq = { topic: 'T', brokerName: 'b1', queueId: 1 };
    const r = await c.pull(mq, 10, 32, { suspendMs: 1000, commitOffset: 9 });
    const h = (await nextRequest(RequestCode.PULL_MESSAGE)).extFields;
    assert.equal(h.sysFlag, '7');
    assert.deepEqual(
      [h.consumerGroup, h.topic, h.queueId, h.queueOffset, h.maxMsgNums, h.commitOffset, h.suspendTimeoutMillis, h.subscription],
      ['CG', 'T', '1', '10', '32', '9', '1000', 'X || Y'],
    );
    assert.equal(r.status, 'FOUND');
    assert.equal(r.nextBeginOffset, 13);
    assert.deepEqual(
      r.messages.map((m) => [String(m.body), m.queueOffset, m.properties.get('UNIQ_KEY')]),
      [
        ['m0', 10, 'U0'],
        ['m1', 11, 'U1'],
        ['m2', 12, 'U2'],
      ],
    );
    answer = 'none';
    assert.equal((await c.pull(mq, 13, 32)).status, 'NO_NEW_MSG');
    answer = 'error';
    await assert.rejects(c.pull(mq, 13, 32), (e: unknown) => e instanceof RemotingResponseError && e.code === 24 && e.remark === 'subscription not exist');
    const hb = JSON.parse(String((await nextRequest(RequestCode.HEART_BEAT)).body)) as { consumerDataSet: { subscriptionDataSet: unknown[] }[] };
    assert.deepEqual(
      hb.consumerDataSet[0]?.subscriptionDataSet.map((s) => ({ ...(s as object), subVersion: 0 })),
      [{ topic: 'T', subString: 'X || Y', expressionType: 'TAG', tagsSet: ['X', 'Y'], codeSet: [88, 89], subVersion: 0, classFilterMode: false }],
    );
  } finally {
    await c.close();
  }
});

test('lockBatch / unlockBatch: body {consumerGroup, clientId, onlyThisBroker, mqSet}, lockOKMQSet read back', async () => {
  server.registerProcessor(RequestCode.LOCK_BATCH_MQ, (cmd) => {
    record(cmd);
    const body = JSON.parse(String(cmd.body)) as { mqSet: unknown[] };
    return ok(cmd, {}, Buffer.from(JSON.stringify({ lockOKMQSet: body.mqSet.slice(0, 1) })));
  });
  const c = new RemotingPullConsumer({ namesrvAddr: addr, group: 'OG' });
  try {
    const mqs = [0, 1].map((queueId) => ({ topic: 'T', brokerName: 'b1', queueId }));
    assert.deepEqual(await c.lockBatch(mqs), [mqs[0]]);
    assert.deepEqual(JSON.parse(String((await nextRequest(RequestCode.LOCK_BATCH_MQ)).body)), {
      consumerGroup: 'OG',
      clientId: c.clientId,
      onlyThisBroker: false,
      mqSet: mqs,
    });
    await c.unlockBatch(mqs);
    assert.deepEqual((JSON.parse(String((await nextRequest(RequestCode.UNLOCK_BATCH_MQ)).body)) as { mqSet: unknown }).mqSet, mqs);
  } finally {
    await c.close();
  }
});
