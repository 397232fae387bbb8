import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { orbitmqV1 } from '@orbitmq/protocol';
import { nameServerBinding } from './name-server-binding';
import { type ConnectionEvent, callUnary, createClient, startGrpcServer, unary } from '../src';

/** One port, two protocols: gRPC calls reach grpc-js, other bytes reach the other protocol's handler. */
test('a shared port serves gRPC and hands other connections over with their first bytes', async () => {
  const handed: Buffer[] = [];
  const server = await startGrpcServer('127.0.0.1', 0, [nameServerBinding({ GetTopicList: unary('GetTopicList', () => ({ topics: ['T1'] })) })], {
    otherProtocol: (socket, first) => {
      const chunks = [first];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => {
        handed.push(Buffer.concat(chunks));
        socket.end(Buffer.from('bye'));
      });
    },
  });
  const client = createClient(orbitmqV1().NameServer, `127.0.0.1:${server.port}`);
  const res = await callUnary(client, client.GetTopicList.bind(client), { clusterName: '' });
  assert.deepEqual(res.topics, ['T1']);
  assert.equal(server.connections(), 1, 'the gRPC connection is counted like a bound one');

  const reply = await new Promise<string>((resolve, reject) => {
    const s = net.connect(server.port, '127.0.0.1', () => {
      s.write(Buffer.from([0, 0, 0, 4]));
      s.end(Buffer.from('abcd'));
    });
    const got: Buffer[] = [];
    s.on('data', (c: Buffer) => got.push(c));
    s.on('close', () => resolve(Buffer.concat(got).toString()));
    s.on('error', reject);
  });
  assert.equal(reply, 'bye');
  assert.deepEqual(handed, [Buffer.from([0, 0, 0, 4, ...Buffer.from('abcd')])], 'every byte, the sniffed ones first');
  client.close();
  await server.stop(500);
  await assert.rejects(
    new Promise((resolve, reject) => net.connect(server.port, '127.0.0.1', () => resolve(undefined)).once('error', reject)),
    'stop closes the shared listener',
  );
});

test('a shared port closes a connection that sends nothing within the handshake timeout', async () => {
  const events: ConnectionEvent[] = [];
  const server = await startGrpcServer('127.0.0.1', 0, [nameServerBinding({})], {
    limits: { handshakeTimeoutMs: 200 },
    onConnection: (e) => events.push(e),
    otherProtocol: () => assert.fail('nothing was sent'),
  });
  const closed = await new Promise<boolean>((resolve) => {
    const s = net.connect(server.port, '127.0.0.1');
    s.on('error', () => undefined);
    s.once('close', () => resolve(true));
  });
  assert.equal(closed, true);
  assert.deepEqual(
    events.map((e) => [e.kind, e.reason]),
    [['refused', 'handshake_timeout']],
    'reported like a connection that never sends the HTTP/2 preface',
  );
  await server.stop(500);
});

test('a shared port closes a handed-over connection after connectionIdleTimeoutMs without a byte either way', async () => {
  const events: ConnectionEvent[] = [];
  let handedClosed!: () => void;
  const serverSideClosed = new Promise<void>((resolve) => (handedClosed = resolve));
  const server = await startGrpcServer('127.0.0.1', 0, [nameServerBinding({})], {
    limits: { connectionIdleTimeoutMs: 300 },
    onConnection: (e) => events.push(e),
    otherProtocol: (socket) => socket.once('close', handedClosed),
  });
  try {
    // A peer that stalls mid-frame: a length prefix announcing 100 bytes, then nothing.
    const clientSideClosed = new Promise<void>((resolve) => {
      const s = net.connect(server.port, '127.0.0.1', () => s.write(Buffer.from([0, 0, 0, 100, 0, 0])));
      s.on('error', () => undefined);
      s.once('close', () => resolve());
    });
    await Promise.all([clientSideClosed, serverSideClosed]); // the other protocol sees its connection close too
    assert.deepEqual(
      events.map((e) => [e.kind, e.reason]),
      [['closed', 'idle_timeout']],
    );
  } finally {
    await server.stop(500);
  }
});
