import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { OrbitError, orbitmqV1, type v1 } from '@orbitmq/protocol';
import { nameServerBinding } from './name-server-binding';
import { type ConnectionEvent, type ConnectionLimits, callUnary, createClient, startGrpcServer, unary } from '../src';

/** Generous upper bound for anything that should happen after a few hundred ms. */
const WITHIN_MS = 10_000;

async function guarded(limits: Partial<ConnectionLimits>, handlers: Partial<v1.NameServerHandlers> = {}) {
  const events: ConnectionEvent[] = [];
  const server = await startGrpcServer('127.0.0.1', 0, [nameServerBinding(handlers)], { limits, onConnection: (e) => events.push(e) });
  return { server, events };
}

function rawSocket(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.resume(); // read (and drop) what the server sends, so its FIN is seen
    s.on('error', () => undefined); // a reset after refusal is expected
    s.once('error', reject);
  });
}

/** Resolves true when the socket (or session) closes within ms, false otherwise. */
function closesWithin(emitter: net.Socket | http2.ClientHttp2Session, ms: number): Promise<boolean> {
  if (emitter.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    emitter.once('close', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

async function until(cond: () => boolean, ms = WITHIN_MS): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'condition not met in time');
}

test('a connection that never sends the HTTP/2 preface is closed after handshakeTimeoutMs and reported', async () => {
  const { server, events } = await guarded({ handshakeTimeoutMs: 300, connectionIdleTimeoutMs: 0 });
  const silent = await rawSocket(server.port);
  await until(() => server.connections() === 1);
  assert.equal(await closesWithin(silent, WITHIN_MS), true, 'silent connection closed');
  await until(() => server.connections() === 0);
  assert.deepEqual(
    events.map((e) => [e.kind, e.reason]),
    [['refused', 'handshake_timeout']],
  );
  assert.match(events[0]?.remote ?? '', /^127\.0\.0\.1:\d+$/);
  await server.stop(500);
});

test('a connection that completes the handshake survives the handshake timeout; it is told maxConcurrentCallsPerConnection', async () => {
  const { server, events } = await guarded({ handshakeTimeoutMs: 200, connectionIdleTimeoutMs: 0, maxConcurrentCallsPerConnection: 77 });
  const session = http2.connect(`http://127.0.0.1:${server.port}`);
  session.on('error', () => undefined);
  const settings = await new Promise<http2.Settings>((r) => session.once('remoteSettings', r));
  assert.equal(settings.maxConcurrentStreams, 77);
  assert.equal(await closesWithin(session, 1_000), false, 'still open well after the handshake timeout');
  assert.equal(events.length, 0);
  session.destroy();
  await server.stop(500);
});

test('a connection without calls is closed after connectionIdleTimeoutMs; one with a call in progress is not', async () => {
  let release!: () => void;
  const { server, events } = await guarded(
    { handshakeTimeoutMs: 5_000, connectionIdleTimeoutMs: 300 },
    { GetTopicList: unary('GetTopicList', () => new Promise<v1.GetTopicListResponse>((r) => (release = () => r({ topics: ['late'] })))) },
  );
  const idle = http2.connect(`http://127.0.0.1:${server.port}`);
  idle.on('error', () => undefined);
  assert.equal(await closesWithin(idle, WITHIN_MS), true, 'idle session closed');
  assert.deepEqual(
    events.map((e) => [e.kind, e.reason]),
    [['closed', 'idle_timeout']],
  );

  // A call that outlasts the idle timeout keeps its connection; the client then reconnects as needed.
  const client = createClient(orbitmqV1().NameServer, server.address);
  const call = callUnary(client, client.GetTopicList, { clusterName: '' }, { deadlineMs: WITHIN_MS, retries: 0 });
  await new Promise((r) => setTimeout(r, 900));
  release();
  assert.deepEqual((await call).topics, ['late']);
  assert.equal(events.length, 1, 'no idle close while the call was in progress');
  client.close();
  await server.stop(500);
});

test('beyond maxConnections a new connection is closed at once and reported; a freed slot is reusable', async () => {
  const { server, events } = await guarded({ maxConnections: 3, handshakeTimeoutMs: 60_000, connectionIdleTimeoutMs: 0 });
  const held = [await rawSocket(server.port), await rawSocket(server.port), await rawSocket(server.port)];
  await until(() => server.connections() === 3);
  const extra = await rawSocket(server.port);
  assert.equal(await closesWithin(extra, WITHIN_MS), true, 'the 4th connection is closed');
  await until(() => events.length === 1);
  assert.deepEqual(
    events.map((e) => [e.kind, e.reason]),
    [['refused', 'max_connections']],
  );
  assert.equal(server.connections(), 3);
  for (const s of held) assert.equal(s.destroyed, false, 'connections under the limit stay open');

  held[0]?.destroy();
  await until(() => server.connections() === 2);
  const client = createClient(orbitmqV1().NameServer, server.address);
  await assert.rejects(
    callUnary(client, client.GetRoute, { topic: 'T' }, { deadlineMs: WITHIN_MS, retries: 0 }),
    (e: OrbitError) => e.code === 'NOT_IMPLEMENTED',
    'a gRPC call gets through once a slot is free',
  );
  client.close();
  for (const s of held) s.destroy();
  await server.stop(500);
});
