import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { OrbitError, orbitmqV1, type v1 } from '@orbitmq/protocol';
import { MAX_GRPC_MESSAGE_BYTES, callUnary, createClient, startGrpcServer, unary } from '../src';
import { nameServerBinding } from './name-server-binding';
import { CONNECTION_FLOW_CONTROL_WINDOW_BYTES, STREAM_FLOW_CONTROL_WINDOW_BYTES } from '../src/limits';

function topicsOf(n: number, nameBytes: number): v1.TopicConfig[] {
  return Array.from({ length: n }, (_, i) => ({
    topicName: `${'t'.repeat(nameBytes)}${i}`,
    readQueueNums: 1,
    writeQueueNums: 1,
    perm: 6,
    messageType: 'NORMAL',
  }));
}

async function serve(handlers: Partial<v1.NameServerHandlers>) {
  const server = await startGrpcServer('127.0.0.1', 0, [nameServerBinding(handlers)]);
  const client = createClient(orbitmqV1().NameServer, server.address);
  return { server, client };
}

test('port 0 binds a free port; coded errors come back with their code; non-retriable ones are not retried', async () => {
  let calls = 0;
  const { server, client } = await serve({
    GetRoute: unary('GetRoute', (req: v1.GetRouteRequest__Output) => {
      calls++;
      throw new OrbitError('TOPIC_NOT_FOUND', `no ${req.topic}`);
    }),
  });
  assert.ok(server.port > 0);
  await assert.rejects(
    callUnary(client, client.GetRoute, { topic: 'T' }, { retries: 3 }),
    (e: OrbitError) => e.code === 'TOPIC_NOT_FOUND' && e.message === 'no T',
  );
  assert.equal(calls, 1, 'TOPIC_NOT_FOUND is not retriable');
  client.close();
  await server.stop(1000);
});

test('retriable failures are retried, then succeed', async () => {
  let calls = 0;
  const { server, client } = await serve({
    GetTopicList: unary('GetTopicList', () => {
      if (++calls < 3) throw new OrbitError('TOO_MANY_REQUESTS', 'busy');
      return { topics: ['A'] };
    }),
  });
  const res = await callUnary(client, client.GetTopicList, { clusterName: '' }, { retries: 3, retryDelayMs: 5 });
  assert.deepEqual(res.topics, ['A']);
  assert.equal(calls, 3);
  client.close();
  await server.stop(1000);
});

test('each attempt has a deadline', async () => {
  const { server, client } = await serve({ GetClusterInfo: unary('GetClusterInfo', () => new Promise(() => undefined)) });
  // The handler never answers: only the deadline can end the call (DEADLINE_EXCEEDED -> SERVICE_UNAVAILABLE).
  await assert.rejects(
    callUnary(client, client.GetClusterInfo, {}, { deadlineMs: 200, retries: 0 }),
    (e: OrbitError) => e.code === 'SERVICE_UNAVAILABLE' && /deadline/i.test(e.message),
  );
  client.close();
  await server.stop(100);
});

test('messages larger than grpc-js 4 MiB default pass in both directions', async () => {
  const { server, client } = await serve({
    RegisterBroker: unary('RegisterBroker', (req: v1.RegisterBrokerRequest__Output) => ({ topicsUpdated: req.topics.length === 60_000 })),
  });
  const topics = topicsOf(60_000, 90); // ~6 MiB encoded
  assert.ok(JSON.stringify(topics).length > 4 * 1024 * 1024);
  assert.ok(MAX_GRPC_MESSAGE_BYTES > 6 * 1024 * 1024);
  const res = await callUnary(client, client.RegisterBroker, { topics, dataVersion: '1' }, { deadlineMs: 20_000 });
  assert.equal(res.topicsUpdated, true);
  client.close();
  await server.stop(1000);
});

test('stop lets an in-flight call finish, then refuses new ones', async () => {
  let release!: () => void;
  const { server, client } = await serve({
    GetTopicList: unary('GetTopicList', () => new Promise<v1.GetTopicListResponse>((r) => (release = () => r({ topics: ['late'] })))),
  });
  const inFlight = callUnary(client, client.GetTopicList, { clusterName: '' }, { deadlineMs: 5_000, retries: 0 });
  await new Promise((r) => setTimeout(r, 100));
  const stopping = server.stop(3_000);
  release();
  assert.deepEqual((await inFlight).topics, ['late']);
  await stopping;
  await assert.rejects(
    callUnary(client, client.GetTopicList, { clusterName: '' }, { deadlineMs: 500, retries: 0 }),
    (e: OrbitError) => e.code === 'SERVICE_UNAVAILABLE',
  );
  client.close();
});

test('servers advertise the wide HTTP/2 windows (grpc-js alone would keep 64 KiB)', async () => {
  const server = await startGrpcServer('127.0.0.1', 0, []);
  const session = http2.connect(`http://127.0.0.1:${server.port}`);
  try {
    const settings = await new Promise<http2.Settings>((resolve, reject) => {
      session.once('remoteSettings', resolve);
      session.once('error', reject);
    });
    assert.equal(settings.initialWindowSize, STREAM_FLOW_CONTROL_WINDOW_BYTES, 'stream window');
    // The connection window arrives as a WINDOW_UPDATE right after the settings.
    for (let i = 0; i < 100 && (session.state.remoteWindowSize ?? 0) < CONNECTION_FLOW_CONTROL_WINDOW_BYTES; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(session.state.remoteWindowSize, CONNECTION_FLOW_CONTROL_WINDOW_BYTES, 'connection window');
  } finally {
    session.close();
    await server.stop(1_000);
  }
});

/** Whether this machine has an IPv6 loopback to listen on. */
function ipv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}

test('an IPv6 listen host binds there (grpc-js alone, and the shared port): its address is bracketed, calls reach it', async (t) => {
  if (!(await ipv6Loopback())) return t.skip('no IPv6 loopback on this machine');
  for (const otherProtocol of [undefined, (socket: net.Socket) => socket.destroy()]) {
    let peer = '';
    const handlers = {
      GetTopicList: unary('GetTopicList', (_req: unknown, call: { getPeer(): string }) => {
        peer = call.getPeer();
        return { topics: ['v6'] };
      }),
    };
    const server = await startGrpcServer('::1', 0, [nameServerBinding(handlers as Partial<v1.NameServerHandlers>)], otherProtocol ? { otherProtocol } : {});
    assert.equal(server.address, `[::1]:${server.port}`);
    const client = createClient(orbitmqV1().NameServer, server.address);
    const res = await callUnary(client, client.GetTopicList, {});
    assert.deepEqual(res.topics, ['v6']);
    assert.match(peer, /^::1:\d+$/, 'grpc-js names an IPv6 peer address:port, unbracketed');
    client.close();
    await server.stop(1000);
  }
});
