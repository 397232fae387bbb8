/**
 * Connection limits and send back-pressure on real processes: connections that never complete the
 * HTTP/2 handshake are closed after handshakeTimeoutMs, connections beyond maxConnections are
 * refused at once, an overload beyond maxInflightSendBytes gets TOO_MANY_REQUESTS, and everything
 * is counted in /metrics; the broker keeps serving afterwards. Bad limit values stop the app (exit 2).
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { clientEndpoint, startBroker, startNamesrv } from '../support/cluster';
import { type AppProcess, eventually, grpcAddress, runToExit, stopAll } from '../support/processes';
import { RawV2Client, codeOf, message } from '../support/raw-v2';

after(() => stopAll());

/** Generous bound for closes that should take about one timeout. */
const WITHIN_MS = 15_000;

/** Sum of a metric's samples whose labels include every label of `series` (e.g. 'name{a="x"}'). */
async function metric(p: AppProcess, series: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${String(p.ready.metricsPort)}/metrics`)).text();
  const [name, labels = ''] = series.replace(/}$/, '').split('{');
  const wanted = labels ? labels.split(',') : [];
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m && m[1] === name && wanted.every((l) => (m[2] ?? '').split(',').includes(l))) sum += Number(m[3]);
  }
  return sum;
}

/** A raw TCP connection that never sends a byte; resolves `closed` when the server closes it. */
async function silentConnection(port: number): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined); // a reset on refusal is fine
  socket.resume(); // read (and drop) the server's SETTINGS so its FIN is seen
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  await new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', resolve);
  });
  return { socket, closed };
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

test('connections that never send are closed after handshakeTimeoutMs, idle ones (gRPC, or 4.x remoting stalled mid-frame) after connectionIdleTimeoutMs, and counted', async () => {
  const namesrv = await startNamesrv();
  const broker = await startBroker(grpcAddress(namesrv), { extra: ['--handshakeTimeoutMs', '500', '--connectionIdleTimeoutMs', '1000'] });
  const ports = [Number(broker.ready.grpcPort), Number(broker.ready.internalPort)];
  const silent = await Promise.all(ports.flatMap((port) => Array.from({ length: 20 }, () => silentConnection(port))));
  await within(Promise.all(silent.map((s) => s.closed)), WITHIN_MS, 'silent connections closed');
  await eventually('handshake timeouts counted', async () =>
    (await metric(broker, 'rocketmq_connections_refused_total{server="client",reason="handshake_timeout"}')) >= 20 &&
    (await metric(broker, 'rocketmq_connections_refused_total{server="internal",reason="handshake_timeout"}')) >= 20
      ? true
      : undefined,
  );
  // A connection that completes the handshake but makes no call is closed (GOAWAY) once idle.
  const idle = http2.connect(`http://${clientEndpoint(broker)}`);
  idle.on('error', () => undefined);
  await within(new Promise((r) => idle.once('close', r)), WITHIN_MS, 'idle connection closed');
  assert.ok((await metric(broker, 'rocketmq_connections_closed_total{server="client",reason="idle_timeout"}')) >= 1);
  // A RocketMQ 4.x remoting peer stalled mid-frame (a length announcing 100 bytes, then 10 of
  // them) on the port shared with remoting: closed once nothing moved for the idle timeout.
  const stalled = net.connect(Number(broker.ready.internalPort), '127.0.0.1', () => stalled.write(Buffer.from([0, 0, 0, 100, 0, 0, 0, 1, 0x7b, 0x22])));
  stalled.on('error', () => undefined);
  await within(new Promise((r) => stalled.once('close', r)), WITHIN_MS, 'stalled remoting connection closed');
  await eventually('the remoting idle close counted', async () =>
    (await metric(broker, 'rocketmq_connections_closed_total{server="internal",reason="idle_timeout"}')) >= 1 ? true : undefined,
  );
  // A real client completes the handshake at once, and reconnects by itself after an idle close.
  const client = new RawV2Client(clientEndpoint(broker));
  const res = await client.send([message('LimitsTopic', Buffer.from('after silent connections'))]);
  assert.equal(codeOf(res.status), 'OK');
  await new Promise((r) => setTimeout(r, 2_000));
  assert.equal(codeOf((await client.send([message('LimitsTopic', Buffer.from('after an idle close'))])).status), 'OK');
  client.close();
  await broker.kill('SIGTERM');
});

test('beyond maxConnections a new connection is refused at once and counted; a freed slot serves again', async () => {
  const namesrv = await startNamesrv();
  const broker = await startBroker(grpcAddress(namesrv), { extra: ['--maxConnections', '5', '--handshakeTimeoutMs', '60000'] });
  const port = Number(broker.ready.grpcPort);
  const held = await Promise.all(Array.from({ length: 5 }, () => silentConnection(port)));
  await eventually('5 open connections', async () => ((await metric(broker, 'rocketmq_connections{server="client"}')) === 5 ? true : undefined));
  const extra = await silentConnection(port);
  await within(extra.closed, WITHIN_MS, 'the 6th connection is closed');
  await eventually('refusal counted', async () =>
    (await metric(broker, 'rocketmq_connections_refused_total{server="client",reason="max_connections"}')) >= 1 ? true : undefined,
  );
  for (const h of held) assert.equal(h.socket.destroyed, false, 'connections under the limit stay open');

  for (const h of held) h.socket.destroy();
  await eventually('slots freed', async () => ((await metric(broker, 'rocketmq_connections{server="client"}')) === 0 ? true : undefined));
  const client = new RawV2Client(clientEndpoint(broker));
  assert.equal(codeOf((await client.send([message('LimitsTopic', Buffer.from('x'))])).status), 'OK');
  client.close();
  await broker.kill('SIGTERM');
});

test('an overload beyond maxInflightSendBytes gets TOO_MANY_REQUESTS, counted in /metrics; normal sends work afterwards', async () => {
  const namesrv = await startNamesrv();
  const limit = String(64 * 1024);
  const broker = await startBroker(grpcAddress(namesrv), { extra: ['--maxInflightSendBytes', limit, '--maxInflightSendBytesPerConnection', limit] });
  const client = new RawV2Client(clientEndpoint(broker));
  const body = Buffer.alloc(4096, 7);
  // 64 requests of 32 x 4 KiB at once on one connection: far more than 64 KiB in flight.
  const responses = await Promise.all(Array.from({ length: 64 }, () => client.send(Array.from({ length: 32 }, () => message('LimitsTopic', body)))));
  const codes = responses.map((r) => codeOf(r.status));
  const refused = codes.filter((c) => c === 'TOO_MANY_REQUESTS').length;
  assert.ok(refused > 0, `some requests refused (codes: ${[...new Set(codes)].join(', ')})`);
  assert.ok(codes.includes('OK'), 'some requests admitted');
  assert.deepEqual([...new Set(codes)].sort(), ['OK', 'TOO_MANY_REQUESTS']);
  for (const r of responses.filter((x) => codeOf(x.status) === 'TOO_MANY_REQUESTS')) {
    assert.equal(r.entries.length, 32, 'one entry per refused message');
    assert.ok(r.entries.every((e) => codeOf(e.status) === 'TOO_MANY_REQUESTS'));
  }
  await eventually('refusals counted', async () =>
    (await metric(broker, 'rocketmq_rpc_requests_total{method="SendMessage",code="TOO_MANY_REQUESTS"}')) === refused ? true : undefined,
  );
  // The bound frees as requests are answered: sends one at a time all succeed.
  for (let i = 0; i < 5; i++) assert.equal(codeOf((await client.send([message('LimitsTopic', body)])).status), 'OK');
  assert.equal(await metric(broker, 'rocketmq_send_inflight_bytes'), 0);
  client.close();
  await broker.kill('SIGTERM');
});

test('invalid limit values stop the app with one line and exit code 2', () => {
  for (const [app, args, key] of [
    ['apps/broker-store/dist/src/main.js', ['--maxConnections', '0'], 'maxConnections'],
    [
      'apps/broker-store/dist/src/main.js',
      ['--maxInflightSendBytesPerConnection', '134217728', '--maxInflightSendBytes', '67108864'],
      'maxInflightSendBytesPerConnection',
    ],
    ['apps/namesrv/dist/src/main.js', ['--handshakeTimeoutMs', 'soon'], 'handshakeTimeoutMs'],
  ] as const) {
    const r = runToExit(app, [...args]);
    assert.equal(r.status, 2, `${key}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, new RegExp(`invalid value for ${key}`));
  }
});
