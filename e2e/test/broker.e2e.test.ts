/**
 * The broker as a real process, driven by the official RocketMQ Node.js client
 * (rocketmq-client-nodejs): produce and consume with tags, keys, properties and large bodies;
 * invisible time and redelivery; SIGKILL while producing with SYNC_FLUSH; bad input.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as net from 'node:net';
import { Producer, SimpleConsumer, type MessageView } from 'rocketmq-client-nodejs';
import { clientEndpoint, startBroker, startNamesrv } from '../support/cluster';
import { type AppProcess, eventually, grpcAddress, stopAll } from '../support/processes';
import { RawV2Client, codeOf, message } from '../support/raw-v2';
import { consumeInChild, produceInChild } from '../support/drivers';
import { sdkLogger } from '../support/sdk';

let namesrv: AppProcess;
let broker: AppProcess;
let endpoint: string;
const shutdowns: (() => Promise<unknown>)[] = [];

before(async () => {
  namesrv = await startNamesrv();
  broker = await startBroker(grpcAddress(namesrv));
  endpoint = clientEndpoint(broker);
});

after(async () => {
  for (const s of shutdowns.reverse()) await s().catch(() => undefined);
  await stopAll();
});

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Deterministic pseudo-random numbers (test data must be reproducible). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

async function consumer(group: string, topic: string, expression: string, ep = endpoint, awaitMs = 2_000): Promise<SimpleConsumer> {
  const c = new SimpleConsumer({
    namespace: '',
    logger: sdkLogger(group),
    consumerGroup: group,
    endpoints: ep,
    subscriptions: new Map([[topic, expression]]),
    awaitDuration: awaitMs,
  });
  await c.startup();
  shutdowns.push(() => c.shutdown());
  return c;
}

async function producer(ep = endpoint): Promise<Producer> {
  const p = new Producer({ namespace: '', logger: sdkLogger('producer'), endpoints: ep });
  await p.startup();
  shutdowns.push(() => p.shutdown());
  return p;
}

/** Runs `work` over items with at most `n` in flight. */
async function pool<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** Errors a client surfaces while it reconnects to a restarted broker (retried by the caller). */
function transient(err: unknown): boolean {
  const code = (err as { code?: number }).code;
  return code === 14 || code === 4 || (code !== undefined && code >= 50000 && code < 51000);
}

/** Receives and acks until `want` messages arrived or `timeoutMs` passed. */
async function drain(c: SimpleConsumer, want: number, timeoutMs: number, onMessage: (m: MessageView) => void): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let got = 0;
  while (got < want && Date.now() < deadline) {
    let batch: MessageView[];
    try {
      batch = await c.receive(32, 30_000);
    } catch (err) {
      if (!transient(err)) throw err;
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    for (const m of batch) {
      onMessage(m);
      await c.ack(m);
      got++;
    }
  }
  return got;
}

test('thousands of messages with tags, keys, properties and 0 B-4 MiB bodies: each tag-filtered group gets exactly its messages, intact, once', async () => {
  const topic = 'E2EVolumeTopic';
  const groups = { all: ['GroupAll', '*'], a: ['GroupA', 'TagA'], bc: ['GroupBC', 'TagB || TagC'] } as const;
  const consumers = {
    all: await consumer(groups.all[0], topic, groups.all[1]),
    a: await consumer(groups.a[0], topic, groups.a[1]),
    bc: await consumer(groups.bc[0], topic, groups.bc[1]),
  };
  const p = await producer();
  const rand = rng(42);
  // Large bodies up to the most a Node client can receive: grpc-js caps one inbound frame (one
  // message) at 4 MiB, so a 4 MiB body plus its headers cannot be delivered to this client.
  const large = [0, 64 * 1024, 1024 * 1024, 4 * 1024 * 1024 - 16 * 1024];
  const N = 3_000;
  const sent = new Map<string, { tag: string; sha: string; index: number; keys: string[] }>();
  const items = Array.from({ length: N }, (_, i) => {
    const tag = ['TagA', 'TagB', 'TagC', 'TagD'][i % 4] as string;
    const size = i % 250 === 0 ? (large[(i / 250) % large.length] as number) : Math.floor(rand() * 2048);
    return { i, tag, body: Buffer.alloc(size, i & 0xff).fill(Math.floor(rand() * 255), 0, Math.min(size, 8)) };
  });
  await pool(items, 32, async ({ i, tag, body }) => {
    const keys = [`order-${i}`, `user-${i % 97}`];
    const r = await p.send({
      topic,
      tag,
      keys,
      body,
      properties: new Map([
        ['index', String(i)],
        ['source', 'e2e'],
      ]),
    });
    sent.set(r.messageId, { tag, sha: sha(body), index: i, keys });
  });
  assert.equal(sent.size, N, 'every send was acknowledged with a distinct message id');

  const expect = (filter: (tag: string) => boolean) => [...sent.entries()].filter(([, v]) => filter(v.tag)).map(([id]) => id);
  const plan = [
    { c: consumers.all, want: expect(() => true) },
    { c: consumers.a, want: expect((t) => t === 'TagA') },
    { c: consumers.bc, want: expect((t) => t === 'TagB' || t === 'TagC') },
  ];
  for (const { c, want } of plan) {
    const seen = new Map<string, number>();
    await drain(c, want.length, 120_000, (m) => {
      const s = sent.get(m.messageId);
      assert.ok(s, `unexpected message ${m.messageId}`);
      assert.notEqual(m.corrupted, true, 'body digest verified by the client');
      assert.equal(sha(m.body), s.sha, `body of message ${s.index}`);
      assert.equal(m.tag, s.tag);
      assert.deepEqual(m.keys, s.keys);
      assert.equal(m.properties.get('index'), String(s.index));
      assert.equal(m.topic, topic);
      seen.set(m.messageId, (seen.get(m.messageId) ?? 0) + 1);
    });
    assert.deepEqual([...seen.keys()].sort(), [...want].sort(), 'exactly the messages matching the filter');
    assert.ok(
      [...seen.values()].every((n) => n === 1),
      'each once',
    );
    assert.equal((await c.receive(32, 30_000)).length, 0, 'nothing more');
  }
});

test('an unacked message comes back with delivery attempt + 1; ChangeInvisibleDuration issues a new handle and the old one is rejected', async () => {
  const topic = 'E2EInvisibleTopic';
  const group = 'GroupInvisible';
  const c = await consumer(group, topic, '*');
  const p = await producer();
  const sentId = (await p.send({ topic, tag: 'T', body: Buffer.from('come back') })).messageId;

  const [first] = await c.receive(1, 2_000);
  assert.equal(first?.messageId, sentId);
  assert.equal(first?.deliveryAttempt, 1);
  // Not acked: visible again after 2 s, as attempt 2.
  const again = (await c.receive(1, 2_000))[0] ?? (await c.receive(1, 2_000))[0];
  assert.equal(again?.messageId, sentId);
  assert.equal(again?.deliveryAttempt, 2);
  // A handle of the first delivery is superseded by the redelivery.
  const raw = new RawV2Client(endpoint);
  assert.equal(codeOf((await raw.ack(group, topic, (first as MessageView).receiptHandle)).status), 'INVALID_RECEIPT_HANDLE');

  const oldHandle = (again as MessageView).receiptHandle;
  await c.changeInvisibleDuration(again as MessageView, 60_000);
  assert.notEqual((again as MessageView).receiptHandle, oldHandle, 'a new handle');
  assert.equal(codeOf((await raw.ack(group, topic, oldHandle)).status), 'INVALID_RECEIPT_HANDLE', 'the old handle no longer works');
  await c.ack(again as MessageView);
  assert.equal(codeOf((await raw.ack(group, topic, (again as MessageView).receiptHandle)).status), 'INVALID_RECEIPT_HANDLE', 'acked once only');
  assert.equal((await c.receive(1, 2_000)).length, 0, 'acked: never delivered again');
  raw.close();
});

test('SIGKILL while producing with SYNC_FLUSH: after restart every acknowledged message is consumed, and acked ones are never redelivered', async () => {
  const args = ['--flushDiskType', 'SYNC_FLUSH', '--brokerName', 'broker-crash'];
  const crashBroker = await startBroker(grpcAddress(namesrv), { extra: args });
  const port = Number(crashBroker.ready.grpcPort);
  const ep = clientEndpoint(crashBroker);
  const topic = 'E2ECrashTopic';
  const group = 'GroupCrash';
  // SDK clients run in child processes here: rocketmq-client-nodejs 1.0.8 can throw an uncaught
  // exception in its own process when a broker it talks to is killed.
  await consumeInChild(ep, group, topic, 'create'); // the group starts here, before production

  const { child: driver, acked } = produceInChild(ep, topic, 16);
  await eventually('500 acknowledged sends', async () => (acked.size >= 500 ? true : undefined), 60_000, 10);
  await crashBroker.kill('SIGKILL');
  const ackedBeforeKill = new Set(acked);
  driver.kill('SIGKILL');

  const restarted = await startBroker(grpcAddress(namesrv), { storeDir: crashBroker.storeDir, grpcServerPort: port, extra: args });
  assert.ok(
    restarted.lines.some((l) => l.includes('store opened') && l.includes('"cleanShutdown":false')),
    'recovery after an unclean stop',
  );
  const got = await consumeInChild(ep, group, topic, 'drain');
  const seen = new Map<string, number>();
  for (const id of got) seen.set(id, (seen.get(id) ?? 0) + 1);
  for (const id of ackedBeforeKill) assert.ok(seen.has(id), `acknowledged message ${id} was lost`);
  assert.ok(
    [...seen.values()].every((n) => n === 1),
    'none delivered twice',
  );
  assert.ok(got.length >= ackedBeforeKill.size);

  // Acks survive a crash: after another SIGKILL and restart nothing comes back.
  await restarted.kill('SIGKILL');
  await startBroker(grpcAddress(namesrv), { storeDir: crashBroker.storeDir, grpcServerPort: port, extra: args });
  assert.deepEqual(await consumeInChild(ep, group, topic, 'drain'), [], 'acked messages are not redelivered after a restart');
});

test('an unacked delivery survives SIGKILL: after restart it comes back with delivery attempt + 1; acked ones do not', async () => {
  const b = await startBroker(grpcAddress(namesrv), { extra: ['--brokerName', 'broker-inflight'] });
  const topic = 'E2EInflightTopic';
  const group = 'GroupInflight';
  let raw = new RawV2Client(clientEndpoint(b));
  assert.equal(codeOf((await raw.queryRoute(topic, clientEndpoint(b))).status), 'OK'); // auto-creates the topic
  assert.equal(codeOf((await raw.receive(group, topic, 1, 1_000, 0))[0]?.status), 'MESSAGE_NOT_FOUND'); // creates the group
  const sent = await raw.send([message(topic, Buffer.from('keep me')), message(topic, Buffer.from('ack me'))]);
  assert.equal(codeOf(sent.status), 'OK');
  const frames = await raw.receive(group, topic, 2, 2_000, 5_000);
  const delivered = frames.filter((f) => f.message).map((f) => f.message as NonNullable<typeof f.message>);
  assert.equal(delivered.length, 2);
  const ackMe = delivered.find((m) => m.body.toString() === 'ack me');
  const keepMe = delivered.find((m) => m.body.toString() === 'keep me');
  assert.equal(codeOf((await raw.ack(group, topic, ackMe?.systemProperties?.receiptHandle ?? '')).status), 'OK');
  raw.close();
  await b.kill('SIGKILL');

  const again = await startBroker(grpcAddress(namesrv), { storeDir: b.storeDir, extra: ['--brokerName', 'broker-inflight'] });
  raw = new RawV2Client(clientEndpoint(again));
  const back = (await raw.receive(group, topic, 2, 2_000, 10_000)).filter((f) => f.message).map((f) => f.message as NonNullable<typeof f.message>);
  assert.equal(back.length, 1, 'only the unacked message comes back');
  assert.equal(back[0]?.systemProperties?.messageId, keepMe?.systemProperties?.messageId);
  assert.equal(back[0]?.systemProperties?.deliveryAttempt, 2);
  raw.close();
});

test('bad input gets clear codes, the broker stays up, and nothing stored is lost', async () => {
  const topic = 'E2EBadInputTopic';
  const group = 'GroupBadInput';
  const c = await consumer(group, topic, '*', endpoint, 1_000);
  const p = await producer();
  const before = (await p.send({ topic, body: Buffer.from('stored before the bad input') })).messageId;
  const raw = new RawV2Client(endpoint);

  const tooBig = await raw.send([message(topic, Buffer.alloc(4 * 1024 * 1024 + 1))]);
  assert.equal(codeOf(tooBig.entries[0]?.status), 'MESSAGE_BODY_TOO_LARGE');
  assert.equal(codeOf((await raw.send([])).status), 'BAD_REQUEST');
  assert.equal(codeOf((await raw.send([message(topic, Buffer.from('x'), { messageId: '' })])).status), 'ILLEGAL_MESSAGE_ID');
  assert.equal(codeOf((await raw.send([message(topic, Buffer.from('x'), { tag: 'a|b' })])).status), 'ILLEGAL_MESSAGE_TAG');
  assert.equal(codeOf((await raw.send([message('bad topic!', Buffer.from('x'))])).status), 'ILLEGAL_TOPIC');
  assert.equal(codeOf((await raw.ack(group, topic, 'not-a-handle!')).status), 'INVALID_RECEIPT_HANDLE');
  assert.equal(codeOf((await raw.ack(group, topic, Buffer.alloc(40, 7).toString('base64url'))).status), 'INVALID_RECEIPT_HANDLE');
  assert.equal(codeOf((await raw.changeInvisible(group, topic, 'garbage', 1000)).status), 'INVALID_RECEIPT_HANDLE');

  // Garbage on the client port: random bytes, an HTTP/1 request, a cut HTTP/2 preface. Whatever
  // the HTTP/2 layer does with each connection, the broker must keep serving everyone else.
  const garbage = [
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) & 0xff)),
    Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
    Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0000\u0000'),
  ];
  const sockets = await Promise.all(
    garbage.map(
      (g) =>
        new Promise<net.Socket>((resolve) => {
          const s = net.connect(Number(broker.ready.grpcPort), '127.0.0.1', () => s.write(g, () => resolve(s)));
          s.on('error', () => undefined);
        }),
    ),
  );
  assert.equal(broker.child.exitCode, null, 'still running');
  const afterId = (await p.send({ topic, body: Buffer.from('stored after the bad input') })).messageId;
  for (const sock of sockets) sock.destroy();
  const got = new Set<string>();
  await drain(c, 2, 30_000, (m) => got.add(m.messageId));
  assert.deepEqual([...got].sort(), [before, afterId].sort());
  raw.close();
});

test('with autoCreateTopicEnable=false an unknown topic is TOPIC_NOT_FOUND', async () => {
  const strict = await startBroker(grpcAddress(namesrv), { extra: ['--autoCreateTopicEnable', 'false', '--brokerName', 'broker-strict'] });
  const raw = new RawV2Client(clientEndpoint(strict));
  assert.equal(codeOf((await raw.queryRoute('NoSuchTopicAnywhere', clientEndpoint(strict))).status), 'TOPIC_NOT_FOUND');
  assert.equal(codeOf((await raw.send([message('NoSuchTopicAnywhere', Buffer.from('x'))])).status), 'TOPIC_NOT_FOUND');
  const p = new Producer({ namespace: '', logger: sdkLogger('strict-producer'), endpoints: clientEndpoint(strict) });
  await p.startup();
  await assert.rejects(p.send({ topic: 'NoSuchTopicAnywhere', body: Buffer.from('x') }), (e: { code?: number }) => e.code === 40402);
  await p.shutdown().catch(() => undefined);
  raw.close();
});

test('metrics count messages in and out', async () => {
  const res = await fetch(`http://127.0.0.1:${String(broker.ready.metricsPort)}/metrics`);
  const text = await res.text();
  assert.match(text, /rocketmq_messages_in_total\{topic="E2EVolumeTopic",app="broker"\} 3000/);
  assert.match(text, /rocketmq_messages_out_total\{topic="E2EVolumeTopic",group="GroupA",app="broker"\} 750/);
  assert.match(text, /rocketmq_rpc_requests_total\{method="SendMessage",code="OK",app="broker"\} \d+/);
  assert.match(text, /rocketmq_store_size_bytes\{app="broker"\} [1-9]\d*/);
});

test('a throttled request is counted under its own code: TOO_MANY_REQUESTS, not a name sharing its number', async () => {
  // One parked receive allowed: the second concurrent long poll is refused with TOO_MANY_REQUESTS.
  const small = await startBroker(grpcAddress(namesrv), { extra: ['--brokerName', 'broker-throttle', '--maxLongPollWaiters', '1'] });
  const raw = new RawV2Client(clientEndpoint(small));
  const sent = await raw.send([message('ThrottleTopic', Buffer.from('make the topic'))]);
  assert.equal(codeOf(sent.status), 'OK');
  const metricsText = async () => (await fetch(`http://127.0.0.1:${String(small.ready.metricsPort)}/metrics`)).text();
  // A new group starts at the end of the queue: its receive finds nothing and parks.
  const parked = raw.receive('ThrottleGroup', 'ThrottleTopic', 32, 30_000, 20_000);
  await eventually('one parked receive', async () => ((await metricsText()).match(/^rocketmq_long_polling_requests\{app="broker"\} 1$/m) ? true : undefined));
  const refused = await raw.receive('ThrottleGroup', 'ThrottleTopic', 32, 30_000, 20_000);
  assert.equal(codeOf(refused[0]?.status), 'TOO_MANY_REQUESTS');
  const counted = await eventually(
    'the refusal in the request metric',
    async () => (await metricsText()).match(/^rocketmq_rpc_requests_total\{method="ReceiveMessage",code="TOO_MANY_REQUESTS",app="broker"\} 1$/m) ?? undefined,
  );
  assert.ok(counted);
  assert.doesNotMatch(await metricsText(), /code="APPEND_QUEUE_FULL"/);
  await raw.send([message('ThrottleTopic', Buffer.from('wake the parked receive'))]);
  assert.equal((await parked).filter((f) => f.message).length, 1);
  raw.close();
  await small.kill('SIGTERM');
});
