/**
 * A flood of bad signatures against real brokers (issue #17): refusals past a few free failures are
 * paced, connections that do nothing but fail are read slowly (gRPC and 4.x remoting), good clients
 * from the same IP are served meanwhile, and held refusals whose callers give up are dropped.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { MessagingClient } from '@orbitmq/client';
import { remotingSignature, remotingSignedContent } from '@orbitmq/acl';
import { orbitmqV1, rocketmqV2, type v1 } from '@orbitmq/protocol';
import { RemotingClient, RequestCode, ResponseCode, createRequest, type RemotingCommand } from '@orbitmq/remoting';
import { CHANNEL_OPTIONS } from '@orbitmq/rpc';
import { ADMIN, APP, startPacedBroker } from '../support/acl';
import { makeTestCerts } from '../support/certs';
import { clientEndpoint, startReplica } from '../support/cluster';
import { internalAddress } from '../support/ha';
import { counterSum, metricsOf } from '../support/metrics';
import { eventually, stopAll } from '../support/processes';
import { codeOf, message } from '../support/raw-v2';

const certs = makeTestCerts();

after(async () => {
  await stopAll();
  fs.rmSync(certs.dir, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
const officialSign = (require('rocketmq-client-nodejs/dist/util') as { sign(secret: string, dateTime: string): string }).sign;

/** Connections of a server read slowly now (they did nothing but fail authentication). */
const braked = (metrics: string, server = 'client'): number => counterSum(metrics, 'rocketmq_connections_braked', { server });

test('a flood of bad signatures is paced past a few free failures, while good requests from the same IP pass at once', async () => {
  // 2 free failures per window, then one refusal a second: eight held refusals take about 8 s.
  const paced = await startPacedBroker('pace', 2);
  const good = new MessagingClient(clientEndpoint(paced), { credentials: APP });
  const bad = new MessagingClient(clientEndpoint(paced), { credentials: { ...APP, accessSecret: 'not-the-secret' } });
  try {
    const sendBad = async () => (await bad.send([{ topic: 'AclOpen', body: Buffer.from('flood') }]))[0]?.error;
    assert.deepEqual([await sendBad(), await sendBad()], ['UNAUTHORIZED', 'UNAUTHORIZED']); // free
    let answered = 0;
    const held = Array.from({ length: 8 }, () => sendBad().finally(() => answered++));
    await eventually('refusals are held', async () => (counterSum(await metricsOf(paced), 'orbitmq_acl_refusals_held') > 0 ? true : undefined));
    // The two clients share grpc-js's connection, which nothing but failures have used: it is braked.
    assert.equal(braked(await metricsOf(paced)), 1);
    const [ok] = await good.send([{ topic: 'AclOpen', body: Buffer.from('good-during-flood') }]);
    assert.equal(ok?.error, undefined);
    assert.ok(answered < 8, `the good send is answered while refusals are still held (${answered} of 8 answered)`);
    assert.equal(braked(await metricsOf(paced)), 0, 'the good call on the braked connection freed it');
    assert.deepEqual(await Promise.all(held), Array(8).fill('UNAUTHORIZED'));
    assert.equal(counterSum(await metricsOf(paced), 'orbitmq_acl_refusals_delayed_total'), 8);
  } finally {
    good.close();
    bad.close();
  }
});

test('a connection that does nothing but fail is read slowly, while a good client from the same IP is served on its own', async () => {
  // 2 free failures, then paced; the failing connection is read at 1 call a second (the default).
  // An unread connection's close goes unseen until the server's keepalive ping, unanswered, ends it.
  const paced = await startPacedBroker('brake', 2, ['--keepaliveTimeMs', '1000', '--keepaliveTimeoutMs', '1000']);
  const good = new MessagingClient(clientEndpoint(paced), { credentials: APP, ownConnection: true });
  const bad = new MessagingClient(clientEndpoint(paced), {
    credentials: { ...APP, accessSecret: 'not-the-secret' },
    ownConnection: true,
    requestTimeoutMs: 5_000,
  });
  const sendBad = () =>
    bad.send([{ topic: 'AclOpen', body: Buffer.from('flood') }]).then(
      (r) => r[0]?.error,
      (e: { code?: string }) => e.code,
    );
  const readFromBraked = async () => counterSum(await metricsOf(paced), 'rocketmq_connections_braked_calls_total', { server: 'client' });
  try {
    assert.deepEqual([await sendBad(), await sendBad()], ['UNAUTHORIZED', 'UNAUTHORIZED']); // free
    const first = Array.from({ length: 10 }, sendBad);
    await eventually('the failing connection is braked', async () => (braked(await metricsOf(paced)) === 1 ? true : undefined));
    // The next read of it brings the second batch (or part of it) and puts the one after off by a second per call.
    const second = Array.from({ length: 10 }, sendBad);
    await eventually('a read of the braked connection', async () => ((await readFromBraked()) > 0 ? true : undefined));
    const third = Array.from({ length: 10 }, sendBad);
    for (let i = 0; i < 5; i++) {
      const [ok] = await good.send([{ topic: 'AclOpen', body: Buffer.from(`good-${i}`) }]);
      assert.equal(ok?.error, undefined, 'the good client, on its own connection, is served meanwhile');
    }
    assert.ok((await readFromBraked()) <= 20, 'the third batch waits unread');
    assert.equal(braked(await metricsOf(paced)), 1, "the good client's connection is not braked");
    bad.close(); // its calls in flight are given up with the connection; the broker drops the brake
    await Promise.all([...first, ...second, ...third]);
    await eventually('the closed connection leaves no brake', async () => (braked(await metricsOf(paced)) === 0 ? true : undefined));
    const [ok] = await good.send([{ topic: 'AclOpen', body: Buffer.from('good-after') }]);
    assert.equal(ok?.error, undefined);
  } finally {
    good.close();
    bad.close();
  }
});

test('held refusals are answered before their callers deadlines; those whose callers give up are dropped (a cancelled gRPC call, a closed remoting connection)', async () => {
  // No free failures, one refusal a second: 20 held refusals would take 20 s to answer. Braking off:
  // every call is read at once, so all are held (braked connections are the test above's).
  const paced = await startPacedBroker('withdraw', 0, ['--aclBrakedConnectionCallsPerSecond', '0']);
  const held = async () => counterSum(await metricsOf(paced), 'orbitmq_acl_refusals_held');
  const withdrawn = async () => counterSum(await metricsOf(paced), 'orbitmq_acl_refusals_withdrawn_total');
  // Calls with a 5 s deadline, 15 of them past it if held to their turns: each learns why it was refused
  // before it gives up, none times out.
  const bad = new MessagingClient(clientEndpoint(paced), { credentials: { ...APP, accessSecret: 'not-the-secret' }, requestTimeoutMs: 5_000 });
  try {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        bad.send([{ topic: 'AclOpen', body: Buffer.from('x') }]).then(
          (r) => r[0]?.error ?? 'OK',
          (e: { code?: string }) => e.code ?? 'ERROR',
        ),
      ),
    );
    assert.deepEqual(outcomes, Array(20).fill('UNAUTHORIZED'));
    assert.ok(counterSum(await metricsOf(paced), 'orbitmq_acl_refusals_delayed_total') >= 19, 'all but the first were held');
  } finally {
    bad.close();
  }
  // Calls without a deadline, cancelled by their client while held: dropped unanswered.
  const stub = new (rocketmqV2().MessagingService)(clientEndpoint(paced), grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
  const unsigned = new grpc.Metadata();
  unsigned.set('x-mq-protocol', 'v2');
  const calls = Array.from({ length: 10 }, () => {
    let settled: (code: string) => void = () => undefined;
    const outcome = new Promise<string>((resolve) => (settled = resolve));
    const call = stub.SendMessage({ messages: [message('AclOpen', Buffer.from('x'))] }, unsigned, {}, (e, r) =>
      settled(e ? String(e.code) : codeOf(r?.status)),
    );
    return { call, outcome };
  });
  const grpcBefore = await withdrawn();
  await eventually('the unsigned calls are held', async () => ((await held()) >= 10 ? true : undefined));
  for (const c of calls) c.call.cancel();
  assert.deepEqual(await Promise.all(calls.map((c) => c.outcome)), Array(10).fill(String(grpc.status.CANCELLED)));
  await eventually('the cancelled calls leave no refusal held', async () => ((await held()) === 0 ? true : undefined), 8_000);
  assert.equal((await withdrawn()) - grpcBefore, 10);
  stub.close();
  // Remoting: a 4.x request without a signature is refused and held; closing the connection drops it.
  const before = await withdrawn();
  const raw = new RemotingClient();
  const addr = `127.0.0.1:${String(paced.ready.internalPort)}`;
  const pending = Array.from({ length: 5 }, () =>
    raw.invoke(addr, createRequest(RequestCode.GET_MAX_OFFSET, { topic: 'AclOpen', queueId: '0' }), 30_000).then(
      () => 'answered',
      () => 'closed',
    ),
  );
  await eventually('the unsigned requests are held', async () => ((await held()) >= 5 ? true : undefined));
  await raw.close();
  assert.deepEqual(await Promise.all(pending), Array(5).fill('closed'));
  await eventually('the closed connection leaves no refusal held', async () => ((await held()) === 0 ? true : undefined), 8_000);
  assert.equal((await withdrawn()) - before, 5);
});

/** A GET_MAX_OFFSET request of AclOpen, signed as 4.x clients sign (AccessKey, Signature) with `secret`. */
function signed4x(secret: string): RemotingCommand {
  const cmd = createRequest(RequestCode.GET_MAX_OFFSET, { topic: 'AclOpen', queueId: '0', AccessKey: APP.accessKey });
  cmd.extFields['Signature'] = remotingSignature(secret, remotingSignedContent(cmd.extFields, cmd.body));
  return cmd;
}

test('a 4.x connection that pipelines nothing but bad signatures is read slowly, while a good 4.x client from the same IP is served', async () => {
  const paced = await startPacedBroker('brake-4x', 2);
  const addr = `127.0.0.1:${String(paced.ready.internalPort)}`;
  const bad = new RemotingClient();
  const good = new RemotingClient();
  const ask = (client: RemotingClient, secret: string) =>
    client.invoke(addr, signed4x(secret), 60_000).then(
      (r) => r.code,
      () => 'closed',
    );
  // Past the ACL, GET_MAX_OFFSET answers TOPIC_NOT_EXIST on this fresh broker: "passed" below.
  const PASSED = ResponseCode.TOPIC_NOT_EXIST;
  const remotingMetric = async (name: string) => counterSum(await metricsOf(paced), name, { server: 'remoting' });
  try {
    assert.equal(await ask(good, APP.accessSecret), PASSED, 'a good signature passes');
    assert.deepEqual([await ask(bad, 'not-the-secret'), await ask(bad, 'not-the-secret')], [ResponseCode.NO_PERMISSION, ResponseCode.NO_PERMISSION]); // free
    // 30 pipelined at once: the first past the free failures brakes the connection, the rest wait unread.
    const flood = Array.from({ length: 30 }, () => ask(bad, 'not-the-secret'));
    await eventually('the 4.x connection is braked', async () => (braked(await metricsOf(paced), 'remoting') === 1 ? true : undefined));
    for (let i = 0; i < 5; i++) assert.equal(await ask(good, APP.accessSecret), PASSED, 'the good client is served meanwhile');
    // Unbraked, all 30 would be read now and 28 held (paced); braked, one more a second is read.
    assert.ok(counterSum(await metricsOf(paced), 'orbitmq_acl_refusals_held') < 10, 'the flood waits unread');
    assert.ok((await remotingMetric('rocketmq_connections_braked_calls_total')) < 10);
    assert.equal(braked(await metricsOf(paced), 'remoting'), 1, "the good client's connection is not braked");
    // A new connection from the IP is braked at connect; its first request, accepted, frees it.
    const fresh = new RemotingClient();
    assert.equal(await ask(fresh, APP.accessSecret), PASSED);
    assert.equal(await remotingMetric('rocketmq_connections_braked_total'), 2);
    assert.equal(braked(await metricsOf(paced), 'remoting'), 1);
    await fresh.close();
    await bad.close(); // the waiting requests go with the connection
    assert.ok((await Promise.all(flood)).every((c) => c === 'closed' || c === ResponseCode.NO_PERMISSION));
    await eventually('the closed connection leaves no brake', async () => (braked(await metricsOf(paced), 'remoting') === 0 ? true : undefined));
  } finally {
    await bad.close();
    await good.close();
  }
});

/** A MessagingService stub over TLS on its own connection, signing its calls with `secret`. */
/** v5 metadata signed as the official clients sign it. */
function signed(accessKey: string, secret: string): grpc.Metadata {
  const md = new grpc.Metadata();
  const dateTime = `${new Date().toISOString().split('.')[0]?.replace(/[-:]/g, '')}Z`;
  md.set('x-mq-protocol', 'v2');
  md.set('x-mq-date-time', dateTime);
  md.set('authorization', `MQv2-HMAC-SHA1 Credential=${accessKey}, SignedHeaders=x-mq-date-time, Signature=${officialSign(secret, dateTime)}`);
  return md;
}

/** A TLS channel of its own (not shared with other stubs to the same address). */
const ownTlsChannel = (): [grpc.ChannelCredentials, grpc.ChannelOptions] => [
  grpc.credentials.createSsl(fs.readFileSync(certs.ca)),
  { ...CHANNEL_OPTIONS, 'grpc.use_local_subchannel_pool': 1 },
];

function tlsSender(endpoint: string, secret: string): { send(body: string): Promise<string>; close(): void } {
  const stub = new (rocketmqV2().MessagingService)(endpoint, ...ownTlsChannel());
  const send = (body: string): Promise<string> =>
    new Promise((resolve) => {
      stub.SendMessage({ messages: [message('AclOpen', Buffer.from(body))] }, signed(APP.accessKey, secret), { deadline: Date.now() + 10_000 }, (e, r) =>
        resolve(e ? grpc.status[e.code] : codeOf(r?.status)),
      );
    });
  return { send, close: () => stub.close() };
}

/** BrokerAdmin over TLS as ADMIN with `secret`: brokerStatus answers its status code, haStatus the replicas. */
function tlsAdmin(address: string, secret: string) {
  const stub = new (orbitmqV1().BrokerAdmin)(address, ...ownTlsChannel());
  const unary = <T>(method: 'GetBrokerStatus' | 'GetHaStatus'): Promise<{ code: string; answer?: T }> =>
    new Promise((resolve) => {
      const call = stub[method].bind(stub) as (req: object, md: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: T) => void) => void;
      call({}, signed(ADMIN.accessKey, secret), { deadline: Date.now() + 10_000 }, (e, r) =>
        resolve(e ? { code: grpc.status[e.code] } : { code: 'OK', answer: r }),
      );
    });
  return {
    brokerStatus: async () => (await unary('GetBrokerStatus')).code,
    haStatus: async () => (await unary<v1.GetHaStatusResponse__Output>('GetHaStatus')).answer,
    close: () => stub.close(),
  };
}

test('over TLS too: a failing connection is closed, and its successor, read through a gate, stays braked while a good TLS client is served', async () => {
  const tls = ['--tlsServerMode', 'enforcing', '--tlsServerCertPath', certs.serverCert, '--tlsServerKeyPath', certs.serverKey];
  const paced = await startPacedBroker('brake-tls', 2, tls);
  const endpoint = clientEndpoint(paced);
  const bad = tlsSender(endpoint, 'not-the-secret');
  const good = tlsSender(endpoint, APP.accessSecret);
  const metric = async (name: string) => counterSum(await metricsOf(paced), name, { server: 'client' });
  try {
    assert.equal(await good.send('good-first'), 'OK');
    assert.deepEqual([await bad.send('bad'), await bad.send('bad')], ['UNAUTHORIZED', 'UNAUTHORIZED']); // free
    // Past the free failures: TLS on the TCP handle cannot be braked, so the connection is closed.
    const closing = await Promise.all(Array.from({ length: 10 }, () => bad.send('bad')));
    assert.ok(
      closing.some((c) => c === 'UNAVAILABLE'),
      `the connection was closed under its calls: ${closing.join(' ')}`,
    );
    // Its client reconnects; from an IP braked in the last minute, the new connection is gated and
    // braked from its first call, its first wait cut short: the first two batches are read in one or
    // two reads, or, split further, the next read (up to 60 s later) brings the rest. Each call read
    // puts the next read a second off: 20 calls in a read, 20 s.
    const calls = () => metric('rocketmq_connections_braked_calls_total');
    const batch = () => Array.from({ length: 20 }, () => bad.send('bad'));
    const first = batch();
    await eventually('the new connection braked, its first calls read', async () =>
      braked(await metricsOf(paced)) === 1 && (await calls()) > 0 ? true : undefined,
    );
    const second = batch();
    await eventually('both batches read', async () => ((await calls()) === 40 ? true : undefined), 90_000);
    const third = batch();
    for (let i = 0; i < 5; i++) assert.equal(await good.send(`good-${i}`), 'OK', 'the good TLS client is served meanwhile');
    assert.equal(await calls(), 40, 'the third batch waits unread, though refusals were answered on that connection meanwhile');
    assert.ok((await metric('rocketmq_connections_braked_total')) >= 2, 'the closed connection and its successor');
    bad.close();
    await Promise.all([...first, ...second, ...third]);
  } finally {
    bad.close();
    good.close();
  }
});

test('the internal port over TLS too, with clusterSecret: a failing admin connection is closed, its successor gated and braked, while a replica and an admin tool from the same IP are freed by their first call', async () => {
  const tls = ['--tlsServerCertPath', certs.serverCert, '--tlsServerKeyPath', certs.serverKey];
  const secret = ['--clusterSecret', 'cluster-secret-0123456789'];
  // The name server takes both (the master registers in plaintext, the replica over TLS).
  const master = await startPacedBroker('brake-internal', 2, ['--tlsServerMode', 'enforcing', ...tls, ...secret], ['--tlsServerMode', 'permissive', ...tls]);
  const internal = internalAddress(master);
  const bad = tlsAdmin(internal, 'not-the-secret');
  const admin = tlsAdmin(internal, ADMIN.accessSecret);
  const metric = async (name: string) => counterSum(await metricsOf(master), name, { server: 'internal' });
  const batch = () => Array.from({ length: 20 }, () => bad.brokerStatus());
  try {
    assert.deepEqual([await bad.brokerStatus(), await bad.brokerStatus()], ['UNAUTHENTICATED', 'UNAUTHENTICATED']); // free
    const closing = await Promise.all(Array.from({ length: 10 }, () => bad.brokerStatus()));
    assert.ok(
      closing.some((c) => c === 'UNAVAILABLE'),
      `the connection was closed under its calls: ${closing.join(' ')}`,
    );
    const first = batch();
    await eventually('the new connection braked, its first calls read', async () =>
      (await metric('rocketmq_connections_braked')) === 1 && (await metric('rocketmq_connections_braked_calls_total')) > 0 ? true : undefined,
    );
    const second = batch();
    // From the flooder's IP: the replica's connection to the master is gated and braked at connect;
    // its Follow carries the cluster credential, which frees it (as the admin's accepted call does).
    const replica = await startReplica(master.namesrvAddr, {
      extra: ['--haMasterAddress', internal, ...secret, '--tlsEnable', 'true', '--tlsClientTrustCertPath', certs.ca],
    });
    const good = tlsSender(clientEndpoint(master), APP.accessSecret);
    for (let i = 0; i < 5; i++) assert.equal(await good.send(`replicated-${i}`), 'OK');
    good.close();
    await eventually("the replica caught up, its and the admin's connections freed, the flooder's still braked", async () => {
      const s = await admin.haStatus();
      const caughtUp = s?.replicas.some((r) => r.inSync && r.ackedDurableOffset === s.endOffset) ?? false;
      return caughtUp && (await metric('rocketmq_connections_braked')) === 1 ? true : undefined;
    });
    // The closed connection, its successor, and the replica's and the admin's, braked at connect.
    assert.ok((await metric('rocketmq_connections_braked_total')) >= 4, 'the replica and the admin were braked at connect');
    bad.close();
    await Promise.all([...first, ...second]);
    await replica.kill('SIGTERM');
  } finally {
    bad.close();
    admin.close();
  }
});
