/**
 * The internal plane's credential (issue #17): with clusterSecret set, a broker without it cannot
 * register with the name servers (nor drop a topic's routes), a replica without it cannot follow the master; the secret never
 * shows in --printConfig.
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { NameServerClients } from '@orbitmq/namesrv-client';
import { startBroker, startFilterServer, startNamesrv, startReplica } from '../support/cluster';
import { eventually, grpcAddress, runToExit, stopAll } from '../support/processes';

const SECRET = 'cluster-secret-0123456789';

after(() => stopAll());

const logged = (lines: string[], text: string, code: RegExp): boolean => lines.some((l) => l.includes(text) && code.test(l));

test('with clusterSecret only holders register, follow and serve filtering; forged brokers, replicas and filter servers are refused', async () => {
  const ns = await startNamesrv(['--clusterSecret', SECRET]);
  const nsAddr = grpcAddress(ns);
  const listed = (): string => runToExit('tools/mqadmin/dist/src/main.js', ['clusterList', '-n', nsAddr, '--json']).stdout;

  const master = await startBroker(nsAddr, { extra: ['--clusterSecret', SECRET, '--brokerName', 'broker-inner'] });
  await eventually('the broker holding the secret registered', async () => (listed().includes('broker-inner') ? true : undefined));

  const forged = await startBroker(nsAddr, { extra: ['--brokerName', 'broker-forged'] });
  await eventually('the forged broker was refused', async () => (logged(forged.lines, 'registration failed', /"code":"UNAUTHORIZED"/) ? true : undefined));
  assert.ok(!listed().includes('broker-forged'), 'never listed');
  // Nor can a stranger drop a topic's routes from the name server.
  const outsider = NameServerClients.parse(nsAddr);
  const [dropped] = await outsider.deleteTopic('AnyTopic').finally(() => outsider.close());
  assert.equal(dropped?.error?.code, 'UNAUTHORIZED');

  // A replica without the secret asks the master for its log: refused.
  const replica = await startReplica(nsAddr, {
    extra: ['--brokerName', 'broker-inner', '--haMasterAddress', `127.0.0.1:${String(master.ready.internalPort)}`],
  });
  await eventually('the replica without the secret was refused', async () =>
    replica.lines.some((l) => l.includes('replication state changed') && l.includes('/orbitmq.v1.Replication/Follow needs the cluster credential'))
      ? true
      : undefined,
  );
  await replica.kill('SIGKILL');
  await forged.kill('SIGTERM');

  // Filter servers register with the master: only the one holding the secret is taken.
  const brokerAddr = `127.0.0.1:${String(master.ready.internalPort)}`;
  const member = await startFilterServer({ brokerAddr, extra: ['--clusterSecret', SECRET] });
  const stranger = await startFilterServer({ brokerAddr });
  await eventually('the filter server holding the secret registered', async () =>
    logged(member.lines, 'registered with broker', /brokerName/) ? true : undefined,
  );
  await eventually('the filter server without it was refused', async () =>
    logged(stranger.lines, 'registration with broker failed', /"code":"UNAUTHORIZED"/) ? true : undefined,
  );
  assert.ok(!logged(stranger.lines, 'registered with broker', /brokerName/), 'never registered');
});

test('--printConfig never shows the secret', () => {
  const out = runToExit('apps/broker-store/dist/src/main.js', ['--printConfig', '--clusterSecret', SECRET]);
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^clusterSecret=<secret>$/m);
  assert.doesNotMatch(out.stdout, new RegExp(SECRET));
  const short = runToExit('apps/broker-store/dist/src/main.js', ['--clusterSecret', 'short']);
  assert.equal(short.status, 2);
  assert.match(short.stderr, /clusterSecret: \(hidden\) \(at least 16 characters\)/);
});
