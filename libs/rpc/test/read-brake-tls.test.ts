/**
 * Read brakes over TLS (read-gate.ts): a connection from an IP braked at connect is read through a
 * ReadGate, and an answer written to it while braked (which over a TLS socket on the TCP handle
 * restarts the reads) reads nothing; a braked TLS connection without a gate is closed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http2 from 'node:http2';
import { makeTestCerts } from './certs';
import { nameServerBinding } from './name-server-binding';
import { type ConnectBrake, startGrpcServer, unary } from '../src';

const certs = makeTestCerts();
process.on('exit', () => fs.rmSync(certs.dir, { recursive: true, force: true }));
const ALMOST_NEVER = 0.001;

/** A GetTopicList over a raw HTTP/2 session; resolves to the grpc-status, rejects if closed first. */
function call(session: http2.ClientHttp2Session): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':method': 'POST', ':path': '/orbitmq.v1.NameServer/GetTopicList', 'content-type': 'application/grpc', te: 'trailers' });
    req.on('trailers', (t) => resolve(String(t['grpc-status'])));
    req.on('error', reject);
    req.on('close', () => reject(new Error('closed without a status')));
    req.resume();
    req.end(Buffer.from([0, 0, 0, 0, 0]));
  });
}

const connectTls = (port: number): http2.ClientHttp2Session => {
  const s = http2.connect(`https://127.0.0.1:${port}`, { ca: fs.readFileSync(certs.ca) });
  s.on('error', () => undefined);
  return s;
};

test('over TLS: a gated connection stays unread while braked, though answers are written to it; released, all are served', async () => {
  const served = new Map<string, number>();
  let letGo: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (letGo = resolve));
  let failing: string | undefined;
  const binding = nameServerBinding({
    GetTopicList: unary('GetTopicList', async (_req, c) => {
      const n = (served.get(c.getPeer()) ?? 0) + 1;
      served.set(c.getPeer(), n);
      if (n === 2 && served.size === 1) await held; // answered while braked: a write on the braked connection
      return { topics: ['T1'] };
    }),
  });
  // Only the first connection counts as failing (asked at its TLS accept and its HTTP/2 session): it
  // is gated and braked at connect.
  const brakeAtConnect: ConnectBrake = (remote) => ((failing ??= remote) === remote ? { callsPerSecond: ALMOST_NEVER } : undefined);
  const server = await startGrpcServer('127.0.0.1', 0, [binding], {
    tls: { mode: 'enforcing', certFile: certs.serverCert, keyFile: certs.serverKey, requireClientCert: false },
    brakeAtConnect,
  });
  const braked = connectTls(server.port);
  const witness = connectTls(server.port);
  try {
    assert.equal(await call(braked), '0', 'the first call is read (the first wait is cut short) and served');
    const peer = [...served.keys()][0] ?? '';
    assert.match(peer, /^127\.0\.0\.1:\d+$/, 'the peer is the raw socket’s, through the gate');
    const second = call(braked);
    await new Promise<void>((resolve) => {
      const poll = (): unknown => (served.get(peer) === 2 ? resolve() : setTimeout(poll, 10));
      poll();
    });
    const waiting = Array.from({ length: 20 }, () => call(braked));
    letGo();
    assert.equal(await second, '0', 'answered while braked');
    for (let i = 0; i < 5; i++) assert.equal(await call(witness), '0', 'another connection is served meanwhile');
    assert.equal(served.get(peer), 2, 'none of the 20 read: the written answer did not restart the reads');
    assert.equal(server.readBrakes().braked, 1);

    server.releaseReads(peer);
    assert.deepEqual(await Promise.all(waiting), Array(20).fill('0'));
    assert.equal(served.get(peer), 22);

    // The witness is TLS without a gate: braked, it is closed (a brake could not hold it).
    const witnessPeer = [...served.keys()].find((p) => p !== peer) ?? '';
    const closed = new Promise((resolve) => witness.once('close', resolve));
    assert.equal(server.brakeReads(witnessPeer, ALMOST_NEVER), true);
    await closed;
    assert.equal(server.readBrakes().brakedTotal, 2);
  } finally {
    braked.close();
    witness.close();
    await server.stop(500);
  }
});
