/* eslint-disable @nx/enforce-module-boundaries -- this test checks the package's exports map, so it imports through the package name */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';

/** Modules that serve the client protocol: a replica or filter server must not need to load them. */
const HANDLERS = /[/\\](messaging-service|receive-handler|pull-handler|ack-handler|telemetry-handler|send-handler|route-resolver|broker)\.js$/;

test('the message, meta and indexes entry points load no client-protocol handler', async () => {
  const message = await import('@orbitmq/broker/message');
  const meta = await import('@orbitmq/broker/meta');
  const indexes = await import('@orbitmq/broker/indexes');
  assert.equal(typeof message.decodeProperties, 'function');
  assert.equal(typeof meta.TopicManager, 'function');
  assert.equal(typeof indexes.createBrokerIndexes, 'function');
  const loaded = Object.keys(require.cache).filter((f) => f.includes(`${'broker'}`) && f.includes('dist'));
  assert.ok(loaded.length > 0, 'the entry points were loaded from the build');
  assert.deepEqual(
    loaded.filter((f) => HANDLERS.test(f)),
    [],
  );
});
