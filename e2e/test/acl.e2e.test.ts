/**
 * RocketMQ ACL (issue #17) against real processes: a broker with aclEnable and a plain_acl.yml,
 * the official v5 client and ali-ons (4.x) signing with their own code, refusals with the right
 * codes, and an edit of the file taking effect without a restart.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Producer, SimpleConsumer } from 'rocketmq-client-nodejs';
import { clientEndpoint, startBroker, startNamesrv } from '../support/cluster';
import { type AppProcess, eventually, grpcAddress, startApp, stopAll, tmpDir } from '../support/processes';
import { RawV2Client, codeOf, message } from '../support/raw-v2';
import { AliOnsDriver, mqadmin } from '../support/ali-ons';
import { sdkLogger } from '../support/sdk';
import { ACL_FILE, ADMIN, APP } from '../support/acl';
import { MessagingClient } from '@orbitmq/client';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const officialSign = (require('rocketmq-client-nodejs/dist/util') as { sign(secret: string, dateTime: string): string }).sign;

let broker: AppProcess;
let namesrvAddr: string;
let endpoint: string;
let aclFile: string;
const shutdowns: (() => Promise<unknown>)[] = [];

before(async () => {
  const dir = tmpDir('orbitmq-acl-');
  aclFile = path.join(dir, 'plain_acl.yml');
  fs.writeFileSync(aclFile, ACL_FILE);
  const namesrv = await startNamesrv();
  namesrvAddr = grpcAddress(namesrv);
  broker = await startBroker(namesrvAddr, { extra: ['--aclEnable', 'true', '--aclFilePath', aclFile] });
  endpoint = clientEndpoint(broker);
});

after(async () => {
  for (const s of shutdowns.reverse()) await s().catch(() => undefined);
  await stopAll();
});

async function producer(credentials?: { accessKey: string; accessSecret: string }): Promise<Producer> {
  const p = new Producer({ namespace: '', logger: sdkLogger('producer'), endpoints: endpoint, ...(credentials ? { sessionCredentials: credentials } : {}) });
  await p.startup();
  shutdowns.push(() => p.shutdown());
  return p;
}

async function consumer(group: string, topic: string, credentials: { accessKey: string; accessSecret: string }): Promise<SimpleConsumer> {
  const c = new SimpleConsumer({
    namespace: '',
    logger: sdkLogger('consumer'),
    consumerGroup: group,
    endpoints: endpoint,
    subscriptions: new Map([[topic, '*']]),
    awaitDuration: 2_000,
    sessionCredentials: credentials,
  });
  await c.startup();
  shutdowns.push(() => c.shutdown());
  return c;
}

/** Receives until `bodies` all came, acking each. */
async function receiveAll(c: SimpleConsumer, bodies: string[]): Promise<void> {
  const seen = new Set<string>();
  await eventually(`received ${bodies.join(', ')}`, async () => {
    for (const m of await c.receive(16, 30_000)) {
      seen.add(m.body.toString());
      await c.ack(m);
    }
    return bodies.every((b) => seen.has(b)) ? true : undefined;
  });
}

/** A raw v5 call signed by hand (the official signing function) at `dateTime`. */
function signedRaw(accessKey: string, secret: string, dateTime: string): RawV2Client {
  return new RawV2Client(endpoint, () => ({
    'x-mq-date-time': dateTime,
    authorization: `MQv2-HMAC-SHA1 Credential=${accessKey}, SignedHeaders=x-mq-date-time, Signature=${officialSign(secret, dateTime)}`,
  }));
}

/** Whether this machine has an IPv6 loopback to listen on. */
function ipv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}

const dateTimeOf = (ms: number): string => `${new Date(ms).toISOString().split('.')[0]?.replace(/[-:]/g, '')}Z`;

test('the official client with valid credentials sends, receives and acks', async () => {
  const p = await producer(APP);
  const c = await consumer('GID_ACL', 'AclOpen', APP);
  for (const body of ['acl-1', 'acl-2']) await p.send({ topic: 'AclOpen', body: Buffer.from(body) });
  await receiveAll(c, ['acl-1', 'acl-2']);
});

test('no credentials, a wrong secret, an unknown key, a skewed or replayed time: UNAUTHORIZED', async () => {
  await assert.rejects((async () => (await producer()).send({ topic: 'AclOpen', body: Buffer.from('x') }))(), (e: Error) =>
    /40100|UNAUTHORIZED|credentials/i.test(`${(e as { code?: unknown }).code} ${e.message}`),
  );
  const now = Date.now();
  const cases: [string, RawV2Client, RegExp][] = [
    ['no credentials', new RawV2Client(endpoint), /no credentials/],
    ['a wrong secret', signedRaw(APP.accessKey, 'not-the-secret', dateTimeOf(now)), /signature does not match for accessKey AppUser01/],
    ['an unknown key', signedRaw('Stranger1', APP.accessSecret, dateTimeOf(now)), /no ACL account has accessKey Stranger1/],
    ['a time 10 minutes old (a replay)', signedRaw(APP.accessKey, APP.accessSecret, dateTimeOf(now - 600_000)), /more than 300 s from the broker's clock/],
    ['a clock 10 minutes ahead', signedRaw(APP.accessKey, APP.accessSecret, dateTimeOf(now + 600_000)), /more than 300 s/],
  ];
  for (const [what, client, reason] of cases) {
    const res = await client.send([message('AclOpen', Buffer.from(what))]);
    assert.equal(codeOf(res.status), 'UNAUTHORIZED', what);
    assert.match(res.status?.message ?? '', reason, what);
    assert.doesNotMatch(res.status?.message ?? '', /app-secret-1/, 'never the secret');
    client.close();
  }
  const good = signedRaw(APP.accessKey, APP.accessSecret, dateTimeOf(now));
  assert.equal(codeOf((await good.send([message('AclOpen', Buffer.from('hand-signed'))])).status), 'OK', 'the same call, signed right, passes');
  good.close();
});

test("our thin client (the benchmark's) signs like the official one: its sends pass, with a wrong secret they are refused", async () => {
  const good = new MessagingClient(endpoint, { credentials: APP });
  const bad = new MessagingClient(endpoint, { credentials: { ...APP, accessSecret: 'not-the-secret' } });
  try {
    const [ok] = await good.send([{ topic: 'AclOpen', body: Buffer.from('thin-signed') }]);
    assert.equal(ok?.error, undefined);
    const [refused] = await bad.send([{ topic: 'AclOpen', body: Buffer.from('thin-wrong') }]);
    assert.equal(refused?.error, 'UNAUTHORIZED');
  } finally {
    good.close();
    bad.close();
  }
});

test('a SUB-only topic refuses PUB (FORBIDDEN) and allows SUB; unlisted topics follow the DENY default', async () => {
  const admin = await producer(ADMIN);
  await admin.send({ topic: 'AclReadOnly', body: Buffer.from('from-admin') });
  const app = signedRaw(APP.accessKey, APP.accessSecret, dateTimeOf(Date.now()));
  const pub = await app.send([message('AclReadOnly', Buffer.from('nope'))]);
  assert.equal(codeOf(pub.status), 'FORBIDDEN');
  assert.match(pub.status?.message ?? '', /accessKey AppUser01 has no PUB permission on topic AclReadOnly/);
  const denied = await app.send([message('AclElsewhere', Buffer.from('nope'))]);
  assert.equal(codeOf(denied.status), 'FORBIDDEN');
  app.close();
  await receiveAll(await consumer('GID_ACL', 'AclReadOnly', APP), ['from-admin']);
});

test('ali-ons signs with its own code: a valid account sends and consumes; a wrong secret is refused', async () => {
  const common = { nameSrv: namesrvAddr, accessKey: APP.accessKey, secretKey: APP.accessSecret };
  const c = await AliOnsDriver.start('acl consumer', { ...common, role: 'consumer', group: 'GID_ACL', topic: 'AclOpen', fromFirst: true });
  shutdowns.push(async () => c.kill());
  const p = await AliOnsDriver.start('acl producer', { ...common, role: 'producer', group: 'PID_ACL' });
  shutdowns.push(async () => p.kill());
  await c.waitForQueues(8);
  await p.send({ topic: 'AclOpen', tags: 'T', body: 'ali-acl' });
  await c.waitForBodies(['ali-acl']);
  const wrong = await AliOnsDriver.start('acl wrong secret', { ...common, secretKey: 'wrong-secret', role: 'producer', group: 'PID_ACL_BAD' });
  shutdowns.push(async () => wrong.kill());
  await assert.rejects(wrong.send({ topic: 'AclOpen', tags: 'T', body: 'must-not-land' }), /ali-ons send failed/);
});

test('admin commands need an admin account: mqadmin without one is refused, with one it works', () => {
  const addr = `127.0.0.1:${String(broker.ready.internalPort)}`;
  const none = mqadmin(namesrvAddr, 'brokerStatus', '-b', addr);
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /UNAUTHORIZED/);
  const app = mqadmin(namesrvAddr, 'brokerStatus', '-b', addr, '--accessKey', APP.accessKey, '--secretKey', APP.accessSecret);
  assert.notEqual(app.status, 0);
  assert.match(app.stderr, /FORBIDDEN.*AppUser01 is not an admin account/);
  const admin = mqadmin(namesrvAddr, 'updateTopic', '-b', addr, '-t', 'AclByAdmin', '--accessKey', ADMIN.accessKey, '--secretKey', ADMIN.accessSecret);
  assert.equal(admin.status, 0, admin.stderr);
  const status = mqadmin(namesrvAddr, 'brokerStatus', '-b', addr, '--json', '--accessKey', ADMIN.accessKey, '--secretKey', ADMIN.accessSecret);
  assert.equal(status.status, 0, status.stderr);
});

test('an edited plain_acl.yml takes effect without a restart (a white-listed address then needs no signature)', async () => {
  const unsigned = new RawV2Client(endpoint);
  assert.equal(codeOf((await unsigned.send([message('AclOpen', Buffer.from('before'))])).status), 'UNAUTHORIZED');
  fs.writeFileSync(aclFile, `globalWhiteRemoteAddresses:\n  - 127.0.0.1\n${ACL_FILE}`);
  await eventually('the edit is in force', async () =>
    codeOf((await unsigned.send([message('AclOpen', Buffer.from('after the edit'))])).status) === 'OK' ? true : undefined,
  );
  // A broken edit keeps the last good accounts (and the broker keeps running).
  fs.writeFileSync(aclFile, 'accounts: [ {accessKey: ');
  await eventually('the refused edit is logged', async () => (broker.lines.some((l) => l.includes('acl file edit refused')) ? true : undefined));
  assert.equal(codeOf((await unsigned.send([message('AclOpen', Buffer.from('still white-listed'))])).status), 'OK');
  unsigned.close();
});

test('an IPv6 client is known by its address: white-listed as ::1, it sends unsigned; over IPv4 the same call is refused', async (t) => {
  if (!(await ipv6Loopback())) return t.skip('no IPv6 loopback on this machine');
  const file = path.join(tmpDir('orbitmq-acl-v6-'), 'plain_acl.yml');
  fs.writeFileSync(file, `globalWhiteRemoteAddresses:\n  - ::1\n${ACL_FILE}`);
  const dualStack = await startBroker(grpcAddress(await startNamesrv()), { listenHost: '::', extra: ['--aclEnable', 'true', '--aclFilePath', file] });
  const port = String(dualStack.ready.grpcPort);
  const overV6 = new RawV2Client(`[::1]:${port}`);
  const overV4 = new RawV2Client(`127.0.0.1:${port}`);
  try {
    assert.equal(codeOf((await overV6.send([message('AclOpen', Buffer.from('from ::1'))])).status), 'OK');
    assert.equal(codeOf((await overV4.send([message('AclOpen', Buffer.from('from 127.0.0.1'))])).status), 'UNAUTHORIZED');
  } finally {
    overV6.close();
    overV4.close();
  }
});

test('the dashboard with dashboardAuth=acl: only an admin account of plain_acl.yml logs in, and its calls pass the broker ACL', async () => {
  // Its own name server and broker, with the file as first written (a test above white-lists loopback).
  const file = path.join(tmpDir('orbitmq-acl-dash-'), 'plain_acl.yml');
  fs.writeFileSync(file, ACL_FILE);
  const ns = grpcAddress(await startNamesrv());
  await startBroker(ns, { extra: ['--aclEnable', 'true', '--aclFilePath', file] });
  const dashboard = await startApp('dashboard', [
    '--namesrvAddr',
    ns,
    '--dashboardAuth',
    'acl',
    '--listenHost',
    '127.0.0.1',
    '--listenPort',
    '0',
    '--metricsPort',
    '0',
  ]);
  const url = `http://127.0.0.1:${String(dashboard.ready.httpPort)}`;
  const login = (accessKey: string, secretKey: string) =>
    fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accessKey, secretKey }) });
  const wrong = await login(ADMIN.accessKey, 'not-the-secret');
  assert.equal(wrong.status, 401);
  assert.match(((await wrong.json()) as { message: string }).message, /refused AdminUser1: unknown key or wrong secret/);
  const notAdmin = await login(APP.accessKey, APP.accessSecret);
  assert.equal(notAdmin.status, 401);
  assert.match(((await notAdmin.json()) as { message: string }).message, /not an admin account/);
  const ok = await login(ADMIN.accessKey, ADMIN.accessSecret);
  assert.equal(ok.status, 200);
  const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  // The overview is asked of the brokers with the admin's signature: the ACL broker answers.
  const overview = (await (await fetch(`${url}/api/overview`, { headers: { cookie } })).json()) as { brokers: { ok: boolean; error?: string }[] };
  assert.ok(overview.brokers.length > 0 && overview.brokers.every((b) => b.ok), JSON.stringify(overview.brokers));
  // The ACL page's data: the accounts the broker enforces, as the file says, without a secret.
  const acl = await (await fetch(`${url}/api/acl`, { headers: { cookie } })).text();
  assert.doesNotMatch(acl, new RegExp(`${APP.accessSecret}|${ADMIN.accessSecret}`), 'no secret leaves the broker');
  type Account = { accessKey: string; topicPerms: { resource: string; perm: string }[] };
  const view = JSON.parse(acl) as { brokersAgree: boolean; configs: { aclEnabled: boolean; accounts: Account[] }[] };
  assert.equal(view.brokersAgree, true);
  assert.equal(view.configs[0]?.aclEnabled, true);
  const app = view.configs[0]?.accounts.find((a) => a.accessKey === APP.accessKey);
  assert.deepEqual(app?.topicPerms, [
    { resource: 'AclOpen', perm: 'PUB|SUB' },
    { resource: 'AclReadOnly', perm: 'SUB' },
  ]);
  await dashboard.kill('SIGTERM');
});
