/**
 * RocketMQ 4.x remoting compatibility, proven with a client nobody here wrote: ali-ons 3.x (npm),
 * unchanged, against the built name server and broker. ali-ons is given the name server's port as
 * `nameSrv` (remoting is sniffed on the gRPC port) and reaches the broker at the route's
 * brokerAddrs "0" (brokerIP1:listenPort). Each ali-ons client runs in its own process
 * (support/ali-ons-driver.ts).
 *
 * Message ids as ali-ons has them (docs/remoting.md, "ali-ons, as our server sees it"):
 *  - a producer's SendResult.msgId is the msgId header of the broker's send response;
 *  - a consumer's msg.msgId is computed by ali-ons from the record: hex(storeHost IPv4, port, commit-log
 *    offset), 32 upper-case hex digits. It ignores UNIQ_KEY, so it is the "offsetMsgId" even for a
 *    message sent by a v5 client (whose messageId then shows up as properties.UNIQ_KEY);
 *  - both agree when the broker's response msgId is the offsetMsgId of the stored record.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { Producer, SimpleConsumer } from 'rocketmq-client-nodejs';
import { AliOnsDriver, type Delivery, assertOnce, createTopic, killAliOnsDrivers, offsetMsgIdPrefix, type Sent, waitCommitted } from '../support/ali-ons';
import { clientEndpoint, startBroker, startNamesrv } from '../support/cluster';
import { type AppProcess, eventually, grpcAddress, stopAll, tmpDir } from '../support/processes';
import { sdkLogger } from '../support/sdk';

/** 18 classic delay levels of 1 s each: the retry of a failed consume (level 3 + reconsumeTimes) comes back in ~1 s. */
const FAST_DELAY_LEVELS = Array.from({ length: 18 }, () => '1s').join(' ');
const BROKER_EXTRA = ['--messageDelayLevel', FAST_DELAY_LEVELS];

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
  killAliOnsDrivers();
  await stopAll();
});

/** The broker's remoting address as ali-ons gets it from the route: brokerIP1:listenPort. */
function remotingAddr(b: AppProcess): string {
  return `127.0.0.1:${String(b.ready.internalPort)}`;
}

async function aliProducer(nsAddr: string, group: string): Promise<AliOnsDriver> {
  const p = await AliOnsDriver.start(`producer ${group}`, { role: 'producer', nameSrv: nsAddr, group });
  shutdowns.push(async () => p.kill());
  return p;
}

async function aliConsumer(
  nsAddr: string,
  group: string,
  topic: string,
  opts: { expression?: string; broadcast?: boolean; throwFirst?: string[]; retryFirst?: string[]; home?: string; name?: string } = {},
): Promise<AliOnsDriver> {
  const c = await AliOnsDriver.start(
    opts.name ?? `consumer ${group}`,
    {
      role: 'consumer',
      nameSrv: nsAddr,
      group,
      topic,
      fromFirst: true,
      ...(opts.expression ? { expression: opts.expression } : {}),
      ...(opts.broadcast ? { broadcast: true } : {}),
      ...(opts.throwFirst ? { throwFirst: opts.throwFirst } : {}),
      ...(opts.retryFirst ? { retryFirst: opts.retryFirst } : {}),
    },
    opts.home ? { HOME: opts.home } : {},
  );
  shutdowns.push(async () => c.kill());
  return c;
}

test('(a) ali-ons Producer → clustering push Consumer: bodies, tags, keys, user properties, message ids', async () => {
  const topic = 'AliOnsBasic';
  const group = 'GID_ALI_BASIC';
  await createTopic(namesrvAddr, topic);
  const consumer = await aliConsumer(namesrvAddr, group, topic);
  await consumer.waitForQueues(4);
  const producer = await aliProducer(namesrvAddr, 'PID_ALI_BASIC');

  const N = 20;
  const sent = new Map<string, Sent>();
  for (let i = 0; i < N; i++) {
    const body = `a-${i}`;
    sent.set(
      body,
      await producer.send({ topic, tags: i % 2 ? 'TagOdd' : 'TagEven', keys: [`k${i}`, `kk${i}`], props: { seq: String(i), origin: 'ali-ons' }, body }),
    );
  }
  // ali-ons zlib-compresses bodies of 4 KiB and more (sysFlag 0x1); the consumer inflates them.
  const big = await producer.send({ topic, tags: 'TagBig', keys: ['kbig'], props: { seq: 'big' }, bodySize: 8192 });
  const bigBody = `xxxxxxxxxxxxxxxx…(8192 bytes)`;
  sent.set(bigBody, big);

  const all = [...sent.keys()];
  await consumer.waitForBodies(all);
  const got = consumer.deliveries();
  assertOnce(got, all, 'consumer');
  const prefix = offsetMsgIdPrefix('127.0.0.1', Number(broker.ready.internalPort));
  for (const d of got) {
    const s = sent.get(d.body) as Sent;
    assert.equal(s.status, 'SEND_OK');
    assert.equal(d.topic, topic);
    assert.equal(d.reconsumeTimes, 0);
    assert.match(d.msgId, /^[0-9A-F]{32}$/, 'ali-ons computes a 32-hex offsetMsgId from the record');
    assert.equal(d.msgId.slice(0, 16), prefix, 'its store host is brokerIP1:listenPort');
    assert.equal(d.msgId, s.msgId, "the producer's msgId (send response header) names the same stored record");
    assert.equal(d.queueId, s.queueId, 'stored in the queue the producer chose');
    assert.equal(d.queueOffset, s.queueOffset);
    if (d.body === bigBody) {
      assert.equal(d.bodyLength, 8192, 'compressed body inflated');
      assert.equal(d.tags, 'TagBig');
      assert.equal(d.keys, 'kbig');
      assert.equal(d.properties.seq, 'big');
      continue;
    }
    const i = Number(d.body.slice(2));
    assert.equal(d.tags, i % 2 ? 'TagOdd' : 'TagEven');
    assert.equal(d.keys, `k${i} kk${i}`);
    assert.equal(d.properties.seq, String(i));
    assert.equal(d.properties.origin, 'ali-ons');
  }
  assert.deepEqual(
    consumer.events.filter((e) => e.ev === 'uncaught'),
    [],
  );
  const closed = await consumer.close();
  assert.equal(closed.error, undefined, 'close (offset commit + UNREGISTER_CLIENT) succeeded');
  assert.equal((await producer.close()).error, undefined, 'producer close (UNREGISTER_CLIENT) succeeded');
});

test("(b) tag filter 'TagA || TagB' delivers only those tags", async () => {
  const topic = 'AliOnsTags';
  const group = 'GID_ALI_TAGS';
  await createTopic(namesrvAddr, topic);
  const consumer = await aliConsumer(namesrvAddr, group, topic, { expression: 'TagA || TagB' });
  await consumer.waitForQueues(4);
  const producer = await aliProducer(namesrvAddr, 'PID_ALI_TAGS');
  const tags = ['TagA', 'TagB', 'TagC'];
  const want: string[] = [];
  for (let i = 0; i < 30; i++) {
    const tag = tags[i % 3] as string;
    await producer.send({ topic, tags: tag, body: `${tag}-${i}` });
    if (tag !== 'TagC') want.push(`${tag}-${i}`);
  }
  await consumer.waitForBodies(want);
  // Once the group's committed offsets reach the end of every queue, the consumer has passed over
  // every TagC message too: nothing more can arrive.
  await waitCommitted(namesrvAddr, group, topic, 30);
  const got = consumer.deliveries();
  assertOnce(got, want, 'tag consumer');
  assert.ok(
    got.every((d) => d.tags === 'TagA' || d.tags === 'TagB'),
    'only TagA and TagB',
  );
  await consumer.close();
  await producer.close();
});

test('(c) two clustering consumers of one group split the queues (GET_CONSUMER_LIST_BY_GROUP) and get every message once', async () => {
  const topic = 'AliOnsCluster';
  const group = 'GID_ALI_CLUSTER';
  await createTopic(namesrvAddr, topic);
  const c1 = await aliConsumer(namesrvAddr, group, topic, { name: 'c1' });
  await c1.waitForQueues(4);
  const c2 = await aliConsumer(namesrvAddr, group, topic, { name: 'c2' });
  // Both see two consumer ids: ali-ons' averaging strategy gives each two of the four queues.
  await c2.waitForQueues(2);
  await c1.waitForQueues(2);
  assert.equal(new Set([...c1.queues(), ...c2.queues()]).size, 4, 'disjoint, and together all four queues');

  const producer = await aliProducer(namesrvAddr, 'PID_ALI_CLUSTER');
  const bodies = Array.from({ length: 40 }, (_, i) => `c-${i}`);
  for (const body of bodies) await producer.send({ topic, tags: 'T', body });
  await eventually(
    'the two consumers together to consume all 40',
    async () => (new Set([...c1.deliveries(), ...c2.deliveries()].map((d) => d.body)).size === 40 ? true : undefined),
    30_000,
    100,
  );
  assertOnce([...c1.deliveries(), ...c2.deliveries()], bodies, 'group');
  for (const c of [c1, c2]) {
    assert.ok(c.deliveries().length > 0, `${c.name} got some`);
    const mine = new Set(c.queues().map((q) => Number(q.split(':')[1])));
    assert.ok(
      c.deliveries().every((d) => mine.has(d.queueId)),
      `${c.name} only consumed its own queues`,
    );
  }
  await c1.close();
  await c2.close();
  await producer.close();
});

test('(d) broadcasting: two consumers of one group each get everything; offsets in their local files', async () => {
  const topic = 'AliOnsBroadcast';
  const group = 'GID_ALI_BROADCAST';
  await createTopic(namesrvAddr, topic);
  // ali-ons keeps broadcasting offsets in $HOME/.rocketmq_offsets_node/<clientId>/<group>/offsets.json,
  // and both processes have the clientId "<ip>@DEFAULT": each gets its own temporary HOME.
  const b1 = await aliConsumer(namesrvAddr, group, topic, { broadcast: true, home: tmpDir('ali-ons-home-'), name: 'b1' });
  const b2 = await aliConsumer(namesrvAddr, group, topic, { broadcast: true, home: tmpDir('ali-ons-home-'), name: 'b2' });
  await b1.waitForQueues(4);
  await b2.waitForQueues(4);
  const producer = await aliProducer(namesrvAddr, 'PID_ALI_BROADCAST');
  const bodies = Array.from({ length: 20 }, (_, i) => `d-${i}`);
  for (const body of bodies) await producer.send({ topic, tags: 'T', body });
  await b1.waitForBodies(bodies);
  await b2.waitForBodies(bodies);
  assertOnce(b1.deliveries(), bodies, 'b1');
  assertOnce(b2.deliveries(), bodies, 'b2');
  for (const b of [b1, b2]) {
    const closed = await b.close();
    const file = closed.offsetFile as { path: string; content: string };
    assert.ok(file.content, `${b.name} wrote ${file.path}`);
    const table = (JSON.parse(file.content) as { offsetTable: Record<string, number> }).offsetTable;
    assert.equal(
      Object.values(table).reduce((a, o) => a + o, 0),
      20,
      `${b.name}'s local offsets cover the 20 messages`,
    );
  }
  await producer.close();
});

test('(e) retry: a throwing handler and ACTION_RETRY each get the message again via %RETRY%<group> (CONSUMER_SEND_MSG_BACK), reconsumeTimes 1', async () => {
  const topic = 'AliOnsRetry';
  const group = 'GID_ALI_RETRY';
  await createTopic(namesrvAddr, topic);
  const consumer = await aliConsumer(namesrvAddr, group, topic, { throwFirst: ['e-3'], retryFirst: ['e-7'] });
  await consumer.waitForQueues(4);
  const producer = await aliProducer(namesrvAddr, 'PID_ALI_RETRY');
  const bodies = Array.from({ length: 10 }, (_, i) => `e-${i}`);
  for (const body of bodies) await producer.send({ topic, tags: 'T', keys: [`ke${body}`], props: { p: body }, body });
  await consumer.waitForBodies(bodies, 60_000);
  const got = consumer.deliveries();
  assertOnce(got, bodies, 'retry consumer');
  const failed = consumer.deliveries('failed');
  assert.deepEqual(failed.map((f) => f.body).sort(), ['e-3', 'e-7']);
  const backs = consumer.events.filter((e) => e.ev === 'sendBack');
  assert.deepEqual(
    backs.filter((e) => e.ok !== true),
    [],
    'CONSUMER_SEND_MSG_BACK (36) answered SUCCESS (no client-side fallback re-send)',
  );
  assert.equal(backs.length, 2);
  for (const f of failed) {
    assert.equal(f.reconsumeTimes, 0);
    const again = got.find((d) => d.body === f.body) as Delivery;
    assert.equal(again.reconsumeTimes, 1, `${f.body} redelivered with reconsumeTimes 1`);
    assert.equal(again.topic, topic, 'ali-ons maps it back to the original topic (RETRY_TOPIC property)');
    assert.equal(again.retryTopic, topic);
    assert.equal(again.originMessageId, f.msgId, 'ORIGIN_MESSAGE_ID = the first delivery');
    assert.notEqual(again.msgId, f.msgId, 'a new record in %RETRY%<group>');
    assert.equal(again.tags, 'T');
    assert.equal(again.keys, `ke${f.body}`);
    assert.equal(again.properties.p, f.body);
  }
  for (const d of got) if (d.body !== 'e-3' && d.body !== 'e-7') assert.equal(d.reconsumeTimes, 0);
  await consumer.close();
  await producer.close();
});

test('(f) 4.x producer → v5 SimpleConsumer, and v5 Producer → 4.x consumer: same body, tag, keys, properties', async () => {
  const endpoint = clientEndpoint(broker);
  const toV5 = 'AliOnsToV5';
  const fromV5 = 'V5ToAliOns';
  await createTopic(namesrvAddr, toV5);
  await createTopic(namesrvAddr, fromV5);

  // ali-ons → v5
  const simple = new SimpleConsumer({
    namespace: '',
    logger: sdkLogger('v5-simple'),
    consumerGroup: 'GID_V5_FROM_ALI',
    endpoints: endpoint,
    subscriptions: new Map([[toV5, '*']]),
    awaitDuration: 2_000,
  });
  await simple.startup();
  shutdowns.push(() => simple.shutdown());
  const producer = await aliProducer(namesrvAddr, 'PID_ALI_TO_V5');
  const sent = new Map<string, Sent>();
  for (let i = 0; i < 10; i++)
    sent.set(`f-${i}`, await producer.send({ topic: toV5, tags: 'TagF', keys: [`kf${i}`, 'shared'], props: { seq: String(i) }, body: `f-${i}` }));
  const received = new Map<string, { tag?: string; keys: string[]; properties: Map<string, string>; messageId: string }>();
  const deadline = Date.now() + 30_000;
  while (received.size < 10) {
    if (Date.now() > deadline) throw new Error(`v5 consumer got ${received.size} of 10: ${[...received.keys()].join(',')}`);
    for (const m of await simple.receive(16, 30_000)) {
      received.set(m.body.toString(), { tag: m.tag, keys: m.keys, properties: m.properties, messageId: m.messageId });
      await simple.ack(m);
    }
  }
  for (const [body, m] of received) {
    const i = Number(body.slice(2));
    assert.equal(m.tag, 'TagF');
    assert.deepEqual([...m.keys].sort(), [`kf${i}`, 'shared'].sort());
    assert.equal(m.properties.get('seq'), String(i), 'user property');
    assert.ok(!m.properties.has('TAGS') && !m.properties.has('KEYS'), 'TAGS/KEYS are system properties, not user properties');
    // ali-ons sets no UNIQ_KEY: the v5 message id is whatever the broker made for it.
    assert.ok(m.messageId, 'the v5 consumer sees a message id');
  }

  // v5 → ali-ons
  const consumer = await aliConsumer(namesrvAddr, 'GID_ALI_FROM_V5', fromV5);
  await consumer.waitForQueues(4);
  const v5 = new Producer({ namespace: '', logger: sdkLogger('v5-producer'), endpoints: endpoint });
  await v5.startup();
  shutdowns.push(() => v5.shutdown());
  const v5Ids = new Map<string, string>();
  for (let i = 0; i < 10; i++) {
    const r = await v5.send({ topic: fromV5, tag: 'TagV5', keys: [`kv${i}`, 'both'], properties: new Map([['seq', String(i)]]), body: Buffer.from(`v-${i}`) });
    v5Ids.set(`v-${i}`, r.messageId);
  }
  const bodies = [...v5Ids.keys()];
  await consumer.waitForBodies(bodies);
  assertOnce(consumer.deliveries(), bodies, 'ali-ons consumer');
  for (const d of consumer.deliveries()) {
    const i = Number(d.body.slice(2));
    assert.equal(d.tags, 'TagV5');
    assert.deepEqual((d.keys ?? '').split(' ').sort(), [`kv${i}`, 'both'].sort(), 'KEYS, space separated');
    assert.equal(d.properties.seq, String(i));
    assert.equal(d.properties.UNIQ_KEY, v5Ids.get(d.body), 'the v5 message id travels as UNIQ_KEY');
    assert.match(d.msgId, /^[0-9A-F]{32}$/, 'ali-ons still names it by its offsetMsgId');
  }
  await consumer.close();
  await producer.close();
});

test('(g) broker SIGKILL + restart on the same ports and store: ali-ons reconnects, nothing lost, committed offsets survive', async () => {
  const namesrv = await startNamesrv();
  const nsAddr = grpcAddress(namesrv);
  let b = await startBroker(nsAddr, { extra: [...BROKER_EXTRA, '--brokerName', 'broker-restart'] });
  const topic = 'AliOnsRestart';
  const group = 'GID_ALI_RESTART';
  await createTopic(nsAddr, topic);
  const c1 = await aliConsumer(nsAddr, group, topic, { name: 'c1' });
  await c1.waitForQueues(4);
  const producer = await aliProducer(nsAddr, 'PID_ALI_RESTART');
  const batchA = Array.from({ length: 12 }, (_, i) => `A-${i}`);
  for (const body of batchA) await producer.send({ topic, tags: 'T', body });
  await c1.waitForBodies(batchA);
  await waitCommitted(nsAddr, group, topic, batchA.length);

  await b.kill('SIGKILL');
  b = await startBroker(nsAddr, {
    storeDir: b.storeDir,
    grpcServerPort: Number(b.ready.grpcPort),
    listenPort: Number(b.ready.internalPort),
    extra: [...BROKER_EXTRA, '--brokerName', 'broker-restart'],
  });
  // The producer's connection died with the broker; ali-ons opens a new one on the next send.
  const batchB = Array.from({ length: 12 }, (_, i) => `B-${i}`);
  await eventually('a send after the restart', () => producer.send({ topic, tags: 'T', body: batchB[0] as string }, 5_000), 30_000, 250);
  for (const body of batchB.slice(1)) await producer.send({ topic, tags: 'T', body });
  await c1.waitForBodies(batchB, 45_000);
  const lost = [...batchA, ...batchB].filter((x) => !c1.deliveries().some((d) => d.body === x));
  assert.deepEqual(lost, [], 'nothing lost');
  await waitCommitted(nsAddr, group, topic, batchA.length + batchB.length);
  await c1.close();

  // A new member of the group starts from the committed offsets the restarted broker kept.
  const c2 = await aliConsumer(nsAddr, group, topic, { name: 'c2' });
  await c2.waitForQueues(4);
  const batchC = Array.from({ length: 8 }, (_, i) => `C-${i}`);
  for (const body of batchC) await producer.send({ topic, tags: 'T', body });
  await c2.waitForBodies(batchC);
  assertOnce(c2.deliveries(), batchC, 'c2 (only what came after the committed offsets)');
  await c2.close();
  await producer.close();
  await b.kill('SIGTERM');
  await namesrv.kill('SIGTERM');
});

test("(h) garbage on the broker's listenPort closes that connection only; ali-ons keeps working", async () => {
  const topic = 'AliOnsGarbage';
  const group = 'GID_ALI_GARBAGE';
  await createTopic(namesrvAddr, topic);
  const consumer = await aliConsumer(namesrvAddr, group, topic);
  await consumer.waitForQueues(4);
  const producer = await aliProducer(namesrvAddr, 'PID_ALI_GARBAGE');
  await producer.send({ topic, tags: 'T', body: 'h-before' });
  await consumer.waitForBodies(['h-before']);

  const [host, port] = remotingAddr(broker).split(':') as [string, string];
  const badJsonHeader = Buffer.alloc(16);
  badJsonHeader.writeInt32BE(12, 0); // frame: 4 (header mark) + 8 header bytes
  badJsonHeader.writeInt32BE(8, 4); // JSON, 8 bytes
  badJsonHeader.write('notjson!', 8);
  const garbage: [string, Buffer][] = [
    // Random, but never a valid start: 0xAB is neither the HTTP/2 preface's 'P' nor the 0 high byte
    // of a frame length (a 0 would read as a frame of up to 16 MiB still to come).
    ['random bytes', Buffer.concat([Buffer.from([0xab]), randomBytes(511)])],
    ['a frame claiming 2 GiB', Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0x7b])],
    ['a JSON header that is not JSON', badJsonHeader],
  ];
  for (const [what, bytes] of garbage) {
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(Number(port), host);
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`the broker did not close the connection after ${what}`));
      }, 10_000);
      s.on('error', () => undefined); // a reset is a close too
      s.once('connect', () => s.write(bytes));
      s.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  assert.equal(broker.child.exitCode, null, 'the broker is still running');
  const after = Array.from({ length: 5 }, (_, i) => `h-after-${i}`);
  for (const body of after) await producer.send({ topic, tags: 'T', body });
  await consumer.waitForBodies(after);
  assertOnce(consumer.deliveries(), ['h-before', ...after], 'consumer');
  await consumer.close();
  await producer.close();
});
