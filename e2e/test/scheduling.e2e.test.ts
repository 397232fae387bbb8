/**
 * Delayed and transactional messages with the official client against real processes: delivery
 * no earlier than due (and woken from a long poll when due), classic delay levels, the maximum
 * delay, SIGKILL while delayed messages are pending and while they are being moved; transaction
 * commit, rollback, check-backs answered by the producer's checker, discard of half messages
 * whose producer is gone, and SIGKILL with pending transactions.
 */
import { after, afterEach, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Producer, SimpleConsumer, type MessageView } from 'rocketmq-client-nodejs';
import { clientEndpoint, startBroker, startNamesrv } from '../support/cluster';
import { type AppProcess, eventually, grpcAddress, runToExit, stopAll } from '../support/processes';
import { RawV2Client, codeOf, message } from '../support/raw-v2';
import { sdkLogger } from '../support/sdk';

/** rocketmq-client-nodejs TransactionResolution values (apache.rocketmq.v2). */
const COMMIT = 1;
const ROLLBACK = 2;
/** Consumers long-poll this long, so a message arriving sooner proves the poll was woken. */
const AWAIT_MS = 10_000;

let namesrv: AppProcess;
let broker: AppProcess & { storeDir: string };
let endpoint: string;
const shutdowns: (() => Promise<unknown>)[] = [];
const SETTINGS: Record<string, string> = {
  messageDelayLevel: '1s 2s 3s',
  transactionTimeOut: '1000',
  transactionCheckInterval: '700',
  transactionCheckMax: '3',
};

function brokerArgs(over: Record<string, string> = {}): string[] {
  return Object.entries({ ...SETTINGS, ...over }).flatMap(([k, v]) => [`--${k}`, v]);
}

before(async () => {
  namesrv = await startNamesrv();
  broker = await startBroker(grpcAddress(namesrv), { extra: brokerArgs() });
  endpoint = clientEndpoint(broker);
});

// Each test's clients go before the next test, which may SIGKILL the broker: the official client
// crashes its process when a broker it is connected to dies (see docs/broker.md).
afterEach(async () => {
  for (const s of shutdowns.splice(0).reverse()) await s().catch(() => undefined);
});

after(() => stopAll());

/**
 * A broker of its own for a SIGKILL test. Only our raw client talks to it before a kill; official
 * clients connect after the last one (a client that was ever connected to a broker that dies can
 * crash the test process, even after its shutdown(); see docs/broker.md).
 */
async function isolatedBroker(
  name: string,
): Promise<{ current: () => AppProcess & { storeDir: string }; restart: (over?: Record<string, string>) => Promise<void> }> {
  let b = await startBroker(grpcAddress(namesrv), { extra: [...brokerArgs(), '--brokerName', name] });
  return {
    current: () => b,
    restart: async (over = {}) => {
      await b.kill('SIGKILL');
      b = await startBroker(grpcAddress(namesrv), {
        storeDir: b.storeDir,
        grpcServerPort: b.ready.grpcPort as number,
        extra: [...brokerArgs(over), '--brokerName', name],
      });
    },
  };
}

function mqadmin(...args: string[]): string {
  const r = runToExit('tools/mqadmin/dist/src/main.js', [...args, '-n', grpcAddress(namesrv)]);
  assert.equal(r.status, 0, `mqadmin ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A group that starts at the beginning of each queue (so it can be created before a restart). */
function groupFromStart(group: string): void {
  mqadmin('updateSubGroup', '-g', group, '-c', 'DefaultCluster', '--consumeFromWhere', 'CONSUME_FROM_FIRST_OFFSET');
}

function storedInTopic(topic: string): number {
  const status = JSON.parse(mqadmin('topicStatus', '-t', topic, '--json')) as { queues: { maxOffset: string }[] }[];
  return status.flatMap((s) => s.queues).reduce((n, q) => n + Number(q.maxOffset), 0);
}

async function metricsText(): Promise<string> {
  return (await fetch(`http://127.0.0.1:${String(broker.ready.metricsPort)}/metrics`)).text();
}

function metric(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}`) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function producer(opts: { topics?: string[]; check?: (m: MessageView) => number | null; at?: string } = {}): Promise<Producer> {
  const p = new Producer({
    namespace: '',
    logger: sdkLogger('producer'),
    endpoints: opts.at ?? endpoint,
    ...(opts.topics ? { topic: opts.topics } : {}),
    checker: { check: async (m: MessageView) => (opts.check ? opts.check(m) : null) as never },
  });
  await p.startup();
  shutdowns.push(() => p.shutdown());
  return p;
}

async function consumer(group: string, topic: string, at = endpoint): Promise<SimpleConsumer> {
  const c = new SimpleConsumer({
    namespace: '',
    logger: sdkLogger(group),
    consumerGroup: group,
    endpoints: at,
    subscriptions: new Map([[topic, '*']]),
    awaitDuration: AWAIT_MS,
  });
  await c.startup();
  shutdowns.push(() => c.shutdown());
  return c;
}

interface Received {
  view: MessageView;
  atMs: number;
}

/** Receives and acks until `count` messages arrived (or fails after timeoutMs). */
async function receiveAll(c: SimpleConsumer, count: number, timeoutMs = 30_000): Promise<Received[]> {
  const out: Received[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    if (Date.now() > deadline) throw new Error(`received ${out.length} of ${count}`);
    for (const view of await c.receive(32, 30_000)) {
      out.push({ view, atMs: Date.now() });
      await c.ack(view);
    }
  }
  return out;
}

/** Nothing more arrives within one long poll. */
async function assertNothingMore(c: SimpleConsumer): Promise<void> {
  const extra = await c.receive(32, 30_000);
  assert.deepEqual(
    extra.map((m) => m.body.toString()),
    [],
  );
}

test('delayed messages arrive no earlier than due, woken from a long poll, with their original delivery timestamp', async () => {
  const topic = 'E2EDelayTopic';
  const c = await consumer('GroupDelay', topic);
  const p = await producer();
  const sent = new Map<string, number>();
  for (let i = 0; i < 30; i++) {
    const due = Date.now() + 1_000 + (i % 3) * 500;
    const r = await p.send({ topic, tag: 'D', keys: [`delay-${i}`], body: Buffer.from(`delay-${i}`), deliveryTimestamp: new Date(due) });
    sent.set(r.messageId, due);
  }
  const normal = await p.send({ topic, body: Buffer.from('not delayed') });
  const got = await receiveAll(c, 31);
  assert.equal(got[0]?.view.messageId, normal.messageId, 'the normal message is not held back by the delayed ones');
  const lateness: number[] = [];
  for (const { view, atMs } of got.slice(1)) {
    const due = sent.get(view.messageId);
    assert.ok(due !== undefined, `unexpected ${view.messageId}`);
    assert.ok(atMs >= due, `${view.body.toString()} arrived ${due - atMs} ms early`);
    assert.equal(view.deliveryTimestamp?.getTime(), due, 'delivered with its original delivery timestamp');
    assert.equal(view.tag, 'D');
    lateness.push(atMs - due);
  }
  assert.equal(new Set(got.map((g) => g.view.messageId)).size, 31, 'each exactly once');
  // Each arrived within a single long poll of its due time: the poll was woken, not timed out.
  assert.ok(Math.max(...lateness) < AWAIT_MS, `latest arrival ${Math.max(...lateness)} ms after due`);
  await assertNothingMore(c);
  assert.equal(storedInTopic(topic), 31);
  const text = await metricsText();
  assert.equal(metric(text, 'rocketmq_delayed_messages_delivered_total', 'topic="E2EDelayTopic"'), 30);
  assert.equal(metric(text, 'rocketmq_delayed_messages_pending'), 0);
});

test('classic delay levels (property DELAY=n, messageDelayLevel) and the maximum delay', async () => {
  const topic = 'E2EDelayLevelTopic';
  const c = await consumer('GroupDelayLevel', topic);
  const p = await producer();
  const sentAt = new Map<string, { at: number; level: number }>();
  for (const level of [1, 2, 3, 9]) {
    const at = Date.now();
    const r = await p.send({ topic, body: Buffer.from(`level-${level}`), properties: new Map([['DELAY', String(level)]]) });
    sentAt.set(r.messageId, { at, level });
  }
  const got = await receiveAll(c, 4);
  const levelMs = [1_000, 2_000, 3_000];
  for (const { view, atMs } of got) {
    const s = sentAt.get(view.messageId);
    assert.ok(s);
    const waitMs = levelMs[Math.min(s.level, 3) - 1] as number; // level 9 clamps to the last level
    assert.ok(atMs - s.at >= waitMs, `level ${s.level} arrived after ${atMs - s.at} ms`);
    assert.equal(view.properties.get('DELAY'), undefined, 'the level is not passed on as a user property');
  }

  const raw = new RawV2Client(endpoint);
  try {
    const far = Date.now() + 25 * 3_600_000;
    const res = await raw.send([
      message(topic, Buffer.from('too far'), { messageType: 'DELAY', deliveryTimestamp: { seconds: Math.floor(far / 1000), nanos: 0 } }),
    ]);
    assert.equal(codeOf(res.entries[0]?.status), 'ILLEGAL_DELIVERY_TIME');
    const none = await raw.send([message(topic, Buffer.from('no time'), { messageType: 'DELAY' })]);
    assert.equal(codeOf(none.entries[0]?.status), 'ILLEGAL_DELIVERY_TIME');
  } finally {
    raw.close();
  }
  await assertNothingMore(c);
});

test('SIGKILL with delayed messages pending, and again while they are being moved: nothing lost, nothing twice', async () => {
  const topic = 'E2EDelayRestartTopic';
  const b = await isolatedBroker('broker-delay-restart');
  groupFromStart('GroupDelayRestart');
  const raw = new RawV2Client(clientEndpoint(b.current()));
  const firstDue = Date.now() + 4_000;
  const ids = new Set<string>();
  try {
    for (let batch = 0; batch < 4; batch++) {
      const msgs = Array.from({ length: 100 }, (_, k) => {
        const due = firstDue + ((batch * 100 + k) % 200) * 5;
        return message(topic, Buffer.from(`r-${batch}-${k}`), {
          messageType: 'DELAY',
          deliveryTimestamp: { seconds: Math.floor(due / 1000), nanos: (due % 1000) * 1e6 },
        });
      });
      const res = await raw.send(msgs);
      assert.equal(codeOf(res.status), 'OK');
      for (const m of msgs) ids.add(m.systemProperties?.messageId as string);
    }
  } finally {
    raw.close();
  }

  await b.restart(); // all 400 still pending
  assert.match(mqadmin('scheduleStats', '-b', `127.0.0.1:${String(b.current().ready.internalPort)}`), /400 delayed messages pending/);
  await new Promise((r) => setTimeout(r, Math.max(0, firstDue + 500 - Date.now())));
  await b.restart(); // killed in the middle of the due window

  const c = await consumer('GroupDelayRestart', topic, clientEndpoint(b.current()));
  const got = await receiveAll(c, 400, 60_000);
  assert.deepEqual(new Set(got.map((g) => g.view.messageId)), ids);
  await assertNothingMore(c);
  assert.equal(storedInTopic(topic), 400, 'each moved into the topic exactly once');
});

test('transactions: commit delivers once, rollback never; a resolved or unknown transaction is INVALID_TRANSACTION_ID', async () => {
  const topic = 'E2ETxTopic';
  const c = await consumer('GroupTx', topic);
  const p = await producer();
  const committed = p.beginTransaction();
  const sent = await p.send({ topic, tag: 'TX', keys: ['order-1'], body: Buffer.from('commit me'), properties: new Map([['a', 'b']]) }, committed);
  const rolledBack = p.beginTransaction();
  await p.send({ topic, body: Buffer.from('roll me back') }, rolledBack);

  assert.equal(storedInTopic(topic), 0, 'half messages are not in the topic');
  const pending = JSON.parse(mqadmin('pendingTransactions', '-t', topic, '--json')) as { transactions: { messageId: string }[]; totalPending: string }[];
  assert.equal(pending[0]?.transactions.length, 2);
  assert.ok(pending[0]?.transactions.some((t) => t.messageId === sent.messageId));

  await committed.commit();
  await rolledBack.rollback();
  const [got] = await receiveAll(c, 1);
  assert.equal(got?.view.messageId, sent.messageId);
  assert.equal(got?.view.body.toString(), 'commit me');
  assert.equal(got?.view.tag, 'TX');
  assert.deepEqual(got?.view.keys, ['order-1']);
  assert.equal(got?.view.properties.get('a'), 'b');
  await assert.rejects(committed.commit(), (e: Error & { code?: number }) => e.code === 40008, 'a second commit is refused');
  await assert.rejects(rolledBack.commit(), (e: Error & { code?: number }) => e.code === 40008, 'commit after rollback is refused');

  const raw = new RawV2Client(endpoint);
  try {
    assert.equal(codeOf((await raw.endTransaction(topic, 'X', '00000000DEADBEEF', 'COMMIT')).status), 'INVALID_TRANSACTION_ID');
    assert.equal(codeOf((await raw.endTransaction(topic, 'X', 'garbage', 'COMMIT')).status), 'INVALID_TRANSACTION_ID');
  } finally {
    raw.close();
  }
  await assertNothingMore(c);
  assert.equal(storedInTopic(topic), 1);
  const text = await metricsText();
  assert.equal(metric(text, 'rocketmq_transactions_total', 'outcome="commit"'), 1);
  assert.equal(metric(text, 'rocketmq_transactions_total', 'outcome="rollback"'), 1);
});

test("check-back: unresolved half messages are resolved by the producer's checker (commit and rollback)", async () => {
  const topic = 'E2ETxCheckTopic';
  const c = await consumer('GroupTxCheck', topic);
  const checked: string[] = [];
  const p = await producer({
    check: (m) => {
      checked.push(m.body.toString());
      assert.ok(m.messageId && m.topic === topic, 'the check carries the message');
      return m.body.toString().startsWith('yes') ? COMMIT : ROLLBACK;
    },
  });
  const ids = new Map<string, string>();
  for (const body of ['yes-1', 'no-1', 'yes-2', 'no-2']) {
    const r = await p.send({ topic, body: Buffer.from(body) }, p.beginTransaction()); // never ended by the app
    ids.set(body, r.messageId);
  }
  const got = await receiveAll(c, 2);
  assert.deepEqual(got.map((g) => g.view.body.toString()).sort(), ['yes-1', 'yes-2']);
  await eventually('both rollbacks', async () =>
    JSON.parse(mqadmin('pendingTransactions', '-t', topic, '--json'))[0].transactions.length === 0 ? true : undefined,
  );
  assert.deepEqual([...new Set(checked)].sort(), ['no-1', 'no-2', 'yes-1', 'yes-2']);
  await assertNothingMore(c);
  assert.ok(metric(await metricsText(), 'rocketmq_transaction_checks_total', 'result="sent"') >= 4);
});

test('a half message whose producer is gone is checked transactionCheckMax times, then discarded', async () => {
  const topic = 'E2ETxOrphanTopic';
  const c = await consumer('GroupTxOrphan', topic);
  const p = new Producer({ namespace: '', logger: sdkLogger('orphan'), endpoints: endpoint, checker: { check: async () => null as never } });
  await p.startup();
  await p.send({ topic, body: Buffer.from('orphan') }, p.beginTransaction());
  await p.shutdown();
  const before = metric(await metricsText(), 'rocketmq_transactions_total', 'outcome="discard"');
  await eventually(
    'the discard',
    async () => (metric(await metricsText(), 'rocketmq_transactions_total', 'outcome="discard"') > before ? true : undefined),
    20_000,
    200,
  );
  assert.match(mqadmin('pendingTransactions', '-t', topic), /no pending transaction/);
  await assertNothingMore(c);
  assert.equal(storedInTopic(topic), 0);
});

test('SIGKILL with pending transactions: still pending after restart, checked, and committed exactly once', async () => {
  const topic = 'E2ETxRestartTopic';
  const b = await isolatedBroker('broker-tx-restart');
  groupFromStart('GroupTxRestart');
  const raw = new RawV2Client(clientEndpoint(b.current()));
  const ids = new Set<string>();
  try {
    const msgs = Array.from({ length: 5 }, (_, i) => message(topic, Buffer.from(`restart-${i}`), { messageType: 'TRANSACTION' }));
    for (const m of msgs) {
      const res = await raw.send([m]);
      assert.match(res.entries[0]?.transactionId ?? '', /^[0-9A-F]{16}$/);
      ids.add(m.systemProperties?.messageId as string);
    }
  } finally {
    raw.close();
  }

  // Checks made before the new producer connects count too; a high max keeps them from discarding.
  await b.restart({ transactionCheckMax: '1000' });
  const pending = JSON.parse(mqadmin('pendingTransactions', '-t', topic, '--json')) as { transactions: { messageId: string }[] }[];
  assert.deepEqual(new Set(pending[0]?.transactions.map((t) => t.messageId)), ids);
  assert.equal(storedInTopic(topic), 0);
  // A producer that declares the topic answers the check-backs (the sender is gone).
  const at = clientEndpoint(b.current());
  await producer({ topics: [topic], check: () => COMMIT, at });
  const c = await consumer('GroupTxRestart', topic, at);
  const got = await receiveAll(c, 5);
  assert.deepEqual(new Set(got.map((g) => g.view.messageId)), ids);
  await assertNothingMore(c);
  assert.equal(storedInTopic(topic), 5);
});
