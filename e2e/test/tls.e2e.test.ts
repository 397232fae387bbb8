/**
 * TLS on the broker's ports (issue #17) with real processes: the official client with
 * `sslEnabled: true` (trusting a CA made here with openssl) sends and receives over TLS, and in
 * permissive mode a plaintext client on the same port still works; a broker in enforcing mode
 * refuses the plaintext client.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clientEndpoint, startBroker, startNamesrv } from '../support/cluster';
import { type TestCerts, makeTestCerts } from '../support/certs';
import { eventually, grpcAddress, runToExit, stopAll, tmpDir } from '../support/processes';

let certs: TestCerts;
let namesrvAddr: string;
let script: string;

/** Sends `count` messages with the official client and receives them back; prints one JSON line. */
const CLIENT = `
const { Producer, SimpleConsumer } = require(${JSON.stringify(require.resolve('rocketmq-client-nodejs'))});
const [endpoints, topic, ssl] = process.argv.slice(2);
const logger = { info() {}, debug() {}, warn() {}, error() {} };
(async () => {
  const opts = { endpoints, namespace: '', logger, sslEnabled: ssl === 'ssl', requestTimeout: 5000 };
  const consumer = new SimpleConsumer({ ...opts, consumerGroup: 'GID_' + topic, subscriptions: new Map([[topic, '*']]), awaitDuration: 2000 });
  await consumer.startup();
  const producer = new Producer(opts);
  await producer.startup();
  const bodies = ['a', 'b', 'c'].map((b) => topic + '-' + b);
  for (const b of bodies) await producer.send({ topic, body: Buffer.from(b) });
  const got = new Set();
  for (let i = 0; i < 20 && got.size < bodies.length; i++) {
    for (const m of await consumer.receive(16, 30000)) { got.add(m.body.toString()); await consumer.ack(m); }
  }
  console.log(JSON.stringify({ ok: true, received: [...got].sort() }));
  await producer.shutdown();
  await consumer.shutdown();
  process.exit(0);
})().catch((e) => { console.log(JSON.stringify({ ok: false, error: String(e && e.message || e) })); process.exit(1); });
`;

before(async () => {
  certs = makeTestCerts();
  script = path.join(tmpDir('orbitmq-tls-client-'), 'client.js');
  fs.writeFileSync(script, CLIENT);
  namesrvAddr = grpcAddress(await startNamesrv());
});

after(async () => {
  await stopAll();
  fs.rmSync(certs.dir, { recursive: true, force: true });
});

/** Runs the official client in its own process (grpc-js reads its trusted roots from the env at load). */
function runClient(endpoint: string, topic: string, ssl: boolean): Promise<{ ok: boolean; received?: string[]; error?: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, endpoint, topic, ssl ? 'ssl' : 'plain'], {
      env: { ...process.env, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: certs.ca },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', () => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as { ok: boolean; received?: string[]; error?: string });
      } catch {
        resolve({ ok: false, error: `no result line (${out.slice(-200)})` });
      }
    });
  });
}

const tlsArgs = (mode: string): string[] => ['--tlsServerMode', mode, '--tlsServerCertPath', certs.serverCert, '--tlsServerKeyPath', certs.serverKey];

test('permissive: the official client over TLS (sslEnabled) and a plaintext one on the same port both send and receive', async () => {
  const broker = await startBroker(namesrvAddr, { extra: tlsArgs('permissive') });
  const overTls = await runClient(clientEndpoint(broker), 'TlsTopic', true);
  assert.deepEqual(overTls, { ok: true, received: ['TlsTopic-a', 'TlsTopic-b', 'TlsTopic-c'] });
  const plain = await runClient(clientEndpoint(broker), 'PlainTopic', false);
  assert.deepEqual(plain, { ok: true, received: ['PlainTopic-a', 'PlainTopic-b', 'PlainTopic-c'] });
  await broker.kill('SIGTERM');
});

test('enforcing: the TLS client works, the plaintext client is refused', async () => {
  const broker = await startBroker(namesrvAddr, { extra: [...tlsArgs('enforcing'), '--brokerName', 'broker-tls-enforcing'] });
  assert.deepEqual(await runClient(clientEndpoint(broker), 'TlsOnly', true), { ok: true, received: ['TlsOnly-a', 'TlsOnly-b', 'TlsOnly-c'] });
  const plain = await runClient(clientEndpoint(broker), 'TlsOnlyPlain', false);
  assert.equal(plain.ok, false, 'a plaintext client gets nothing from an enforcing port');
  await broker.kill('SIGTERM');
});

test('our own connections over TLS: a broker with tlsEnable registers with an enforcing name server; mqadmin --tls lists it', async () => {
  const ns = await startNamesrv(tlsArgs('enforcing'));
  const nsAddr = grpcAddress(ns);
  const trust = ['--tlsEnable', 'true', '--tlsClientTrustCertPath', certs.ca];
  const broker = await startBroker(nsAddr, { extra: [...trust, '--brokerName', 'broker-tls-client'] });
  const list = (tls: boolean) =>
    runToExit('tools/mqadmin/dist/src/main.js', ['clusterList', '-n', nsAddr, '--json', ...(tls ? ['--tls', '--tlsTrustCertPath', certs.ca] : [])]);
  await eventually('the broker registered over TLS', async () => (list(true).stdout.includes('broker-tls-client') ? true : undefined));
  const plain = list(false);
  assert.notEqual(plain.status, 0, 'plaintext mqadmin is refused by the enforcing name server');
  await broker.kill('SIGTERM');
  await ns.kill('SIGTERM');
});
