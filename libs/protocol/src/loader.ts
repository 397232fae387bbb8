import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as BrokerAdminGrpc } from './generated/broker_admin';
import type { ProtoGrpcType as FilterGrpc } from './generated/filter';
import type { ProtoGrpcType as NamesrvGrpc } from './generated/namesrv';
import type { ProtoGrpcType as ReplicationGrpc } from './generated/replication';
import type { ProtoGrpcType as RocketmqGrpc } from './generated/service';

/**
 * The one set of proto-loader options every process uses. gen-types.mjs passes the same flags to
 * proto-loader-gen-types, so the checked-in types describe exactly what these options produce:
 * camelCase fields, 64-bit integers as decimal strings (no precision loss), enums as their names,
 * defaults filled in for omitted fields, and a virtual field naming the set member of each oneof.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

/**
 * Our own .proto files. The build copies the repository's proto/ into dist/proto next to this compiled
 * file (copy-protos.mjs), so an app runs from its dist/ and its dependencies' dist/ alone, without the repository.
 */
export const ORBITMQ_PROTO_DIR = process.env.ORBITMQ_PROTO_DIR ?? path.resolve(__dirname, '../proto');

/** RocketMQ's v2 client protocol, exactly as the official Node.js client package ships it. */
export const ROCKETMQ_PROTO_DIR = path.join(path.dirname(require.resolve('rocketmq-client-nodejs/package.json')), 'proto');

type OrbitmqV1 = NamesrvGrpc['orbitmq']['v1'] & BrokerAdminGrpc['orbitmq']['v1'] & ReplicationGrpc['orbitmq']['v1'] & FilterGrpc['orbitmq']['v1'];

let orbitmq: OrbitmqV1 | undefined;
let rocketmq: RocketmqGrpc | undefined;

function load<T>(files: string[]): T {
  // A bare `tsc -b` compiles but does not copy the protos: say so instead of proto-loader's ENOENT.
  if (!fs.existsSync(ORBITMQ_PROTO_DIR)) {
    throw new Error(`no .proto files at ${ORBITMQ_PROTO_DIR}: build with \`npx nx build protocol\` or set ORBITMQ_PROTO_DIR`);
  }
  const def = protoLoader.loadSync(files, { ...LOADER_OPTIONS, includeDirs: [ORBITMQ_PROTO_DIR, ROCKETMQ_PROTO_DIR] });
  return grpc.loadPackageDefinition(def) as unknown as T;
}

/** orbitmq.v1 (name server, broker admin, replication, filter servers, shared types). Loaded once per process. */
export function orbitmqV1(): OrbitmqV1 {
  orbitmq ??= load<{ orbitmq: { v1: OrbitmqV1 } }>([
    'orbitmq/v1/namesrv.proto',
    'orbitmq/v1/broker_admin.proto',
    'orbitmq/v1/replication.proto',
    'orbitmq/v1/filter.proto',
  ]).orbitmq.v1;
  return orbitmq;
}

let everything: protoLoader.PackageDefinition | undefined;

/** Every proto we serve in one package definition (for server reflection). Loaded once per process. */
export function reflectionPackage(): protoLoader.PackageDefinition {
  everything ??= protoLoader.loadSync(
    [
      'orbitmq/v1/namesrv.proto',
      'orbitmq/v1/broker_admin.proto',
      'orbitmq/v1/replication.proto',
      'orbitmq/v1/filter.proto',
      'apache/rocketmq/v2/service.proto',
    ],
    { ...LOADER_OPTIONS, includeDirs: [ORBITMQ_PROTO_DIR, ROCKETMQ_PROTO_DIR] },
  );
  return everything;
}

/** apache.rocketmq.v2 (MessagingService and its messages). Loaded once per process. */
export function rocketmqV2(): RocketmqGrpc['apache']['rocketmq']['v2'] {
  rocketmq ??= load<RocketmqGrpc>(['apache/rocketmq/v2/service.proto']);
  return rocketmq.apache.rocketmq.v2;
}
