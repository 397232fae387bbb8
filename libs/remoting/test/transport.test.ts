// Connection, server and client over real loopback sockets. Every wait is on an event or a promise.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as net from 'node:net';
import {
  FrameDecoder,
  RemotingClient,
  RemotingConnectError,
  RemotingServer,
  RemotingTimeoutError,
  RequestCode,
  ResponseCode,
  createRequest,
  createResponse,
  encodeCommand,
  looksLikeRemoting,
  type RemotingCommand,
  type RemotingConnection,
  type RemotingProtocolError,
} from '../src';

async function startServer(server: RemotingServer): Promise<string> {
  const port = await server.listen(0, '127.0.0.1');
  return `127.0.0.1:${port}`;
}

function echoServer(options: ConstructorParameters<typeof RemotingServer>[0] = {}): RemotingServer {
  return new RemotingServer(options).registerProcessor(RequestCode.GET_MAX_OFFSET, (cmd) =>
    createResponse(cmd, ResponseCode.SUCCESS, undefined, { offset: `${cmd.extFields['queueId']}0` }, cmd.body),
  );
}

/** A raw socket that collects decoded frames. */
async function rawClient(port: number): Promise<{ socket: net.Socket; next(): Promise<RemotingCommand> }> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const decoder = new FrameDecoder();
  const queue: RemotingCommand[] = [];
  const waiters: ((cmd: RemotingCommand) => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    for (const cmd of decoder.push(chunk)) {
      const waiter = waiters.shift();
      if (waiter) waiter(cmd);
      else queue.push(cmd);
    }
  });
  const next = () => {
    const queued = queue.shift();
    return queued ? Promise.resolve(queued) : new Promise<RemotingCommand>((resolve) => waiters.push(resolve));
  };
  return { socket, next };
}

test('invoke round trip in both header encodings; responses mirror the request by default', async () => {
  const server = echoServer();
  const addr = await startServer(server);
  const client = new RemotingClient();
  try {
    for (const serializeType of ['JSON', 'ROCKETMQ'] as const) {
      const request = createRequest(RequestCode.GET_MAX_OFFSET, { topic: 'T', queueId: '3' }, Buffer.from('body'), { serializeType });
      const response = await client.invoke(addr, request, 5000);
      assert.equal(response.code, ResponseCode.SUCCESS);
      assert.equal(response.opaque, request.opaque);
      assert.equal(response.flag, 1);
      assert.equal(response.serializeType, serializeType);
      assert.deepEqual(response.extFields, { offset: '30' });
      assert.deepEqual(response.body, Buffer.from('body'));
    }
    const many = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.invoke(addr, createRequest(RequestCode.GET_MAX_OFFSET, { queueId: String(i) }), 5000)),
    );
    assert.deepEqual(
      many.map((r) => r.extFields['offset']),
      many.map((_, i) => `${i}0`),
    );
  } finally {
    await client.close();
    await server.close();
  }
});

test('a fixed responseSerializeType overrides the request encoding', async () => {
  const server = echoServer({ responseSerializeType: 'JSON' });
  const addr = await startServer(server);
  const client = new RemotingClient();
  try {
    const response = await client.invoke(addr, createRequest(RequestCode.GET_MAX_OFFSET, { queueId: '1' }, undefined, { serializeType: 'ROCKETMQ' }), 5000);
    assert.equal(response.serializeType, 'JSON');
  } finally {
    await client.close();
    await server.close();
  }
});

test('unknown codes answer REQUEST_CODE_NOT_SUPPORTED; handler errors answer SYSTEM_ERROR', async () => {
  const server = new RemotingServer()
    .registerProcessor(RequestCode.HEART_BEAT, () => {
      throw new Error('heartbeat broke');
    })
    .registerProcessor(RequestCode.UNREGISTER_CLIENT, async () => {
      throw new Error('async broke');
    });
  const addr = await startServer(server);
  const client = new RemotingClient();
  try {
    const unknown = await client.invoke(addr, createRequest(999), 5000);
    assert.equal(unknown.code, ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    assert.equal(unknown.remark, ' request type 999 not supported');
    const thrown = await client.invoke(addr, createRequest(RequestCode.HEART_BEAT), 5000);
    assert.deepEqual([thrown.code, thrown.remark], [ResponseCode.SYSTEM_ERROR, 'heartbeat broke']);
    const rejected = await client.invoke(addr, createRequest(RequestCode.UNREGISTER_CLIENT), 5000);
    assert.deepEqual([rejected.code, rejected.remark], [ResponseCode.SYSTEM_ERROR, 'async broke']);
  } finally {
    await client.close();
    await server.close();
  }
});

test('oneway requests reach the handler and get no response', async () => {
  const seen: RemotingCommand[] = [];
  const server = echoServer().registerProcessor(RequestCode.UPDATE_CONSUMER_OFFSET, (cmd) => {
    seen.push(cmd);
    return createResponse(cmd, ResponseCode.SUCCESS);
  });
  const port = Number((await startServer(server)).split(':')[1]);
  const raw = await rawClient(port);
  try {
    const oneway = createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, { commitOffset: '5' });
    oneway.flag = 2;
    const request = createRequest(RequestCode.GET_MAX_OFFSET, { queueId: '4' });
    raw.socket.write(Buffer.concat([encodeCommand(oneway), encodeCommand(request)]));
    const first = await raw.next();
    assert.equal(first.opaque, request.opaque, 'the oneway request got no response');
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.extFields['commitOffset'], '5');
  } finally {
    raw.socket.destroy();
    await server.close();
  }
});

test('garbage closes only its own connection', async () => {
  const errors: RemotingProtocolError[] = [];
  const server = echoServer({ onProtocolError: (e) => errors.push(e) });
  const addr = await startServer(server);
  const client = new RemotingClient();
  try {
    await client.invoke(addr, createRequest(RequestCode.GET_MAX_OFFSET, { queueId: '1' }), 5000);
    const bad = await rawClient(Number(addr.split(':')[1]));
    const closed = once(bad.socket, 'close');
    bad.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;
    assert.deepEqual(
      errors.map((e) => e.code),
      ['REMOTING_FRAME_TOO_LARGE'],
    );
    const after = await client.invoke(addr, createRequest(RequestCode.GET_MAX_OFFSET, { queueId: '2' }), 5000);
    assert.equal(after.extFields['offset'], '20');
    assert.equal(server.connectionCount, 1);
  } finally {
    await client.close();
    await server.close();
  }
});

test('timeouts reject with REMOTING_TIMEOUT and a late response is dropped', async () => {
  let release: (() => void) | undefined;
  const server = new RemotingServer().registerProcessor(RequestCode.PULL_MESSAGE, (cmd) => {
    return new Promise<RemotingCommand>((resolve) => (release = () => resolve(createResponse(cmd, ResponseCode.PULL_NOT_FOUND))));
  });
  const addr = await startServer(server);
  const client = new RemotingClient();
  try {
    const request = createRequest(RequestCode.PULL_MESSAGE);
    await assert.rejects(
      client.invoke(addr, request, 20),
      (e: unknown) => e instanceof RemotingTimeoutError && e.code === 'REMOTING_TIMEOUT' && e.opaque === request.opaque,
    );
    const conn = await client.getConnection(addr);
    assert.equal(conn.pendingCount, 0);
    release?.();
    const next = await client.invoke(addr, createRequest(999), 5000);
    assert.equal(next.code, ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
  } finally {
    await client.close();
    await server.close();
  }
});

test('pending requests are rejected when the connection closes; the client reconnects on the next call', async () => {
  const started: RemotingConnection[] = [];
  let bothStarted: () => void = () => undefined;
  const bothArrived = new Promise<void>((resolve) => (bothStarted = resolve));
  const server = echoServer().registerProcessor(RequestCode.PULL_MESSAGE, (_cmd, conn) => {
    if (started.push(conn) === 2) bothStarted();
    return new Promise<undefined>(() => undefined);
  });
  const addr = await startServer(server);
  const client = new RemotingClient({ maxPendingRequests: 2 });
  try {
    const a = client.invoke(addr, createRequest(RequestCode.PULL_MESSAGE), 60_000);
    const b = client.invoke(addr, createRequest(RequestCode.PULL_MESSAGE), 60_000);
    await assert.rejects(client.invoke(addr, createRequest(RequestCode.PULL_MESSAGE), 60_000), { code: 'REMOTING_TOO_MANY_PENDING' });
    const conn = await client.getConnection(addr);
    await bothArrived;
    const closed = once(conn, 'close');
    started[0]?.close();
    await closed;
    for (const p of [a, b]) await assert.rejects(p, (e: unknown) => e instanceof RemotingConnectError && e.code === 'REMOTING_CONNECTION_CLOSED');
    const again = await client.invoke(addr, createRequest(RequestCode.GET_MAX_OFFSET, { queueId: '9' }), 5000);
    assert.equal(again.extFields['offset'], '90');
    assert.notEqual(await client.getConnection(addr), conn);
  } finally {
    await client.close();
    await server.close();
  }
});

test('the server sends a oneway request down the client connection', async () => {
  const server = echoServer();
  const addr = await startServer(server);
  let notified: (cmd: RemotingCommand) => void = () => undefined;
  const arrived = new Promise<RemotingCommand>((resolve) => (notified = resolve));
  const client = new RemotingClient({
    handler: (cmd) => {
      notified(cmd);
      return undefined;
    },
  });
  try {
    await client.invoke(addr, createRequest(RequestCode.GET_MAX_OFFSET, { queueId: '1' }), 5000);
    const [serverSide] = [...server.connections()];
    assert.ok(serverSide);
    serverSide.invokeOneway(createRequest(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, { consumerGroup: 'g' }));
    const cmd = await arrived;
    assert.equal(cmd.code, RequestCode.NOTIFY_CONSUMER_IDS_CHANGED);
    assert.equal(cmd.flag, 2);
    assert.equal(cmd.extFields['consumerGroup'], 'g');
  } finally {
    await client.close();
    await server.close();
  }
});

test('handleSocket takes a sniffed socket with its first bytes; maxConnections refuses extras', async () => {
  const remoting = echoServer({ maxConnections: 1 });
  const front = net.createServer((socket) => {
    socket.once('data', (first: Buffer) => {
      if (looksLikeRemoting(first)) remoting.handleSocket(socket, first);
      else socket.destroy();
    });
  });
  front.listen(0, '127.0.0.1');
  await once(front, 'listening');
  const addr = `127.0.0.1:${(front.address() as net.AddressInfo).port}`;
  const client = new RemotingClient();
  const second = new RemotingClient();
  try {
    assert.equal(looksLikeRemoting(Buffer.from('PRI * HTTP/2.0\r\n')), false);
    const response = await client.invoke(addr, createRequest(RequestCode.GET_MAX_OFFSET, { queueId: '7' }), 5000);
    assert.equal(response.extFields['offset'], '70');
    const conn = await second.getConnection(addr);
    const closed = once(conn, 'close');
    conn.invokeOneway(createRequest(RequestCode.GET_MAX_OFFSET));
    await closed;
    assert.equal(remoting.connectionCount, 1);
  } finally {
    await client.close();
    await second.close();
    await remoting.close();
    front.close();
  }
});

test('connect failures reject with REMOTING_CONNECT_FAILED', async () => {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const client = new RemotingClient();
  try {
    await assert.rejects(client.invoke(`127.0.0.1:${port}`, createRequest(34), 5000), { code: 'REMOTING_CONNECT_FAILED' });
    await assert.rejects(client.invoke('nonsense', createRequest(34), 5000), { code: 'REMOTING_CONNECT_FAILED' });
  } finally {
    await client.close();
  }
});
