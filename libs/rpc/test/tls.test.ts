/**
 * TLS on a port (tls.ts through startGrpcServer): permissive serves plain and TLS, enforcing
 * refuses plaintext, mutual TLS refuses clients without a certificate, a renewed certificate is
 * served without a restart, and TLS connections still reach the other protocol on a shared port.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { orbitmqV1 } from '@orbitmq/protocol';
import { nameServerBinding } from './name-server-binding';
import { issue, makeTestCerts } from './certs';
import { type ConnectionEvent, type ServerTls, callUnary, startGrpcServer, unary } from '../src';

const certs = makeTestCerts();
const binding = nameServerBinding({ GetTopicList: unary('GetTopicList', () => ({ topics: ['T1'] })) });
const tlsOf = (mode: ServerTls['mode'], over: Partial<ServerTls> = {}): ServerTls => ({
  mode,
  certFile: certs.serverCert,
  keyFile: certs.serverKey,
  requireClientCert: false,
  ...over,
});

function client(port: number, creds: grpc.ChannelCredentials): { call(): Promise<string[]>; close(): void } {
  const c = new (orbitmqV1().NameServer)(`127.0.0.1:${port}`, creds);
  return {
    call: async () => (await callUnary(c, c.GetTopicList.bind(c), { clusterName: '' }, { retries: 0, deadlineMs: 5_000 })).topics,
    close: () => c.close(),
  };
}

const caPem = fs.readFileSync(certs.ca);
const secure = (withClientCert = false): grpc.ChannelCredentials =>
  withClientCert ? grpc.credentials.createSsl(caPem, fs.readFileSync(certs.clientKey), fs.readFileSync(certs.clientCert)) : grpc.credentials.createSsl(caPem);

test('permissive: gRPC over TLS and in plaintext on one port; TLS bytes of another protocol reach it decrypted', async () => {
  const handed: Buffer[] = [];
  const server = await startGrpcServer('127.0.0.1', 0, [binding], {
    tls: tlsOf('permissive'),
    otherProtocol: (socket, first) => {
      handed.push(first);
      socket.end(Buffer.from('bye'));
    },
  });
  try {
    const overTls = client(server.port, secure());
    const plain = client(server.port, grpc.credentials.createInsecure());
    assert.deepEqual(await overTls.call(), ['T1']);
    assert.deepEqual(await plain.call(), ['T1']);
    overTls.close();
    plain.close();
    const reply = await new Promise<string>((resolve, reject) => {
      const s = tls.connect({ port: server.port, host: '127.0.0.1', ca: caPem, servername: 'localhost' }, () => s.write(Buffer.from([0, 0, 0, 4, 1, 2, 3, 4])));
      let got = '';
      s.on('data', (d: Buffer) => (got += d.toString()));
      s.on('close', () => resolve(got));
      s.on('error', reject);
    });
    assert.equal(reply, 'bye');
    assert.deepEqual(handed, [Buffer.from([0, 0, 0, 4, 1, 2, 3, 4])]);
  } finally {
    await server.stop(500);
  }
});

test('enforcing: plaintext is refused (tls_required); TLS is served', async () => {
  const events: ConnectionEvent[] = [];
  const server = await startGrpcServer('127.0.0.1', 0, [binding], { tls: tlsOf('enforcing'), onConnection: (e) => events.push(e) });
  try {
    const plain = client(server.port, grpc.credentials.createInsecure());
    await assert.rejects(plain.call());
    plain.close();
    assert.ok(events.some((e) => e.kind === 'refused' && e.reason === 'tls_required'));
    const overTls = client(server.port, secure());
    assert.deepEqual(await overTls.call(), ['T1']);
    overTls.close();
  } finally {
    await server.stop(500);
  }
});

test('mutual TLS: a client without a certificate is refused (tls_handshake_failed); with one it is served', async () => {
  const events: ConnectionEvent[] = [];
  const server = await startGrpcServer('127.0.0.1', 0, [binding], {
    tls: tlsOf('enforcing', { trustCertFile: certs.ca, requireClientCert: true }),
    onConnection: (e) => events.push(e),
  });
  try {
    const anonymous = client(server.port, secure(false));
    await assert.rejects(anonymous.call());
    anonymous.close();
    assert.ok(events.some((e) => e.reason === 'tls_handshake_failed'));
    const known = client(server.port, secure(true));
    assert.deepEqual(await known.call(), ['T1']);
    known.close();
  } finally {
    await server.stop(500);
  }
});

test('a renewed certificate is served to new connections without a restart', { timeout: 20_000 }, async () => {
  const dir = fs.mkdtempSync(`${certs.dir}/reload-`);
  fs.copyFileSync(certs.serverCert, `${dir}/cert.pem`);
  fs.copyFileSync(certs.serverKey, `${dir}/key.pem`);
  const reloads: (Error | undefined)[] = [];
  const server = await startGrpcServer('127.0.0.1', 0, [binding], {
    tls: tlsOf('enforcing', { certFile: `${dir}/cert.pem`, keyFile: `${dir}/key.pem` }),
    onTlsReload: (e) => reloads.push(e),
  });
  const serial = () =>
    new Promise<string>((resolve, reject) => {
      const s = tls.connect({ port: server.port, host: '127.0.0.1', ca: caPem, servername: 'localhost', ALPNProtocols: ['h2'] }, () => {
        resolve(s.getPeerCertificate().serialNumber);
        s.destroy();
      });
      s.on('error', reject);
    });
  try {
    const before = await serial();
    const [renewedCert, renewedKey] = issue(certs.dir, 'renewed', 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    fs.copyFileSync(renewedKey, `${dir}/key.pem`);
    fs.copyFileSync(renewedCert, `${dir}/cert.pem`);
    while (reloads.filter((e) => e === undefined).length === 0 || (await serial()) === before) await new Promise((r) => setTimeout(r, 50));
    assert.notEqual(await serial(), before);
    // A broken file keeps the last good pair in use.
    fs.writeFileSync(`${dir}/cert.pem`, 'not a certificate');
    while (!reloads.some((e) => e !== undefined)) await new Promise((r) => setTimeout(r, 50));
    assert.match(String(reloads.find((e) => e !== undefined)?.message), /do not load/);
    assert.notEqual(await serial(), before, 'still the renewed certificate');
  } finally {
    await server.stop(500);
  }
});

test('a missing certificate file stops the start with the file named', async () => {
  await assert.rejects(
    startGrpcServer('127.0.0.1', 0, [binding], { tls: tlsOf('permissive', { certFile: '/nonexistent/cert.pem' }) }),
    /cannot read the TLS certificate \/nonexistent\/cert.pem/,
  );
});

process.on('exit', () => fs.rmSync(certs.dir, { recursive: true, force: true }));
