/**
 * Consumption beyond receive/ack, with the official client: PushConsumer (QueryAssignment,
 * auto-renew, nacks), FIFO order per message group, and the dead-letter queue after max attempts.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Producer, SimpleConsumer } from 'rocketmq-client-nodejs';
import { clientEndpoint, startBroker, startNamesrv } from '../support/cluster';
import { type AppProcess, eventually, grpcAddress, runToExit, stopAll } from '../support/processes';
import { RawV2Client, codeOf, message } from '../support/raw-v2';
import { sdkLogger } from '../support/sdk';

let endpoint: string;
let namesrvProcess: AppProcess;
let brokerProcess: AppProcess;
const namesrvForOverload = (): AppProcess => namesrvProcess;
const shutdowns: (() => Promise<unknown>)[] = [];

before(async () => {
  const namesrv: AppProcess = await startNamesrv();
  namesrvProcess = namesrv;
  const broker = await startBroker(grpcAddress(namesrv));
  brokerProcess = broker;
  endpoint = clientEndpoint(broker);
});

after(async () => {
  for (const s of shutdowns.reverse()) await s().catch(() => undefined);
  await stopAll();
});

async function producer(): Promise<Producer> {
  const p = new Producer({ namespace: '', logger: sdkLogger('producer'), endpoints: endpoint });
  await p.startup();
  shutdowns.push(() => p.shutdown());
  return p;
}

interface PushRun {
  lines: string[];
  exited: Promise<number | null>;
}

/** Starts a PushConsumer driver (its own process; see sdk-push-driver.ts) and waits until it runs. */
async function pushConsumer(group: string, topic: string, expect: number, flags: string[] = []): Promise<PushRun> {
  const child = spawn(process.execPath, [path.join(__dirname, '../support/sdk-push-driver.js'), endpoint, group, topic, String(expect), ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  shutdowns.push(async () => child.kill('SIGKILL'));
  await eventually(
    'push consumer started',
    async () => {
      if (child.exitCode !== null) throw new Error(`push driver exited: ${stderr}`);
      return lines.includes('started') ? true : undefined;
    },
    30_000,
    50,
  );
  return { lines, exited };
}

function parse(lines: string[], kind: 'consumed' | 'failed'): { body: string; attempt: number; group: string; atMs: number }[] {
  return lines
    .filter((l) => l.startsWith(`${kind} `))
    .map((l) => {
      const [, body, attempt, group, atMs] = l.split(' ');
      return { body: body as string, attempt: Number(attempt), group: group === '-' ? '' : (group ?? ''), atMs: Number(atMs) };
    });
}

/** Configures a subscription group on every master through mqadmin. */
function updateSubGroup(...args: string[]): void {
  const r = runToExit('tools/mqadmin/dist/src/main.js', ['updateSubGroup', ...args, '-c', 'DefaultCluster', '-n', grpcAddress(namesrvProcess)]);
  assert.equal(r.status, 0, r.stderr);
}

test('PushConsumer receives everything; a failed consume comes back with delivery attempt + 1, after the group retry back-off', async () => {
  const topic = 'E2EPushTopic';
  updateSubGroup('-g', 'GroupPush', '--retryBackoffMs', '1500');
  const run = await pushConsumer('GroupPush', topic, 200, ['--fail-first-every', '10']);
  const p = await producer();
  for (let i = 0; i < 200; i++) await p.send({ topic, tag: 'T', body: Buffer.from(`m-${i}`) });
  assert.equal(await run.exited, 0, 'the consumer saw all 200 succeed');
  const consumed = new Map(parse(run.lines, 'consumed').map((c) => [c.body, c.attempt]));
  const failed = parse(run.lines, 'failed');
  assert.equal(consumed.size, 200);
  assert.equal(failed.length, 20);
  const consumedAt = new Map(parse(run.lines, 'consumed').map((c) => [c.body, c.atMs]));
  for (const f of failed) {
    assert.equal(f.attempt, 1);
    assert.equal(consumed.get(f.body), 2, `${f.body} succeeded on its second delivery`);
    // The client nacks after printing the failure; the group's back-off starts at the nack.
    assert.ok((consumedAt.get(f.body) as number) - f.atMs >= 1500, `${f.body} came back before the 1.5 s back-off`);
  }
  for (const [body, attempt] of consumed) if (!failed.some((f) => f.body === body)) assert.equal(attempt, 1, `${body} first time`);
  const metrics = await (await fetch(`http://127.0.0.1:${String(brokerProcess.ready.metricsPort)}/metrics`)).text();
  assert.match(metrics, /rocketmq_consumer_redeliveries_total\{topic="E2EPushTopic",group="GroupPush",app="broker"\} 20/);
  assert.match(metrics, /rocketmq_consumer_lag_messages\{group="GroupPush",topic="E2EPushTopic",queue_id="0",app="broker"\} 0/);
});

test('FIFO: each message group in send order, one at a time; a poison message goes to the DLQ and its group continues', async () => {
  const topic = 'E2EFifoTopic';
  const group = 'GroupFifo';
  // Subscribed before anything is dead-lettered, so the DLQ consumer starts at its beginning.
  const dlq = new SimpleConsumer({
    namespace: '',
    logger: sdkLogger('dlq'),
    consumerGroup: 'GroupDlqReader',
    endpoints: endpoint,
    subscriptions: new Map([[`%DLQ%${group}`, '*']]),
    awaitDuration: 2_000,
  });
  await dlq.startup();
  shutdowns.push(() => dlq.shutdown());
  const groups = ['g0', 'g1', 'g2', 'g3', 'g4'];
  updateSubGroup('-g', group, '--retryBackoffMs', '10'); // 16 attempts in well under a second
  const run = await pushConsumer(group, topic, 99, ['--poison', 'g2#5']);
  const p = await producer();
  for (let seq = 0; seq < 20; seq++) for (const g of groups) await p.send({ topic, messageGroup: g, body: Buffer.from(`${g}#${seq}`) });
  assert.equal(await run.exited, 0, 'the consumer saw all 99 good messages succeed');

  const consumed = parse(run.lines, 'consumed');
  for (const g of groups) {
    const expected = Array.from({ length: 20 }, (_, i) => i).filter((i) => !(g === 'g2' && i === 5));
    assert.deepEqual(
      consumed.filter((c) => c.group === g).map((c) => Number(c.body.split('#')[1])),
      expected,
      `group ${g} in send order`,
    );
  }
  assert.deepEqual(
    run.lines.filter((l) => l.startsWith('overlap')),
    [],
    'never two messages of one group at a time',
  );
  const poisonTries = parse(run.lines, 'failed').filter((f) => f.body === 'g2#5');
  assert.equal(poisonTries.length, 16, 'the poison message was delivered maxDeliveryAttempts times');
  assert.deepEqual(
    poisonTries.map((f) => f.attempt),
    Array.from({ length: 16 }, (_, i) => i + 1),
  );

  const dead = await eventually(
    'the poison message in the DLQ',
    async () => {
      const got = await dlq.receive(16, 10_000);
      for (const m of got) await dlq.ack(m);
      return got.length > 0 ? got : undefined;
    },
    30_000,
    200,
  );
  assert.equal(dead.length, 1);
  assert.equal(dead[0]?.body.toString(), 'g2#5');
  assert.equal(dead[0]?.messageGroup, 'g2');
});

test('offset-based consumption: QueryOffset, PullMessage with next offsets and long polling, Update/GetOffset; broadcasting consumers keep their own offsets', async () => {
  const topic = 'E2EPullTopic';
  const raw = new RawV2Client(endpoint);
  assert.equal(codeOf((await raw.queryRoute(topic, endpoint)).status), 'OK'); // auto-creates the topic
  const sentAt: number[] = [];
  for (let i = 0; i < 30; i++) {
    sentAt.push(Date.now());
    const r = await raw.send([message(topic, Buffer.from(`p-${i}`), { queueId: 0, tag: i % 2 ? 'odd' : 'even' })]);
    assert.equal(codeOf(r.status), 'OK');
    await new Promise((res) => setTimeout(res, 3));
  }
  // The broker spreads sends over the topic's queues; pull every queue.
  const route = await raw.queryRoute(topic, endpoint);
  const queueIds = [...new Set(route.messageQueues.map((q) => q.id))];
  const pullAll = async (group: string, tags = '*') => {
    const got: string[] = [];
    for (const q of queueIds) {
      let offset = Number((await raw.queryOffset(topic, q, 'BEGINNING')).offset);
      for (;;) {
        const frames = await raw.pull(group, topic, q, offset, 8, 0, tags);
        const msgs = frames.filter((f) => f.message).map((f) => (f.message as NonNullable<typeof f.message>).body.toString());
        got.push(...msgs);
        const next = Number(frames.find((f) => f.nextOffset !== undefined && f.content === 'nextOffset')?.nextOffset);
        if (next === offset || Number.isNaN(next)) break;
        offset = next;
      }
    }
    return got;
  };
  // Broadcasting: two consumers, each with its own offsets, both get everything.
  const a = await pullAll('GroupBroadcast');
  const b = await pullAll('GroupBroadcast');
  assert.equal(a.length, 30);
  assert.deepEqual([...a].sort(), [...b].sort());
  assert.equal((await pullAll('GroupTags', 'odd')).length, 15, 'tag filter on pull');

  // QueryOffset by time, END, and the committed offset round trip.
  const q0 = queueIds[0] as number;
  const end = Number((await raw.queryOffset(topic, q0, 'END')).offset);
  assert.ok(end > 0);
  assert.equal(Number((await raw.queryOffset(topic, q0, 'TIMESTAMP', Date.now() + 60_000)).offset), end);
  assert.equal(Number((await raw.queryOffset(topic, q0, 'TIMESTAMP', 0)).offset), 0);
  assert.equal(codeOf((await raw.getOffset('GroupPull', topic, q0)).status), 'OFFSET_NOT_FOUND');
  assert.equal(codeOf((await raw.updateOffset('GroupPull', topic, q0, 2)).status), 'OK');
  assert.equal(Number((await raw.getOffset('GroupPull', topic, q0)).offset), 2);
  assert.equal(codeOf((await raw.updateOffset('GroupPull', topic, q0, end + 5)).status), 'ILLEGAL_OFFSET');

  // Past the end: ILLEGAL_OFFSET with the corrected next offset; at the end: a long poll that a new message ends.
  const over = await raw.pull('GroupPull', topic, q0, end + 10, 8);
  assert.equal(codeOf(over[0]?.status), 'ILLEGAL_OFFSET');
  assert.equal(Number(over.find((f) => f.content === 'nextOffset')?.nextOffset), end);
  const waiting = raw.pull('GroupPull', topic, q0, end, 8, 10_000);
  await new Promise((res) => setTimeout(res, 300));
  for (let i = 0; i < queueIds.length; i++) await raw.send([message(topic, Buffer.from(`late-${i}`))]); // one lands in q0
  const late = await waiting;
  // A poll that timed out would answer MESSAGE_NOT_FOUND: OK with the new message means it was woken.
  assert.equal(codeOf(late[0]?.status), 'OK');
  assert.match(late.find((f) => f.message)?.message?.body.toString() ?? '', /^late-/);
  raw.close();
});

test('overload: past its limits the broker answers TOO_MANY_REQUESTS, stays up, and its memory stays bounded', async () => {
  const limited = await startBroker(grpcAddress(namesrvForOverload()), {
    extra: ['--brokerName', 'broker-limited', '--maxLongPollWaiters', '4', '--maxPendingAppends', '64'],
  });
  const ep = clientEndpoint(limited);
  const raw = new RawV2Client(ep);
  const topic = 'E2EOverloadTopic';
  assert.equal(codeOf((await raw.queryRoute(topic, ep)).status), 'OK');
  const rss = async () => {
    const text = await (await fetch(`http://127.0.0.1:${String(limited.ready.metricsPort)}/metrics`)).text();
    return Number(/process_resident_memory_bytes\{app="broker"\} (\d+)/.exec(text)?.[1]);
  };
  const rssBefore = await rss();

  // Parked receives: 4 may wait, the rest are refused at once.
  const parked = Array.from({ length: 12 }, (_, i) => raw.receive(`GroupOverload${i}`, topic, 1, 10_000, 3_000));
  const codes = (await Promise.all(parked)).map((frames) => codeOf(frames[0]?.status));
  assert.equal(codes.filter((c) => c === 'TOO_MANY_REQUESTS').length, 8, codes.join());
  assert.equal(codes.filter((c) => c === 'MESSAGE_NOT_FOUND').length, 4);

  // A flood of sends against a 64-message append queue: some are refused, none is lost silently.
  const body = Buffer.alloc(16 * 1024, 7);
  let refused = 0;
  let stored = 0;
  for (let round = 0; round < 20; round++) {
    const results = await Promise.all(Array.from({ length: 50 }, () => raw.send(Array.from({ length: 4 }, () => message(topic, body)))));
    for (const r of results) {
      const c = codeOf(r.status);
      if (c === 'OK') stored += r.entries.length;
      else if (c === 'TOO_MANY_REQUESTS') refused++;
      else assert.fail(`unexpected status ${c}`);
    }
  }
  assert.ok(refused > 0, 'the bounded append queue pushed back');
  assert.ok(stored > 0, 'and still stored what fit');
  assert.equal(limited.child.exitCode, null, 'the broker is still running');
  const status = runToExit('tools/mqadmin/dist/src/main.js', ['topicStatus', '-t', topic, '-b', `127.0.0.1:${String(limited.ready.internalPort)}`, '--json']);
  const total = (JSON.parse(status.stdout) as { queues: { maxOffset: string }[] }[])[0]?.queues.reduce((s, q) => s + Number(q.maxOffset), 0);
  assert.equal(total, stored, 'every acknowledged send is stored, every refused one is not');
  // 16 MB of bodies were offered in this test; the broker's memory grew by far less than that times ten.
  assert.ok((await rss()) - rssBefore < 160 * 1024 * 1024, 'memory bounded');
  raw.close();
});
