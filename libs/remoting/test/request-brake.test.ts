// Read brakes on remoting connections (request-brake.ts), over real loopback sockets: a braked
// connection's requests wait unread in order while other connections are served; release answers
// them; a closed connection drops its wait.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  RemotingClient,
  RemotingServer,
  RequestCode,
  ResponseCode,
  createRequest,
  createResponse,
  type RemotingCommand,
  type RemotingConnection,
} from '../src';

/** Waits for `check` to hold, polling; fails after 10 s. */
async function eventually(what: string, check: () => boolean): Promise<void> {
  const until = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A server answering GET_MAX_OFFSET with the queueId, recording who asked what, in order. */
async function recordingServer(): Promise<{ server: RemotingServer; addr: string; handled: string[]; conns: RemotingConnection[] }> {
  const handled: string[] = [];
  const conns: RemotingConnection[] = [];
  const server = new RemotingServer().registerProcessor(RequestCode.GET_MAX_OFFSET, (cmd) => {
    handled.push(String(cmd.extFields['queueId']));
    return createResponse(cmd, ResponseCode.SUCCESS, undefined, { offset: '0' });
  });
  server.on('connection', (c: RemotingConnection) => conns.push(c));
  const port = await server.listen(0, '127.0.0.1');
  return { server, addr: `127.0.0.1:${port}`, handled, conns };
}

const ask = (client: RemotingClient, addr: string, id: string): Promise<RemotingCommand> =>
  client.invoke(addr, createRequest(RequestCode.GET_MAX_OFFSET, { topic: 'T', queueId: id }), 30_000);

test('a braked connection: its requests wait unread and in order while another connection is served; released, all are answered', async () => {
  const { server, addr, handled, conns } = await recordingServer();
  const bad = new RemotingClient();
  const good = new RemotingClient();
  try {
    await ask(bad, addr, 'bad-first');
    const badConn = conns[0] as RemotingConnection;
    assert.equal(server.brakeReads(badConn.remoteAddress, 0.001), true, 'known by its "ip:port"');
    assert.equal(server.brakeReads('127.0.0.1:1', 1), false, 'no such connection');
    const answers = Array.from({ length: 20 }, (_, i) => ask(bad, addr, `bad-${i}`));
    await eventually('the 20 requests read and waiting', () => badConn.waitingRequests === 20);
    assert.equal(badConn.socket.isPaused(), true, 'nothing more is read while they wait');
    for (let i = 0; i < 5; i++) assert.equal((await ask(good, addr, `good-${i}`)).code, ResponseCode.SUCCESS);
    assert.deepEqual(handled, ['bad-first', 'good-0', 'good-1', 'good-2', 'good-3', 'good-4'], 'none of the braked ones handled');
    assert.deepEqual(server.readBrakes(), { braked: 1, brakedTotal: 1, streamsTotal: 0 });

    server.releaseReads(badConn.remoteAddress);
    assert.ok((await Promise.all(answers)).every((r) => r.code === ResponseCode.SUCCESS));
    assert.deepEqual(
      handled.slice(6),
      Array.from({ length: 20 }, (_, i) => `bad-${i}`),
      'in the order sent',
    );
    assert.equal(badConn.socket.isPaused(), false, 'read again');
    assert.deepEqual(server.readBrakes(), { braked: 0, brakedTotal: 1, streamsTotal: 20 });
    assert.equal((await ask(bad, addr, 'bad-after')).code, ResponseCode.SUCCESS, 'served at once after release');
  } finally {
    await bad.close();
    await good.close();
    await server.close();
  }
});

test('braked at connect: the first request passes at once, the next waits; closing drops the wait unhandled', async () => {
  const { server, addr, handled, conns } = await recordingServer();
  server.on('connection', (c: RemotingConnection) => server.brakeReads(c.remoteAddress, 0.001, true));
  const client = new RemotingClient();
  try {
    assert.equal((await ask(client, addr, 'first')).code, ResponseCode.SUCCESS);
    const conn = conns[0] as RemotingConnection;
    const later = ask(client, addr, 'second').then(
      () => 'answered',
      () => 'closed',
    );
    await eventually('the second request waits', () => conn.waitingRequests === 1);
    await client.close();
    assert.equal(await later, 'closed');
    await eventually('the server saw the close', () => conn.closed);
    assert.deepEqual(handled, ['first']);
    assert.deepEqual(server.readBrakes(), { braked: 0, brakedTotal: 1, streamsTotal: 1 });
  } finally {
    await client.close();
    await server.close();
  }
});

test("one IP's braked connections share their turns: together they are handled at the rate, each in its turn", async () => {
  const RATE = 4; // requests a second for all of them together
  const CONNS = 6;
  const { server, addr, handled, conns } = await recordingServer();
  const startMs = Date.now();
  server.on('connection', (c: RemotingConnection) => server.brakeReads(c.remoteAddress, RATE, true));
  const clients = Array.from({ length: CONNS }, () => new RemotingClient());
  // A flood spread over the connections: one request in flight on each, sent again when answered.
  let flooding = true;
  const loops = clients.map(async (client, i) => {
    while (flooding) await ask(client, addr, `c${i}`).catch(() => (flooding = false));
  });
  const handledOf = (i: number): number => handled.filter((h) => h === `c${i}`).length;
  try {
    // Each in its turn: every connection handled three times (its first at once, then two turns).
    await eventually('every connection handled three times', () => clients.every((_, i) => handledOf(i) >= 3));
    const elapsedSec = (Date.now() - startMs) / 1000;
    assert.equal(conns.length, CONNS, 'a connection each');
    // Handled apart, CONNS connections would be handled CONNS times as fast.
    assert.ok(handled.length <= CONNS + RATE * elapsedSec + 1, `${handled.length} requests handled in ${elapsedSec.toFixed(1)} s`);
  } finally {
    flooding = false;
    for (const c of clients) await c.close();
    await Promise.all(loops);
    await server.close();
  }
});
