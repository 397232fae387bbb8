/**
 * Two real name server processes; a test "broker" registers over gRPC the way brokers do (with
 * every name server, on a heartbeat loop). Routes from both, expiry, unregister, SIGKILL and
 * restart, bad configuration, metrics, and the mqadmin CLI.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NameServerClients } from '@orbitmq/namesrv-client';
import type { OrbitError, v1 } from '@orbitmq/protocol';
import { type AppProcess, eventually, grpcAddress, killAll, runToExit, startApp, tmpDir } from '../support/processes';

const EXPIRY_MS = 1_500;
const SCAN_MS = 200;
const HEARTBEAT_MS = 200;

function registration(brokerName: string, port: number, topics: string[], dataVersion = '1'): v1.RegisterBrokerRequest {
  return {
    broker: { clusterName: 'E2ECluster', brokerName, brokerId: 0 },
    endpoints: { clientEndpoint: `127.0.0.1:${port}`, internalEndpoint: `127.0.0.1:${port + 1}` },
    dataVersion,
    topics: topics.map((t) => ({ topicName: t, readQueueNums: 4, writeQueueNums: 4, perm: 6, messageType: 'NORMAL' })),
    filterServerEndpoints: [],
  };
}

/** A broker's heartbeat loop: register with every name server every HEARTBEAT_MS. */
function heartbeat(clients: NameServerClients, req: v1.RegisterBrokerRequest): () => void {
  const timer = setInterval(() => void clients.registerBroker(req), HEARTBEAT_MS);
  void clients.registerBroker(req);
  return () => clearInterval(timer);
}

let a: AppProcess;
let b: AppProcess;
const namesrvArgs = [
  '--listenHost',
  '127.0.0.1',
  '--listenPort',
  '0',
  '--metricsPort',
  '0',
  '--brokerExpiryMs',
  String(EXPIRY_MS),
  '--scanIntervalMs',
  String(SCAN_MS),
];

before(async () => {
  [a, b] = await Promise.all([startApp('namesrv', namesrvArgs), startApp('namesrv', namesrvArgs)]);
});

after(killAll);

test('a broker registered with both name servers is routable from each', async () => {
  const both = new NameServerClients([grpcAddress(a), grpcAddress(b)]);
  const stop = heartbeat(both, registration('broker-a', 18081, ['OrderTopic', 'PayTopic']));
  try {
    for (const p of [a, b]) {
      const one = new NameServerClients([grpcAddress(p)]);
      const route = await eventually('route on ' + grpcAddress(p), async () => (await one.getRoute('OrderTopic')) ?? undefined);
      assert.equal(route.queueDatas[0]?.brokerName, 'broker-a');
      assert.equal(route.queueDatas[0]?.writeQueueNums, 4);
      assert.equal(route.brokerGroups[0]?.members[0]?.endpoints?.clientEndpoint, '127.0.0.1:18081');
      assert.deepEqual(await one.getTopicList(), ['OrderTopic', 'PayTopic']);
      one.close();
    }
    // An unknown topic is a clear not-found, not an empty route.
    await assert.rejects(both.getRoute('NoSuchTopic'), (e: OrbitError) => e.code === 'TOPIC_NOT_FOUND');
    await assert.rejects(both.getRoute('bad topic!'), (e: OrbitError) => e.code === 'ILLEGAL_TOPIC');
    // A malformed registration is refused with BAD_REQUEST and changes nothing.
    const bad = await both.registerBroker({ ...registration('broker-x', 1, ['T']), endpoints: { clientEndpoint: 'nope', internalEndpoint: 'x:1' } });
    assert.ok(bad.every((r) => r.error?.code === 'BAD_REQUEST'));
  } finally {
    stop();
    await both.unregisterBroker({ broker: { clusterName: 'E2ECluster', brokerName: 'broker-a', brokerId: 0 } });
    both.close();
  }
});

test('a registration without heartbeats expires; a heartbeating one stays; unregister is immediate', async () => {
  const both = new NameServerClients([grpcAddress(a), grpcAddress(b)]);
  const stop = heartbeat(both, registration('broker-live', 18091, ['SharedTopic']));
  await both.registerBroker(registration('broker-silent', 18093, ['SharedTopic', 'SilentTopic']));
  try {
    const brokersOf = async (p: AppProcess) => {
      const one = new NameServerClients([grpcAddress(p)]);
      try {
        return (await one.getRoute('SharedTopic')).queueDatas.map((q) => q.brokerName).sort();
      } finally {
        one.close();
      }
    };
    assert.deepEqual(await brokersOf(a), ['broker-live', 'broker-silent']);
    for (const p of [a, b]) {
      await eventually('broker-silent to expire', async () => ((await brokersOf(p)).join() === 'broker-live' ? true : undefined), EXPIRY_MS * 5);
    }
    await assert.rejects(both.getRoute('SilentTopic'), (e: OrbitError) => e.code === 'TOPIC_NOT_FOUND');
    const expiredLine = a.lines.find((l) => l.includes('broker registration expired') && l.includes('broker-silent'));
    assert.ok(expiredLine, 'the expiry is logged');
  } finally {
    stop();
  }
  await both.unregisterBroker({ broker: { clusterName: 'E2ECluster', brokerName: 'broker-live', brokerId: 0 } });
  await assert.rejects(both.getRoute('SharedTopic'), (e: OrbitError) => e.code === 'TOPIC_NOT_FOUND');
  both.close();
});

test('a SIGKILLed name server restarts empty and learns brokers from their next heartbeat', async () => {
  const portA = Number(a.ready.grpcPort);
  const both = new NameServerClients([grpcAddress(a), grpcAddress(b)]);
  const stop = heartbeat(both, registration('broker-k', 18101, ['KillTopic']));
  try {
    const onA = new NameServerClients([`127.0.0.1:${portA}`]);
    await eventually('route before kill', async () => (await onA.getRoute('KillTopic')) ?? undefined);
    const { signal } = await a.kill('SIGKILL');
    assert.equal(signal, 'SIGKILL');
    // The other name server keeps answering meanwhile.
    const onB = new NameServerClients([grpcAddress(b)]);
    assert.equal((await onB.getRoute('KillTopic')).queueDatas[0]?.brokerName, 'broker-k');
    a = await startApp('namesrv', [...namesrvArgs.filter((_, i, arr) => arr[i - 1] !== '--listenPort' && _ !== '--listenPort'), '--listenPort', String(portA)]);
    assert.equal(Number(a.ready.grpcPort), portA);
    const route = await eventually('route after restart', async () => (await onA.getRoute('KillTopic')) ?? undefined, 10_000);
    assert.equal(route.queueDatas[0]?.brokerName, 'broker-k');
    onA.close();
    onB.close();
  } finally {
    stop();
    await both.unregisterBroker({ broker: { clusterName: 'E2ECluster', brokerName: 'broker-k', brokerId: 0 } });
    both.close();
  }
});

test('metrics report brokers, topics and requests by method and code', async () => {
  const both = new NameServerClients([grpcAddress(a), grpcAddress(b)]);
  await both.registerBroker(registration('broker-m', 18111, ['MetricTopic']));
  await assert.rejects(both.getRoute('NoSuchTopicForMetrics'));
  const res = await fetch(`http://127.0.0.1:${String(a.ready.metricsPort)}/metrics`);
  const text = await res.text();
  assert.match(text, /rocketmq_namesrv_brokers\{app="namesrv"\} 1/);
  assert.match(text, /rocketmq_namesrv_topics\{app="namesrv"\} 1/);
  assert.match(text, /rocketmq_namesrv_requests_total\{method="RegisterBroker",code="OK",app="namesrv"\} \d+/);
  await both.unregisterBroker({ broker: { clusterName: 'E2ECluster', brokerName: 'broker-m', brokerId: 0 } });
  both.close();
});

test('mqadmin prints the cluster, topics and routes; errors are one line with exit code 1', async () => {
  // Name servers with the default 120 s expiry: the CLI runs block this process (spawnSync), so a
  // heartbeat could not keep a 1.5 s registration alive on a busy machine; this one cannot expire.
  const lasting = ['--listenHost', '127.0.0.1', '--listenPort', '0', '--metricsPort', '0'];
  const [c, d] = await Promise.all([startApp('namesrv', lasting), startApp('namesrv', lasting)]);
  const both = new NameServerClients([grpcAddress(c), grpcAddress(d)]);
  const registered = await both.registerBroker(registration('broker-cli', 18121, ['CliTopic']));
  assert.deepEqual(
    registered.map((r) => r.error?.message),
    [undefined, undefined],
    'registered with both name servers',
  );
  const n = `${grpcAddress(c)};${grpcAddress(d)}`;
  const cluster = runToExit('tools/mqadmin/dist/src/main.js', ['clusterList', '-n', n]);
  assert.equal(cluster.status, 0, cluster.stderr);
  assert.match(cluster.stdout, /#Cluster Name\s+#Broker Name\s+#BID/);
  assert.match(cluster.stdout, /E2ECluster\s+broker-cli\s+0\s+127\.0\.0\.1:18121\s+127\.0\.0\.1:18122/);
  const json = runToExit('tools/mqadmin/dist/src/main.js', ['clusterList', '-n', n, '--json']);
  const parsed = JSON.parse(json.stdout) as { clusterName: string; brokers: { broker: { brokerName: string } }[] }[];
  assert.equal(
    parsed[0]?.brokers.some((x) => x.broker.brokerName === 'broker-cli'),
    true,
  );
  const topics = runToExit('tools/mqadmin/dist/src/main.js', ['topicList', '-n', n]);
  assert.match(topics.stdout, /^CliTopic$/m);
  const route = runToExit('tools/mqadmin/dist/src/main.js', ['topicRoute', '-t', 'CliTopic', '-n', n]);
  assert.equal(route.status, 0, route.stderr);
  assert.match(route.stdout, /broker-cli\s+4\s+4\s+RW-\s+NORMAL/);
  const missing = runToExit('tools/mqadmin/dist/src/main.js', ['topicRoute', '-t', 'Missing', '-n', n]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^mqadmin: TOPIC_NOT_FOUND: .*Missing\n$/);
  const down = runToExit('tools/mqadmin/dist/src/main.js', ['clusterList', '-n', '127.0.0.1:1', '--timeoutMs', '500']);
  assert.equal(down.status, 1);
  assert.equal(down.stderr.trim().split('\n').length, 1);
  both.close();
  await Promise.all([c.kill('SIGTERM'), d.kill('SIGTERM')]);
});

test('bad configuration exits 2 with one line naming key and value; unknown file keys only warn', async () => {
  const main = 'apps/namesrv/dist/src/main.js';
  for (const app of [main, 'apps/broker-store/dist/src/main.js']) {
    const help = runToExit(app, ['--help']);
    assert.equal(help.status, 0, `${app} --help prints the options and exits (it used to start the app)`);
    assert.match(help.stdout, /--listenPort/);
  }
  const badFlag = runToExit(main, ['--listenPort', 'abc']);
  assert.equal(badFlag.status, 2);
  assert.equal(badFlag.stderr, "namesrv: invalid value for listenPort: 'abc' (expected an integer from 0 to 65535; from flag --listenPort)\n");
  const dir = tmpDir();
  const file = path.join(dir, 'namesrv.properties');
  fs.writeFileSync(file, 'listenPort=0\nbrokerExpiryMs=5\n');
  const badFile = runToExit(main, ['-c', file]);
  assert.equal(badFile.status, 2);
  assert.match(badFile.stderr, /^namesrv: invalid value for brokerExpiryMs: '5' \(expected an integer from 1000 to 3600000; from .*namesrv\.properties:2\)\n$/);
  const badEnv = runToExit(main, [], { ORBITMQ_SCAN_INTERVAL_MS: 'soon' });
  assert.equal(badEnv.status, 2);
  assert.match(badEnv.stderr, /scanIntervalMs: 'soon'/);
  fs.writeFileSync(file, 'listenHost=127.0.0.1\nlistenPort=0\nmetricsPort=0\nrocketmqHome=/opt/rocketmq\n');
  const ok = await startApp('namesrv', ['-c', file]);
  assert.ok(ok.lines.some((l) => l.includes("unknown config key 'rocketmqHome'")));
  const stopped = await ok.kill('SIGTERM');
  assert.equal(stopped.code, 0, 'graceful stop exits 0');
});

test('ORBITMQ_READY_FILE: the ready fields land in the file once the app serves, and the file goes with a graceful stop', async () => {
  const file = path.join(tmpDir('orbitmq-ready-'), 'ready.json');
  const p = await startApp('namesrv', ['--listenHost', '127.0.0.1', '--listenPort', '0', '--metricsPort', '0'], { ORBITMQ_READY_FILE: file });
  const ready = JSON.parse(fs.readFileSync(file, 'utf8')) as { metricsPort: number; grpcPort: number };
  assert.equal(ready.metricsPort, p.ready.metricsPort);
  assert.ok(ready.metricsPort > 0);
  assert.equal((await fetch(`http://127.0.0.1:${ready.metricsPort}/healthz`)).status, 200);
  assert.deepEqual(await p.kill('SIGTERM'), { code: 0, signal: null });
  assert.equal(fs.existsSync(file), false);
});
