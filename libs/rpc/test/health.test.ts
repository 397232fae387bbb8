/**
 * grpc.health.v1 on every server and server reflection where asked for, called through their
 * own published protos (as a Kubernetes gRPC probe or grpcurl would).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { reflectionPackage } from '@orbitmq/protocol';
import { nameServerBinding } from './name-server-binding';
import { startGrpcServer, unary } from '../src';

const HEALTH_PROTO = require.resolve('grpc-health-check/proto/health/v1/health.proto');
const REFLECTION_PROTO = path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build/proto/grpc/reflection/v1/reflection.proto');

type Ctor = new (address: string, creds: grpc.ChannelCredentials) => grpc.Client;

function serviceCtor(proto: string, name: string): Ctor {
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(proto, { keepCase: true, enums: String })) as unknown as Record<string, unknown>;
  return name.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], pkg) as Ctor;
}

function check(client: grpc.Client, service: string): Promise<string> {
  return new Promise((resolve, reject) =>
    (client as unknown as { Check(r: object, cb: (e: Error | null, r?: { status: string }) => void): void }).Check({ service }, (e, r) =>
      e ? reject(e) : resolve(r?.status ?? ''),
    ),
  );
}

test('health: SERVING for the server and each of its services, NOT_FOUND for others', async () => {
  const server = await startGrpcServer('127.0.0.1', 0, [nameServerBinding({ GetTopicList: unary('GetTopicList', () => ({ topics: [] })) })]);
  const Health = serviceCtor(HEALTH_PROTO, 'grpc.health.v1.Health');
  const client = new Health(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  try {
    assert.equal(await check(client, ''), 'SERVING');
    assert.equal(await check(client, 'orbitmq.v1.NameServer'), 'SERVING');
    await assert.rejects(check(client, 'no.such.Service'), (e: grpc.ServiceError) => e.code === grpc.status.NOT_FOUND);
  } finally {
    client.close();
    await server.stop(500);
  }
});

test('reflection: the services are listed and described without .proto files', async () => {
  const server = await startGrpcServer('127.0.0.1', 0, [nameServerBinding({})], { reflection: reflectionPackage() });
  const Reflection = serviceCtor(REFLECTION_PROTO, 'grpc.reflection.v1.ServerReflection');
  const client = new Reflection(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  try {
    const names = await new Promise<string[]>((resolve, reject) => {
      const call = (
        client as unknown as { ServerReflectionInfo(): grpc.ClientDuplexStream<object, { list_services_response?: { service: { name: string }[] } }> }
      ).ServerReflectionInfo();
      call.on('data', (r) => {
        resolve((r.list_services_response?.service ?? []).map((s: { name: string }) => s.name));
        call.end();
      });
      call.on('error', reject);
      call.write({ list_services: '' });
    });
    for (const s of ['orbitmq.v1.NameServer', 'orbitmq.v1.BrokerAdmin', 'apache.rocketmq.v2.MessagingService'])
      assert.ok(names.includes(s), `${s} in ${names.join(', ')}`);
  } finally {
    client.close();
    await server.stop(500);
  }
});
