/**
 * transaction/: half messages through SendHandler, TransactionIndex (a dispatch extension of the
 * in-memory store), TransactionService (commit, rollback) and TransactionChecker (check-backs,
 * discard) on the harness clock; sweeps are run by the test, not by the checker's interval.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { v2 } from '@orbitmq/protocol';
import { ClientRegistry } from '../src/clients';
import { HALF_TOPIC, OP_TAG_DISCARD, OP_TAG_ROLLBACK, OP_TOPIC, decodeProperties, messageTypeOfFlag } from '../src/message';
import { TransactionChecker, TransactionService } from '../src/transaction';
import { TXN_CHECK_NS, TXN_HALF_NS, parseTransactionId } from '../src/transaction/transaction-index';
import { type Harness, STORE_HOST, addGroup, addTopic, createHarness, idsOf, queueRecords, receive, rejectionCode, sendMessages } from './broker-harness';

const TIMEOUT_MS = 6_000;
const CHECK_INTERVAL_MS = 2_000;
const CHECK_MAX = 3;
const PRODUCER = 'producer-host@4242@0@test';

interface Txn {
  h: Harness;
  txns: TransactionService;
  outcomes: string[];
  transactionId: string;
  /** Store time of the half message: its first check is due TIMEOUT_MS later. */
  storedAtMs: number;
}

/** A harness with topic 'Txn' and one half message 'T1' sent by PRODUCER. */
async function halfMessage(): Promise<Txn> {
  const h = createHarness({ transactionTimeoutMs: TIMEOUT_MS });
  await h.indexes.transactions.load(h.store.metadata);
  await addTopic(h, 'Txn', 2, 'TRANSACTION');
  const outcomes: string[] = [];
  const txns = new TransactionService(h.store, h.topics, (outcome, half) => outcomes.push(`${outcome} ${half.messageId}`));
  const storedAtMs = h.clock.ms;
  const sent = await sendMessages(h, [{ topic: 'Txn', id: 'T1', type: 'TRANSACTION', tag: 'pay', keys: ['order-9'], body: 'debit 5' }], PRODUCER);
  return { h, txns, outcomes, transactionId: sent.entries?.[0]?.transactionId ?? '', storedAtMs };
}

function endRequest(t: Txn, resolution: 'COMMIT' | 'ROLLBACK', over: Partial<v2.EndTransactionRequest__Output> = {}): v2.EndTransactionRequest__Output {
  return {
    topic: { name: 'Txn', resourceNamespace: '' },
    messageId: 'T1',
    transactionId: t.transactionId,
    resolution,
    source: 'SOURCE_CLIENT',
    traceContext: '',
    ...over,
  };
}

test('a half message is held in the half topic, pending, and invisible in its topic', async () => {
  const t = await halfMessage();
  const half = await queueRecords(t.h.store, HALF_TOPIC);
  assert.deepEqual(
    half.map((r) => [r.messageId, decodeProperties(r.properties).system.realTopic]),
    [['T1', 'Txn']],
  );
  assert.equal(parseTransactionId(t.transactionId), half[0]?.physicalOffset, 'the transaction id names the half record');
  assert.equal(t.h.indexes.transactions.pending(), 1);
  const listed = await t.txns.list('Txn', 10);
  assert.deepEqual(
    listed.map((p) => [p.transactionId, p.messageId, p.producerClientId]),
    [[t.transactionId, 'T1', PRODUCER]],
  );
  await addGroup(t.h, 'txn-g');
  assert.deepEqual(await receive(t.h, 'txn-g', 'Txn'), []);
});

test('commit: the message appears in its topic once, with its id, tag, keys and body; the half is no longer pending', async () => {
  const t = await halfMessage();
  await t.txns.end(endRequest(t, 'COMMIT'));
  const committed = [...(await queueRecords(t.h.store, 'Txn', 0)), ...(await queueRecords(t.h.store, 'Txn', 1))];
  assert.deepEqual(
    committed.map((r) => {
      const props = decodeProperties(r.properties).system;
      return { id: r.messageId, type: messageTypeOfFlag(r.sysFlag), tag: r.tag, keys: r.keys, body: r.body.toString(), props };
    }),
    [
      {
        id: 'T1',
        type: 'TRANSACTION',
        tag: 'pay',
        keys: ['order-9'],
        body: 'debit 5',
        props: { bornHost: 'test-host', originOffset: String(parseTransactionId(t.transactionId)) },
      },
    ],
  );
  assert.deepEqual(t.outcomes, ['commit T1']);
  assert.equal(t.h.indexes.transactions.pending(), 0);
  assert.deepEqual(await t.h.store.metadata.list(TXN_HALF_NS), []);
  assert.equal(await rejectionCode(t.txns.end(endRequest(t, 'COMMIT'))), 'INVALID_TRANSACTION_ID', 'committed once');
  assert.equal(await rejectionCode(t.txns.end(endRequest(t, 'ROLLBACK'))), 'INVALID_TRANSACTION_ID');
  await addGroup(t.h, 'txn-g');
  assert.deepEqual(idsOf(await receive(t.h, 'txn-g', 'Txn')), ['T1'], 'consumers get it');
});

test('rollback: the message never appears in its topic; an op record ends the half', async () => {
  const t = await halfMessage();
  assert.equal(await rejectionCode(t.txns.end(endRequest(t, 'ROLLBACK', { messageId: 'other' }))), 'INVALID_TRANSACTION_ID', 'the id must match');
  assert.equal(await rejectionCode(t.txns.end(endRequest(t, 'ROLLBACK', { transactionId: 'zz' }))), 'INVALID_TRANSACTION_ID');
  await t.txns.end(endRequest(t, 'ROLLBACK'));
  const ops = await queueRecords(t.h.store, OP_TOPIC);
  assert.deepEqual(
    ops.map((r) => [r.messageId, r.tag, decodeProperties(r.properties).system.originOffset]),
    [['T1', OP_TAG_ROLLBACK, String(parseTransactionId(t.transactionId))]],
  );
  assert.deepEqual(t.outcomes, ['rollback T1']);
  assert.equal(t.h.indexes.transactions.pending(), 0);
  assert.equal(await rejectionCode(t.txns.end(endRequest(t, 'COMMIT'))), 'INVALID_TRANSACTION_ID', 'a rolled-back half cannot be committed');
  assert.deepEqual([...(await queueRecords(t.h.store, 'Txn', 0)), ...(await queueRecords(t.h.store, 'Txn', 1))], []);
});

/** A telemetry stream stand-in: records what the broker writes to the client. */
function telemetryStream() {
  const writes: v2.TelemetryCommand[] = [];
  return { writes, stream: { write: (cmd: v2.TelemetryCommand) => writes.push(cmd) > 0 } };
}

interface CheckerRun {
  checker: TransactionChecker;
  clients: ClientRegistry;
  checked: { topic: string; sent: boolean }[];
  discarded: { messageId: string; checks: number; reason: string }[];
}

function checkerFor(t: Txn): CheckerRun {
  const clients = new ClientRegistry(60_000);
  const run: Omit<CheckerRun, 'checker'> = { clients, checked: [], discarded: [] };
  const observer = {
    checked: (topic: string, sent: boolean) => void run.checked.push({ topic, sent }),
    discarded: (half: { messageId: string }, checks: number, reason: string) => void run.discarded.push({ messageId: half.messageId, checks, reason }),
    error: (err: Error) => assert.fail(err),
  };
  const settings = { transactionTimeoutMs: TIMEOUT_MS, checkIntervalMs: CHECK_INTERVAL_MS, checkMax: CHECK_MAX, storeHost: STORE_HOST };
  return { ...run, checker: new TransactionChecker(t.h.store, t.txns, clients, settings, observer, t.h.clock.now) };
}

test('check-back: after transactionTimeoutMs the producer that sent it is asked over its telemetry stream; its commit ends it', async () => {
  const t = await halfMessage();
  const run = checkerFor(t);
  const producer = telemetryStream();
  run.clients.touch(PRODUCER, { clientType: 'PRODUCER', telemetry: producer.stream as never, topics: ['Txn'] });
  t.h.clock.set(t.storedAtMs + TIMEOUT_MS - 1);
  await run.checker.sweep();
  assert.equal(producer.writes.length, 0, 'not before the timeout');
  t.h.clock.set(t.storedAtMs + TIMEOUT_MS);
  await run.checker.sweep();
  const command = producer.writes[0]?.recoverOrphanedTransactionCommand;
  assert.equal(producer.writes.length, 1);
  assert.equal(command?.transactionId, t.transactionId);
  assert.deepEqual(
    [command?.message?.topic?.name, command?.message?.systemProperties?.messageId, command?.message?.body?.toString()],
    ['Txn', 'T1', 'debit 5'],
  );
  assert.deepEqual(run.checked, [{ topic: 'Txn', sent: true }]);
  await run.checker.sweep();
  assert.equal(producer.writes.length, 1, 'the next check waits checkIntervalMs');

  await t.txns.end(endRequest(t, 'COMMIT', { source: 'SOURCE_SERVER_CHECK' }));
  t.h.clock.advance(10 * CHECK_INTERVAL_MS);
  await run.checker.sweep();
  assert.equal(producer.writes.length, 1, 'a resolved half is not checked again');
  assert.deepEqual(await t.h.store.metadata.list(TXN_CHECK_NS), [], 'its stale check entry is dropped');
  assert.deepEqual(t.outcomes, ['commit T1']);
});

test('discard: after transactionCheckMax unanswered checks the half is discarded and can no longer be committed', async () => {
  const t = await halfMessage();
  const run = checkerFor(t);
  const other = telemetryStream(); // the sender is gone; another producer of the topic is asked
  run.clients.touch('other-producer', { clientType: 'PRODUCER', telemetry: other.stream as never, topics: ['Txn'] });
  t.h.clock.set(t.storedAtMs + TIMEOUT_MS);
  for (let check = 1; check <= CHECK_MAX; check++) {
    await run.checker.sweep();
    assert.equal(other.writes.length, check, `check ${check}`);
    assert.deepEqual(run.discarded, []);
    t.h.clock.advance(CHECK_INTERVAL_MS);
  }
  await run.checker.sweep();
  assert.equal(other.writes.length, CHECK_MAX, 'no check past the maximum');
  assert.deepEqual(run.discarded, [{ messageId: 'T1', checks: CHECK_MAX, reason: 'check-max' }]);
  assert.deepEqual(t.outcomes, ['discard T1']);
  assert.deepEqual(
    (await queueRecords(t.h.store, OP_TOPIC)).map((r) => r.tag),
    [OP_TAG_DISCARD],
  );
  assert.equal(t.h.indexes.transactions.pending(), 0);
  assert.deepEqual(await t.h.store.metadata.list(TXN_CHECK_NS), []);
  assert.equal(await rejectionCode(t.txns.end(endRequest(t, 'COMMIT'))), 'INVALID_TRANSACTION_ID');
  assert.deepEqual([...(await queueRecords(t.h.store, 'Txn', 0)), ...(await queueRecords(t.h.store, 'Txn', 1))], []);
});

test('checks with no producer connected still count, so an abandoned half is discarded too', async () => {
  const t = await halfMessage();
  const run = checkerFor(t);
  t.h.clock.set(t.storedAtMs + TIMEOUT_MS);
  for (let sweep = 0; sweep <= CHECK_MAX; sweep++) {
    await run.checker.sweep();
    t.h.clock.advance(CHECK_INTERVAL_MS);
  }
  assert.deepEqual(
    run.checked,
    Array.from({ length: CHECK_MAX }, () => ({ topic: 'Txn', sent: false })),
  );
  assert.deepEqual(run.discarded, [{ messageId: 'T1', checks: CHECK_MAX, reason: 'check-max' }]);
});
