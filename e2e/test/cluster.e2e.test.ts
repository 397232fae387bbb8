/**
 * Two name servers, two brokers: a producer's messages spread over both brokers, a consumer group
 * receives all of them, routes list both; when a broker dies, sends move to the other and its
 * registration expires from both name servers. SDK clients run in child processes here, because a
 * broker is SIGKILLed under them (see sdk-producer-driver.ts).
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { NameServerClients } from '@orbitmq/namesrv-client';
import { NAMESRV_TEST_ARGS, clientEndpoint, startBroker } from '../support/cluster';
import { consumeInChild, produceInChild } from '../support/drivers';
import { eventually, grpcAddress, runToExit, startApp, stopAll } from '../support/processes';

after(() => stopAll());

test('messages spread over two brokers, one group gets all; a killed broker expires and sends move on', async () => {
  const nsArgs = [...NAMESRV_TEST_ARGS, '--brokerExpiryMs', '3000', '--scanIntervalMs', '200'];
  const [ns1, ns2] = await Promise.all([startApp('namesrv', nsArgs), startApp('namesrv', nsArgs)]);
  const namesrvAddr = `${grpcAddress(ns1)};${grpcAddress(ns2)}`;
  const b1 = await startBroker(namesrvAddr, { extra: ['--brokerName', 'broker-c1', '--autoCreateTopicEnable', 'false', '--registerNameServerPeriod', '1000'] });
  const b2 = await startBroker(namesrvAddr, { extra: ['--brokerName', 'broker-c2', '--autoCreateTopicEnable', 'false', '--registerNameServerPeriod', '1000'] });
  const topic = 'ClusterTopic';
  const created = runToExit('tools/mqadmin/dist/src/main.js', ['updateTopic', '-t', topic, '-c', 'DefaultCluster', '-r', '4', '-w', '4', '-n', namesrvAddr]);
  assert.equal(created.status, 0, created.stderr);

  for (const ns of [ns1, ns2]) {
    const one = new NameServerClients([grpcAddress(ns)]);
    const route = await eventually('route with both brokers', async () => {
      const r = await one.getRoute(topic);
      return r.queueDatas.length === 2 ? r : undefined;
    });
    assert.deepEqual(route.queueDatas.map((q) => q.brokerName).sort(), ['broker-c1', 'broker-c2']);
    one.close();
  }

  const group = 'GroupCluster';
  await consumeInChild(clientEndpoint(b1), group, topic, 'create');
  const producing = produceInChild(clientEndpoint(b1), topic, 2);
  await eventually('400 acknowledged sends', async () => (producing.acked.size >= 400 ? true : undefined), 60_000, 20);
  const status = (b: typeof b1) => {
    const r = runToExit('tools/mqadmin/dist/src/main.js', ['topicStatus', '-t', topic, '-b', `127.0.0.1:${String(b.ready.internalPort)}`, '--json']);
    return (JSON.parse(r.stdout) as { queues: { maxOffset: string }[] }[])[0]?.queues.reduce((s, q) => s + Number(q.maxOffset), 0) ?? 0;
  };
  assert.ok(status(b1) > 50 && status(b2) > 50, `both brokers took messages (${status(b1)} / ${status(b2)})`);

  await b2.kill('SIGKILL');
  const atKill = producing.acked.size;
  await eventually('sends continue on the other broker', async () => (producing.acked.size >= atKill + 200 ? true : undefined), 60_000, 20);
  for (const ns of [ns1, ns2]) {
    const one = new NameServerClients([grpcAddress(ns)]);
    await eventually(
      'broker-c2 expired',
      async () => ((await one.getRoute(topic)).queueDatas.map((q) => q.brokerName).join() === 'broker-c1' ? true : undefined),
      15_000,
      200,
    );
    one.close();
  }
  producing.child.kill('SIGKILL');
  const acked = new Set(producing.acked);

  // broker-c2 comes back with its store; the group then receives every acknowledged message.
  await startBroker(namesrvAddr, {
    storeDir: b2.storeDir,
    extra: ['--brokerName', 'broker-c2', '--autoCreateTopicEnable', 'false', '--registerNameServerPeriod', '1000'],
  });
  const one = new NameServerClients([grpcAddress(ns1)]);
  await eventually('broker-c2 back in the route', async () => ((await one.getRoute(topic)).queueDatas.length === 2 ? true : undefined), 15_000, 200);
  one.close();
  const got = new Set(await consumeInChild(clientEndpoint(b1), group, topic, 'drain'));
  const missing = [...acked].filter((id) => !got.has(id));
  const progress = runToExit('tools/mqadmin/dist/src/main.js', [
    'consumerProgress',
    '-g',
    group,
    '-t',
    topic,
    '-c',
    'DefaultCluster',
    '-n',
    namesrvAddr,
  ]).stdout;
  assert.equal(missing.length, 0, `${missing.length} of ${acked.size} acknowledged messages not consumed (got ${got.size}); progress:\n${progress}`);
});
