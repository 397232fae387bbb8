// buffer-pool.ts and the connection's releaseBody: a pooled body goes back only once the socket is
// done with it, and is never handed out twice at once.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as net from 'node:net';
import {
  BufferPool,
  FrameDecoder,
  RemotingFlag,
  RemotingServer,
  RequestCode,
  ResponseCode,
  createRequest,
  createResponse,
  encodeCommand as encode,
  type RemotingCommand,
} from '../src';

test('the pool lends chunk views, takes back only its own chunks, once, up to its limit', () => {
  const pool = new BufferPool(1024, 2);
  const a = pool.take(100);
  const b = pool.take(1024);
  assert.equal(a.length, 100);
  assert.notEqual(a.buffer, b.buffer, 'two lent buffers never share a chunk');
  const big = pool.take(4096);
  assert.equal(big.length, 4096, 'larger than a chunk: allocated outside the pool');
  pool.give(big);
  pool.give(Buffer.allocUnsafe(1024).subarray(8, 100));
  assert.equal(pool.freeChunks, 0, 'buffers that are not chunks are not kept');
  pool.give(a);
  pool.give(a);
  assert.equal(pool.freeChunks, 1, 'giving twice keeps the chunk once');
  const c = pool.take(10);
  assert.equal(c.buffer, a.buffer, 'a given chunk is lent again');
  assert.notEqual(pool.take(10).buffer, c.buffer, 'and only to one taker');
  pool.give(b);
  pool.give(c);
  pool.give(pool.take(1)); // a fresh chunk: over maxFreeChunks once given back
  assert.equal(pool.freeChunks, 2);
});

test('a lease cuts buffers one after another from chunks and gives the chunks back', () => {
  const pool = new BufferPool(512, 8);
  const lease = pool.lease();
  const views = [lease.allocate(10), lease.allocate(500), lease.allocate(2), lease.allocate(2048), lease.allocate(512)];
  assert.deepEqual(
    views.map((v) => [v.length, v.buffer.byteLength === 512 ? v.byteOffset : 'not pooled']),
    [
      [10, 0],
      [500, 10],
      [2, 510],
      [2048, 'not pooled'],
      [512, 0],
    ],
  );
  assert.equal(views[0]?.buffer, views[1]?.buffer, 'the first three share a chunk');
  assert.notEqual(views[4]?.buffer, views[0]?.buffer, 'what does not fit starts the next chunk');
  for (const [i, v] of views.entries()) v.fill(i);
  views.forEach((v, i) =>
    assert.ok(
      v.every((b) => b === i),
      `view ${i} does not overlap another`,
    ),
  );
  lease.release();
  assert.equal(pool.freeChunks, 2, 'two chunks; the large one was never pooled');
  lease.release();
  assert.equal(pool.freeChunks, 2, 'a second release gives nothing back');
});

test('a response body is released after it was written, and when the request was oneway', async () => {
  const pool = new BufferPool(64 * 1024, 4);
  const released: string[] = [];
  const server = new RemotingServer({}).registerProcessor(RequestCode.GET_MAX_OFFSET, (cmd) => {
    const body = pool.take(40_000).fill(cmd.extFields['fill'] ?? 'x');
    const res = createResponse(cmd, ResponseCode.SUCCESS, undefined, {}, body);
    res.releaseBody = () => {
      released.push(cmd.extFields['fill'] ?? '');
      pool.give(body);
    };
    return res;
  });
  const port = await server.listen(0, '127.0.0.1');
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const decoder = new FrameDecoder();
  const got: RemotingCommand[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    got.push(...decoder.push(chunk));
    wake?.();
  });
  const until = async (n: number) => {
    while (got.length < n) await new Promise<void>((r) => (wake = r));
  };
  try {
    // Pipelined: each body must arrive intact though the same chunks are lent again and again.
    const fills = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    for (const fill of fills) socket.write(encode(createRequest(RequestCode.GET_MAX_OFFSET, { fill })));
    await until(fills.length);
    got.forEach((res, i) => assert.ok(res.body?.equals(Buffer.alloc(40_000, fills[i] as string)), `body ${i} intact`));
    assert.deepEqual(released.sort(), [...fills].sort(), 'every body went back');
    assert.ok(pool.freeChunks >= 1 && pool.freeChunks <= 4);
    // Oneway: no response is written; the body goes back at once.
    const oneway = createRequest(RequestCode.GET_MAX_OFFSET, { fill: 'z' });
    oneway.flag |= RemotingFlag.ONEWAY;
    socket.write(encode(oneway));
    socket.write(encode(createRequest(RequestCode.GET_MAX_OFFSET, { fill: 'y' })));
    await until(fills.length + 1);
    assert.ok(released.includes('z'), 'the oneway body was released');
    assert.equal(got[fills.length]?.body?.[0], 'y'.charCodeAt(0));
  } finally {
    socket.destroy();
    await server.close();
  }
});
