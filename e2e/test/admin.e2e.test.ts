/**
 * Operating a broker with mqadmin (BrokerAdmin over gRPC): topics, subscription groups, topic
 * status, consumer progress and lag, connections, queries by id and key, offset reset by time.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Producer, SimpleConsumer } from 'rocketmq-client-nodejs';
import { MessagingClient } from '@orbitmq/client';
import { clientEndpoint, startBroker, startNamesrv } from '../support/cluster';
import { type AppProcess, grpcAddress, runToExit, stopAll, tmpDir } from '../support/processes';
import { sdkLogger } from '../support/sdk';

let namesrv: AppProcess;
let broker: AppProcess;
const shutdowns: (() => Promise<unknown>)[] = [];

before(async () => {
  namesrv = await startNamesrv();
  broker = await startBroker(grpcAddress(namesrv), { extra: ['--autoCreateTopicEnable', 'false', '--brokerName', 'broker-admin'] });
});

after(async () => {
  for (const s of shutdowns.reverse()) await s().catch(() => undefined);
  await stopAll();
});

function mqadmin(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return runToExit('tools/mqadmin/dist/src/main.js', [...args, '-n', grpcAddress(namesrv)]);
}

function ok(...args: string[]): string {
  const r = mqadmin(...args);
  assert.equal(r.status, 0, `mqadmin ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

test('topics and groups are created, inspected and deleted with mqadmin; progress, queries and offset reset work', async () => {
  const topic = 'AdminTopic';
  const group = 'AdminGroup';
  assert.match(ok('updateTopic', '-t', topic, '-c', 'DefaultCluster', '-r', '2', '-w', '2'), /topic AdminTopic updated on broker-admin/);
  assert.match(ok('topicRoute', '-t', topic), /broker-admin\s+2\s+2\s+RW-\s+MIXED/);
  assert.match(
    ok('updateSubGroup', '-g', group, '-c', 'DefaultCluster', '-r', '3', '--consumeFromWhere', 'CONSUME_FROM_FIRST_OFFSET'),
    /subscription group AdminGroup updated/,
  );

  const endpoint = clientEndpoint(broker);
  const producer = new Producer({ namespace: '', logger: sdkLogger('admin-producer'), endpoints: endpoint });
  await producer.startup();
  shutdowns.push(() => producer.shutdown());
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) ids.push((await producer.send({ topic, tag: 'T', keys: [`order-${i}`], body: Buffer.from(`admin-${i}`) })).messageId);
  const afterFirstTen = Date.now();
  await new Promise((r) => setTimeout(r, 20));
  for (let i = 10; i < 14; i++) ids.push((await producer.send({ topic, tag: 'T', keys: [`order-${i}`], body: Buffer.from(`admin-${i}`) })).messageId);

  const status = JSON.parse(ok('topicStatus', '-t', topic, '--json')) as { queues: { queueId: number; maxOffset: string }[] }[];
  assert.equal(
    status[0]?.queues.reduce((s, q) => s + Number(q.maxOffset), 0),
    14,
  );

  const byId = JSON.parse(ok('queryMsgById', '-i', ids[3] as string, '--json')) as { messageId: string; body: string; keys: string[] }[];
  assert.equal(byId.length, 1);
  assert.equal(Buffer.from(byId[0]?.body ?? '', 'base64').toString(), 'admin-3');
  assert.deepEqual(byId[0]?.keys, ['order-3']);
  assert.match(ok('queryMsgByKey', '-t', topic, '-k', 'order-7'), new RegExp(ids[7] as string));
  assert.match(ok('queryMsgByKey', '-t', topic, '-k', 'nothing-here'), /no message found/);

  // A group configured to start at the first offset reads everything, then has no lag.
  const consumer = new SimpleConsumer({
    namespace: '',
    logger: sdkLogger(group),
    consumerGroup: group,
    endpoints: endpoint,
    subscriptions: new Map([[topic, '*']]),
    awaitDuration: 1_000,
  });
  await consumer.startup();
  shutdowns.push(() => consumer.shutdown());
  const seen = new Set<string>();
  for (let i = 0; i < 20 && seen.size < 14; i++) for (const m of await consumer.receive(32, 30_000)) if (seen.add(m.messageId)) await consumer.ack(m);
  assert.equal(seen.size, 14);
  const progress = JSON.parse(ok('consumerProgress', '-g', group, '-t', topic, '--json')) as {
    totalLag: number;
    queues: { consumerOffset: string; brokerOffset: string }[];
  };
  assert.equal(progress.totalLag, 0);
  assert.ok(progress.queues.every((q) => q.consumerOffset === q.brokerOffset));
  assert.match(ok('consumerConnection', '-g', group), /SIMPLE_CONSUMER/);
  assert.match(ok('producerConnection', '-t', topic), /PRODUCER/);

  // Reset to just after the first ten: the last four come again. The dry run first moves nothing
  // and previews what the reset then does.
  type Preview = { queueId: number; offset: string; previousOffset: string }[];
  const preview = JSON.parse(ok('resetOffsetByTime', '-g', group, '-t', topic, '-s', String(afterFirstTen + 10), '--dryRun', '--json')) as Preview;
  assert.equal(preview.reduce((s, q) => s + Number(q.previousOffset) - Number(q.offset), 0), 4);
  assert.equal((JSON.parse(ok('consumerProgress', '-g', group, '-t', topic, '--json')) as { totalLag: number }).totalLag, 0);
  const applied = JSON.parse(ok('resetOffsetByTime', '-g', group, '-t', topic, '-s', String(afterFirstTen + 10), '--json')) as Preview;
  assert.deepEqual(
    applied.map((q) => [q.queueId, q.offset]),
    preview.map((q) => [q.queueId, q.offset]),
  );
  const lagged = JSON.parse(ok('consumerProgress', '-g', group, '-t', topic, '--json')) as { totalLag: number };
  assert.equal(lagged.totalLag, 4);
  const again = new Set<string>();
  for (let i = 0; i < 10 && again.size < 4; i++) for (const m of await consumer.receive(32, 30_000)) if (again.add(m.messageId)) await consumer.ack(m);
  assert.deepEqual([...again].sort(), ids.slice(10).sort());

  assert.match(ok('brokerStatus', '-c', 'DefaultCluster'), /brokerName\s+: broker-admin/);

  // sendMessage / consumeMessage: one message in, then every message of the topic printed.
  const sent = JSON.parse(ok('sendMessage', '-t', topic, '-p', 'from the cli', '-k', 'cli-key', '--tag', 'CLI', '--json')) as { messageId: string };
  assert.match(sent.messageId, /^01[0-9A-F]+$/);
  const printed = JSON.parse(ok('consumeMessage', '-t', topic, '--count', '100', '--json')) as { messageId: string; body: string; tag: string }[];
  assert.equal(printed.length, 15);
  assert.ok(printed.some((m) => m.messageId === sent.messageId && m.body === 'from the cli' && m.tag === 'CLI'));
  assert.equal((JSON.parse(ok('consumeMessage', '-t', topic, '--tag', 'CLI', '--json')) as unknown[]).length, 1);
  assert.match(ok('deleteSubGroup', '-g', group, '-c', 'DefaultCluster'), /deleted/);
  const missing = mqadmin('consumerProgress', '-g', group, '-c', 'DefaultCluster');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^mqadmin: CONSUMER_GROUP_NOT_FOUND: /);
  assert.match(ok('deleteTopic', '-t', topic, '-c', 'DefaultCluster'), /deleted/);
  const gone = mqadmin('topicStatus', '-t', topic, '-c', 'DefaultCluster');
  assert.equal(gone.status, 1);
  assert.match(gone.stderr, /TOPIC_NOT_FOUND/);
  const bad = mqadmin('updateTopic', '-t', 'bad topic', '-c', 'DefaultCluster');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /ILLEGAL_TOPIC/);
});

test('updateBrokerConfig changes a running broker: auto-creation stops at once, the -c file keeps it across a restart, other keys are refused', async () => {
  const dir = tmpDir('orbitmq-conf-');
  const conf = path.join(dir, 'broker.conf');
  fs.writeFileSync(conf, '# a broker started from a properties file\nbrokerName=broker-conf\nautoCreateTopicEnable=true\n');
  const storeDir = tmpDir('orbitmq-conf-store-');
  let b = await startBroker(grpcAddress(namesrv), { storeDir, extra: ['-c', conf] });
  const addr = () => `127.0.0.1:${String(b.ready.internalPort)}`;
  // Our v5 client: a send to an unknown topic creates it while autoCreateTopicEnable holds.
  const client = new MessagingClient(clientEndpoint(b));
  const [before] = await client.send([{ topic: 'ConfAutoBefore', body: Buffer.from('auto-created') }]);
  assert.equal(before?.error, undefined, 'auto-created');

  const changed = ok('updateBrokerConfig', '-b', addr(), '-k', 'autoCreateTopicEnable', '-v', 'false');
  assert.match(changed, new RegExp(`\\S+\\s+autoCreateTopicEnable\\s+false\\s+${conf.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const [refused] = await client.send([{ topic: 'ConfAutoAfter', body: Buffer.from('no topic') }]);
  assert.match(refused?.error ?? '', /TOPIC_NOT_FOUND/, 'no longer auto-created, at once');
  client.close();
  assert.match(ok('getBrokerConfig', '-b', addr()), /\S+\s+autoCreateTopicEnable\s+false/);
  ok('updateBrokerConfig', '-b', addr(), '-k', 'fileReservedTime', '-v', '24');
  assert.match(fs.readFileSync(conf, 'utf8'), /^autoCreateTopicEnable=false$/m, 'rewritten in place');
  assert.match(fs.readFileSync(conf, 'utf8'), /^fileReservedTime=24$/m, 'appended');
  assert.match(fs.readFileSync(conf, 'utf8'), /^# a broker started from a properties file$/m, 'comments kept');

  for (const [key, value, why] of [
    ['listenPort', '1', /listenPort cannot change while the broker runs/],
    ['diskMaxUsedSpaceRatio', '99', /expected an integer from 10 to 95/],
    ['diskSpaceWarningLevelRatio', '20', /must be above diskMaxUsedSpaceRatio/],
    ['deleteWhen', '25', /deleteWhen|hour/i],
    ['noSuchKey', '1', /unknown broker key noSuchKey/],
  ] as const) {
    const r = mqadmin('updateBrokerConfig', '-b', addr(), '-k', key, '-v', value);
    assert.equal(r.status, 1, `${key}=${value} was accepted`);
    assert.match(r.stderr, /BAD_REQUEST/);
    assert.match(r.stderr, why);
  }
  assert.match(ok('getBrokerConfig', '-b', addr()), /\S+\s+diskMaxUsedSpaceRatio\s+75/, 'a refused change left the value');

  await b.kill('SIGKILL');
  b = await startBroker(grpcAddress(namesrv), { storeDir, extra: ['-c', conf] });
  const after = ok('getBrokerConfig', '-b', addr());
  assert.match(after, /\S+\s+autoCreateTopicEnable\s+false/);
  assert.match(after, /\S+\s+fileReservedTime\s+24/);
});
