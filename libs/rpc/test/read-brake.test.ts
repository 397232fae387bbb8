/**
 * Read brakes (read-brake.ts through startGrpcServer): a braked connection's calls wait unread
 * (in TCP, at the client) while other connections are served; released, they are read and
 * answered. (Over TLS the brake does not hold: see read-brake.ts.)
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import { nameServerBinding } from './name-server-binding';
import { type RunningServer, type ServerOptions, startGrpcServer, unary } from '../src';

const WITHIN_MS = 10_000;
/** One call per 1,000 s: a braked connection is not read again within any test. */
const ALMOST_NEVER = 0.001;

async function until(cond: () => boolean, ms = WITHIN_MS): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'condition not met in time');
}

/** A server whose GetTopicList counts its calls per peer. */
async function counting(options: ServerOptions = {}): Promise<{ server: RunningServer; served: Map<string, number> }> {
  const served = new Map<string, number>();
  const binding = nameServerBinding({
    GetTopicList: unary('GetTopicList', (_req, call) => {
      served.set(call.getPeer(), (served.get(call.getPeer()) ?? 0) + 1);
      return { topics: ['T1'] };
    }),
  });
  return { server: await startGrpcServer('127.0.0.1', 0, [binding], options), served };
}

/** A GetTopicList over a raw HTTP/2 session (its own connection); resolves to the grpc-status, rejects if closed first. */
function call(session: http2.ClientHttp2Session): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':method': 'POST', ':path': '/orbitmq.v1.NameServer/GetTopicList', 'content-type': 'application/grpc', te: 'trailers' });
    req.on('trailers', (t) => resolve(String(t['grpc-status'])));
    req.on('error', reject);
    req.on('close', () => reject(new Error('closed without a status'))); // no-op once resolved
    req.resume();
    req.end(Buffer.from([0, 0, 0, 0, 0])); // one empty message
  });
}

const total = (served: Map<string, number>): number => [...served.values()].reduce((a, b) => a + b, 0);

test('a braked connection is not read past its rate while others are served; released, its calls are answered', async () => {
  const connect = (port: number) => http2.connect(`http://127.0.0.1:${port}`);
  const { server, served } = await counting();
  const flood = connect(server.port);
  flood.on('error', () => undefined);
  assert.equal(await call(flood), '0');
  const peer = [...served.keys()][0] ?? '';
  assert.match(peer, /^127\.0\.0\.1:\d+$/);
  assert.equal(server.brakeReads(peer, ALMOST_NEVER), true);
  assert.equal(server.brakeReads('127.0.0.1:1', ALMOST_NEVER), false, 'no such connection');

  // The first call read after the brake stops the reads (it is served: it came in that read).
  assert.equal(await call(flood), '0');
  const waiting = Array.from({ length: 20 }, () => call(flood));
  const witness = connect(server.port);
  witness.on('error', () => undefined);
  for (let i = 0; i < 5; i++) assert.equal(await call(witness), '0', 'another connection is served meanwhile');
  assert.equal(served.get(peer), 2, 'none of the 20 calls on the braked connection read');
  assert.deepEqual(server.readBrakes(), { braked: 1, brakedTotal: 1, streamsTotal: 1 });

  server.releaseReads(peer);
  assert.deepEqual(await Promise.all(waiting), Array(20).fill('0'), 'released: every waiting call answered');
  assert.equal(served.get(peer), 22);
  assert.equal(server.readBrakes().braked, 0);
  flood.close();
  witness.close();
  await server.stop(500);
});

test('brakeAtConnect brakes a new connection from its first call; closed by its peer, it goes at the keepalive timeout', async () => {
  const asked: string[] = [];
  const { server, served } = await counting({
    // Unread, a connection's close goes unseen: the server's ping, unanswered, ends it.
    limits: { keepaliveTimeMs: 300, keepaliveTimeoutMs: 300 },
    brakeAtConnect: (remote) => {
      asked.push(remote);
      return { callsPerSecond: ALMOST_NEVER };
    },
  });
  const braked = http2.connect(`http://127.0.0.1:${server.port}`);
  braked.on('error', () => undefined);
  assert.equal(await call(braked), '0', 'the first call is read (in one read or two: the first wait is cut short) and served');
  const waiting = call(braked).catch(() => 'closed');
  await until(() => server.readBrakes().streamsTotal === 1);
  assert.equal(total(served), 1);
  assert.deepEqual(server.readBrakes(), { braked: 1, brakedTotal: 1, streamsTotal: 1 });
  assert.match(asked[0] ?? '', /^127\.0\.0\.1:\d+$/);
  braked.destroy();
  assert.equal(await waiting, 'closed');
  await until(() => server.readBrakes().braked === 0);
  await server.stop(500);
});

test("one IP's braked connections share one pace: together they are read at the rate, each in its turn", async () => {
  const RATE = 4; // calls a second for all of them together
  const CONNS = 6;
  const { server, served } = await counting();
  const sessions = Array.from({ length: CONNS }, () => {
    const s = http2.connect(`http://127.0.0.1:${server.port}`);
    s.on('error', () => undefined);
    return s;
  });
  for (const s of sessions) assert.equal(await call(s), '0');
  const peers = [...served.keys()];
  assert.equal(peers.length, CONNS, 'a connection each');
  const startMs = Date.now();
  for (const p of peers) assert.equal(server.brakeReads(p, RATE), true);
  // A flood spread over the connections: one call in flight on each, sent again when answered.
  let flooding = true;
  const loops = sessions.map(async (s) => {
    while (flooding) await call(s).catch(() => (flooding = false));
  });
  try {
    // Each in its turn: every connection is read twice more (3 served since the brake).
    await until(() => peers.every((p) => (served.get(p) ?? 0) >= 4), 30_000);
    const read = server.readBrakes().streamsTotal;
    const elapsedSec = (Date.now() - startMs) / 1000;
    // The first call of each after its brake is read at once; after that the IP is read at RATE. Read
    // apart, CONNS connections would be read CONNS times as fast.
    assert.ok(read <= CONNS + RATE * elapsedSec + 1, `${read} calls read from the braked connections in ${elapsedSec.toFixed(1)} s`);
  } finally {
    flooding = false;
    for (const s of sessions) s.destroy();
    await Promise.all(loops);
    await server.stop(500);
  }
});

test('braked at connect: after its first read and a short window, the connection is read at its turn only', async () => {
  const { server, served } = await counting({ brakeAtConnect: () => ({ callsPerSecond: ALMOST_NEVER }) });
  const connect = () => {
    const s = http2.connect(`http://127.0.0.1:${server.port}`);
    s.on('error', () => undefined);
    return s;
  };
  const braked = connect();
  const witness = connect();
  /** Whether the server reads the connection: a ping's ack needs a read. */
  const pingAnswered = (withinMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), withinMs);
      braked.ping((err) => {
        clearTimeout(timer);
        resolve(!err);
      });
    });
  try {
    assert.equal(await call(braked), '0', 'the first call is read and served');
    let reading = true;
    for (const end = Date.now() + WITHIN_MS; reading && Date.now() < end;) reading = await pingAnswered(300);
    assert.equal(reading, false, 'the window closed: the connection is no longer read');
    const second = call(braked).catch(() => 'closed');
    assert.equal(await call(witness), '0', "another connection's first call is served meanwhile");
    assert.equal(total(served), 2, 'the second call on the braked connection waits unread');
    braked.destroy();
    assert.equal(await second, 'closed');
  } finally {
    braked.destroy();
    witness.destroy();
    await server.stop(500);
  }
});
