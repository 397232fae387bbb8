import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ORBITMQ_PROTO_DIR, ROCKETMQ_PROTO_DIR, orbitmqV1, rocketmqV2 } from '../src';

// This file runs from libs/protocol/dist/test: dist/ is one up, the repository root four up.
const distDir = path.resolve(__dirname, '..');
const copiedProtoDir = path.join(distDir, 'proto');
const sourceProtoDir = path.resolve(__dirname, '../../../../proto');

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

const overridden = process.env.ORBITMQ_PROTO_DIR ? 'ORBITMQ_PROTO_DIR is set: the override wins by design' : false;

test('both packages load from the protos the build copied into dist, not from the repository', { skip: overridden }, () => {
  assert.equal(typeof orbitmqV1().NameServer, 'function');
  assert.equal(typeof orbitmqV1().BrokerAdmin, 'function');
  assert.equal(typeof rocketmqV2().MessagingService, 'function');
  assert.equal(ORBITMQ_PROTO_DIR, copiedProtoDir);
  assert.ok(!path.relative(distDir, ORBITMQ_PROTO_DIR).startsWith('..'), `${ORBITMQ_PROTO_DIR} lies inside ${distDir}`);
  assert.notEqual(ORBITMQ_PROTO_DIR, sourceProtoDir);
  // RocketMQ's protos stay where the official client package ships them.
  assert.ok(fs.existsSync(path.join(ROCKETMQ_PROTO_DIR, 'apache/rocketmq/v2/service.proto')));
});

test('dist/proto is an exact copy of proto/ (a stale or partial copy fails)', () => {
  const sourceFiles = listFiles(sourceProtoDir);
  assert.ok(sourceFiles.includes(path.join('orbitmq', 'v1', 'namesrv.proto')), 'the repository proto/ was found');
  assert.deepEqual(listFiles(copiedProtoDir), sourceFiles, 'same file list (rebuild protocol: npx nx build protocol)');
  for (const f of sourceFiles) {
    assert.ok(fs.readFileSync(path.join(copiedProtoDir, f)).equals(fs.readFileSync(path.join(sourceProtoDir, f))), `${f} differs: rebuild protocol`);
  }
});
