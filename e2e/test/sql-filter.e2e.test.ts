/**
 * SQL92 subscriptions with the official client, evaluated by a real filter server: each group gets
 * exactly the messages its expression selects under RocketMQ's semantics (three-valued logic,
 * coercion by the literal's type, missing properties, the CONTAINS family, TAGS/KEYS), through
 * SimpleConsumer, PushConsumer and offset pull; malformed expressions are refused with 40010 when
 * the consumer starts and when it receives; huge or deeply nested ones are refused at once without
 * holding up other groups.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { FilterExpression, Producer, SimpleConsumer } from 'rocketmq-client-nodejs';
import { FilterType } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { clientEndpoint, startBroker, startFilterServer, startNamesrv } from '../support/cluster';
import { type AppProcess, eventually, grpcAddress, runToExit, stopAll } from '../support/processes';
import { RawV2Client, codeOf } from '../support/raw-v2';
import { counterSum, metricsOf } from '../support/metrics';
import { sdkLogger } from '../support/sdk';

let endpoint: string;
let namesrvAddr: string;
let broker: AppProcess;
let filterServer: AppProcess;
const shutdowns: (() => Promise<unknown>)[] = [];

before(async () => {
  const namesrv = await startNamesrv();
  namesrvAddr = grpcAddress(namesrv);
  broker = await startBroker(namesrvAddr);
  endpoint = clientEndpoint(broker);
  filterServer = await startFilterServer({ namesrvAddr });
  // Evaluations must reach the filter server, not the broker's fallback: wait for its registration.
  await eventually(
    'filter server registered with the broker',
    async () => (/^orbitmq_filter_servers\S* 1$/m.test(await metricsOf(broker)) ? true : undefined),
    15_000,
  );
});

after(async () => {
  for (const s of shutdowns.reverse()) await s().catch(() => undefined);
  await stopAll();
});

interface Sample {
  i: number;
  tag: string;
  n?: string;
  s?: string;
}

/** 60 messages: n missing, an integer string or '7.5'; s 'red', 'green' or missing; tags A/B; one key each. */
const SAMPLES: Sample[] = Array.from({ length: 60 }, (_, i) => ({
  i,
  tag: i % 2 === 0 ? 'B' : 'A',
  ...(i % 4 === 0 ? {} : { n: i % 7 === 0 ? '7.5' : String(i % 10) }),
  ...(i % 3 === 0 ? { s: 'red' } : i % 3 === 1 ? { s: 'green' } : {}),
}));

const isInt = (v: string | undefined): v is string => v !== undefined && /^-?\d+$/.test(v);

/** Each expression and, written out by hand from RocketMQ's rules, which samples it must deliver. */
const CASES: { group: string; sql: string; want: (m: Sample) => boolean }[] = [
  // '7.5' against an int literal is an evaluation error (Integer.valueOf throws): not delivered.
  { group: 'SqlIntCompare', sql: 'n > 5', want: (m) => isInt(m.n) && Number(m.n) > 5 },
  { group: 'SqlFloatAndTag', sql: "n > 5.0 AND TAGS = 'A'", want: (m) => m.n !== undefined && Number(m.n) > 5 && m.tag === 'A' },
  // OR short-circuits on TRUE; otherwise the '7.5' error makes the whole expression fail.
  { group: 'SqlOrUnknown', sql: "s = 'red' OR n = 3", want: (m) => m.s === 'red' || (isInt(m.n) && Number(m.n) === 3) },
  // NOT UNKNOWN is UNKNOWN: a message without s is not delivered.
  { group: 'SqlNotMissing', sql: "NOT (s = 'red')", want: (m) => m.s !== undefined && m.s !== 'red' },
  { group: 'SqlIsNull', sql: "s IS NULL AND TAGS = 'A'", want: (m) => m.s === undefined && m.tag === 'A' },
  { group: 'SqlBetweenIn', sql: "n BETWEEN 2 AND 4 OR s IN ('nope', 'blue')", want: (m) => isInt(m.n) && Number(m.n) >= 2 && Number(m.n) <= 4 },
  // The CONTAINS family is two-valued: NOT (missing CONTAINS ..) is TRUE, missing NOT CONTAINS .. is FALSE.
  { group: 'SqlNotContains', sql: "NOT (s CONTAINS 'ed')", want: (m) => m.s !== 'red' },
  { group: 'SqlNotContainsOp', sql: "s NOT CONTAINS 'ed' AND s STARTSWITH 'gr'", want: (m) => m.s === 'green' },
  { group: 'SqlKeys', sql: "KEYS = 'k7' OR (KEYS ENDSWITH '9' AND UNIQ_KEY IS NOT NULL)", want: (m) => m.i === 7 || m.i % 10 === 9 },
];

function sqlConsumer(group: string, topic: string, sql: string): SimpleConsumer {
  return new SimpleConsumer({
    namespace: '',
    logger: sdkLogger(group),
    consumerGroup: group,
    endpoints: endpoint,
    subscriptions: new Map([[topic, new FilterExpression(sql, FilterType.SQL)]]),
    awaitDuration: 1_500,
  });
}

async function produce(topic: string, samples: readonly Sample[]): Promise<void> {
  const p = new Producer({ namespace: '', logger: sdkLogger('producer'), endpoints: endpoint });
  await p.startup();
  try {
    for (const m of samples) {
      const properties = new Map<string, string>();
      if (m.n !== undefined) properties.set('n', m.n);
      if (m.s !== undefined) properties.set('s', m.s);
      await p.send({ topic, tag: m.tag, keys: [`k${m.i}`], properties, body: Buffer.from(`m-${m.i}`) });
    }
  } finally {
    await p.shutdown();
  }
}

/** Receives and acks until `count` arrived, then one more long poll must bring nothing. */
async function drain(c: SimpleConsumer, count: number): Promise<number[]> {
  const got: number[] = [];
  const deadline = Date.now() + 30_000;
  while (got.length < count) {
    if (Date.now() > deadline) throw new Error(`received ${got.length} of ${count}: ${got.join(',')}`);
    for (const v of await c.receive(32, 30_000)) {
      got.push(Number(v.body.toString().slice(2)));
      await c.ack(v);
    }
  }
  for (const v of await c.receive(32, 30_000)) got.push(Number(v.body.toString().slice(2)));
  return got.sort((a, b) => a - b);
}

test('SimpleConsumer: each SQL92 group gets exactly the messages its expression selects, evaluated by the filter server', async () => {
  const topic = 'E2ESqlTopic';
  const consumers = CASES.map((c) => sqlConsumer(c.group, topic, c.sql));
  for (const c of consumers) {
    await c.startup();
    shutdowns.push(() => c.shutdown());
  }
  const before = counterSum(await metricsOf(filterServer), 'orbitmq_filter_server_evaluated_total');
  await produce(topic, SAMPLES);
  await Promise.all(
    CASES.map(async (c, k) => {
      const want = SAMPLES.filter(c.want).map((m) => m.i);
      assert.ok(want.length > 0 && want.length < SAMPLES.length, `${c.group} selects some but not all`);
      assert.deepEqual(await drain(consumers[k] as SimpleConsumer, want.length), want, `${c.group}: ${c.sql}`);
    }),
  );
  const evaluated = counterSum(await metricsOf(filterServer), 'orbitmq_filter_server_evaluated_total') - before;
  assert.ok(evaluated >= SAMPLES.length, `the filter server evaluated the candidates (${evaluated})`);
  const brokerMetrics = await metricsOf(broker);
  assert.equal(counterSum(brokerMetrics, 'orbitmq_filter_evaluated_messages_total', { via: 'local' }), 0, 'no fallback while a filter server is up');
  const want = SAMPLES.filter((CASES[0] as (typeof CASES)[number]).want).length;
  assert.equal(counterSum(brokerMetrics, 'orbitmq_filter_matched_messages_total', { group: 'SqlIntCompare' }), want);
});

test('mqadmin clusterList shows the filter servers of each broker', async () => {
  const fsEndpoint = String(filterServer.ready.endpoint);
  const listed = await eventually(
    'the broker reported its filter server to the name server',
    async () => {
      const r = runToExit('tools/mqadmin/dist/src/main.js', ['clusterList', '-n', namesrvAddr, '--json']);
      assert.equal(r.status, 0, r.stderr);
      const clusters = JSON.parse(r.stdout) as { brokers: { filterServerEndpoints: string[] }[] }[];
      return clusters[0]?.brokers[0]?.filterServerEndpoints.includes(fsEndpoint) ? r : undefined;
    },
    15_000,
    200,
  );
  assert.ok(listed);
  const table = runToExit('tools/mqadmin/dist/src/main.js', ['clusterList', '-n', namesrvAddr]);
  assert.match(table.stdout, /#Filter Servers/);
  assert.ok(table.stdout.includes(fsEndpoint), table.stdout);
});

test('PushConsumer and offset pull with SQL92 get only matching messages', async () => {
  const topic = 'E2ESqlPushTopic';
  const sql = "n >= 3 AND s = 'green'";
  const want = SAMPLES.filter((m) => isInt(m.n) && Number(m.n) >= 3 && m.s === 'green').map((m) => m.i);
  const child = spawn(
    process.execPath,
    [path.join(__dirname, '../support/sdk-push-driver.js'), endpoint, 'SqlPush', topic, String(want.length), '--sql', sql],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  shutdowns.push(async () => child.kill('SIGKILL'));
  let out = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  await eventually(
    'push consumer started',
    async () => (out.includes('started\n') ? true : child.exitCode !== null ? Promise.reject(new Error(stderr)) : undefined),
    30_000,
    50,
  );
  await produce(topic, SAMPLES);
  assert.equal(await exited, 0, `the push consumer saw ${want.length} messages; ${stderr}`);
  const consumed = out
    .split('\n')
    .filter((l) => l.startsWith('consumed '))
    .map((l) => Number((l.split(' ')[1] as string).slice(2)))
    .sort((a, b) => a - b);
  assert.deepEqual(consumed, want);

  // Offset pull (queue by queue from offset 0): the same selection.
  const raw = new RawV2Client(endpoint);
  try {
    const route = await raw.queryRoute(topic, endpoint);
    const pulled: number[] = [];
    for (const q of route.messageQueues) {
      let offset = 0;
      for (;;) {
        const frames = await raw.pull('SqlPuller', topic, q.id, offset, 32, 0, sql, 'SQL');
        for (const f of frames) if (f.message) pulled.push(Number(f.message.body.toString().slice(2)));
        const next = Number(frames.find((f) => f.nextOffset !== undefined && f.content === 'nextOffset')?.nextOffset ?? offset);
        if (next === offset) break;
        offset = next;
      }
    }
    assert.deepEqual(
      pulled.sort((a, b) => a - b),
      want,
    );
  } finally {
    raw.close();
  }
});

test('a malformed SQL92 expression is refused with 40010 and its position, at startup and at receive', async () => {
  const topic = 'E2ESqlBadTopic';
  const bad = sqlConsumer('SqlBadStartup', topic, "a like '%x%'");
  // The client wraps the BadRequestException: "Startup the rocketmq client failed, ... BadRequestException: [..., response-code=40010] ...".
  await assert.rejects(bad.startup(), (err: Error) => /BadRequestException.*response-code=40010/.test(err.message) && /line 1, column 3/.test(err.message));
  await bad.shutdown().catch(() => undefined);

  const raw = new RawV2Client(endpoint);
  try {
    const frames = await raw.receive('SqlBadReceive', topic, 16, 30_000, 1_000, { type: 'SQL', expression: 'a > > 1' });
    assert.equal(codeOf(frames[0]?.status), 'ILLEGAL_FILTER_EXPRESSION');
    assert.match(frames[0]?.status?.message ?? '', /line 1, column \d+/);
  } finally {
    raw.close();
  }
});

test('huge and deeply nested expressions are refused at once; other groups keep consuming', async () => {
  const topic = 'E2ESqlLimitTopic';
  const good = sqlConsumer('SqlLimitGood', topic, "s = 'red'");
  await good.startup();
  shutdowns.push(() => good.shutdown());
  const raw = new RawV2Client(endpoint);
  try {
    const nested = `${'('.repeat(50_000)}a = 1${')'.repeat(50_000)}`;
    const huge = Array.from({ length: 600 }, (_, i) => `p${i} = 'v'`).join(' OR ');
    const refusals = await Promise.all(
      [nested, huge, `a IN (${Array.from({ length: 2_000 }, (_, i) => `'${i}'`).join(',')})`].map((expression) =>
        raw.receive('SqlLimitBad', topic, 16, 30_000, 1_000, { type: 'SQL', expression }),
      ),
    );
    for (const frames of refusals) {
      assert.equal(codeOf(frames[0]?.status), 'ILLEGAL_FILTER_EXPRESSION');
      assert.match(frames[0]?.status?.message ?? '', /limit/);
    }
    await produce(topic, SAMPLES.slice(0, 12));
    assert.deepEqual(
      await drain(good, 4),
      SAMPLES.slice(0, 12)
        .filter((m) => m.s === 'red')
        .map((m) => m.i),
    );
  } finally {
    raw.close();
  }
});

test('SQL92 filters FIFO, delayed and transactional messages like normal ones', async () => {
  const topic = 'E2ESqlTypesTopic';
  const c = sqlConsumer('SqlTypes', topic, "kind = 'yes'");
  await c.startup();
  shutdowns.push(() => c.shutdown());
  const p = new Producer({ namespace: '', logger: sdkLogger('types-producer'), endpoints: endpoint, checker: { check: async () => 1 as never } });
  await p.startup();
  shutdowns.push(() => p.shutdown());
  for (const kind of ['yes', 'no']) {
    const properties = new Map([['kind', kind]]);
    await p.send({ topic, properties, body: Buffer.from(`normal-${kind}`) });
    await p.send({ topic, messageGroup: 'g1', properties, body: Buffer.from(`fifo-${kind}`) });
    await p.send({ topic, delay: 1_000, properties, body: Buffer.from(`delayed-${kind}`) });
    const tx = p.beginTransaction();
    await p.send({ topic, properties, body: Buffer.from(`transactional-${kind}`) }, tx);
    await tx.commit();
  }
  const got: string[] = [];
  await eventually(
    'the four matching messages',
    async () => {
      for (const v of await c.receive(16, 30_000)) {
        got.push(v.body.toString());
        await c.ack(v);
      }
      return got.length >= 4 ? true : undefined;
    },
    30_000,
    10,
  );
  for (const v of await c.receive(16, 30_000)) got.push(v.body.toString());
  assert.deepEqual(got.sort(), ['delayed-yes', 'fifo-yes', 'normal-yes', 'transactional-yes']);
});
