import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { v2 } from '@orbitmq/protocol';
import { InflightBytes, MESSAGE_OVERHEAD_BYTES, SendHandler, sendRequestBytes } from '../src/send';
import type { StoreAppend, StoreAppendResult, StorePort } from '../src/store-port';
import type { TopicManager } from '../src/meta';
import { codeNameOf } from '../src/status';

function message(id: string, bodyBytes: number, userProperties: Record<string, string> = {}): v2.Message__Output {
  return {
    topic: { name: 'T', resourceNamespace: '' },
    userProperties,
    body: Buffer.alloc(bodyBytes, 1),
    systemProperties: { keys: [], messageId: id, messageType: 'NORMAL', bornHost: 'h', bornTimestamp: { seconds: '1', nanos: 0 }, bodyEncoding: 'IDENTITY' },
  } as never;
}

test('request bytes: bodies, user properties and a fixed overhead per message', () => {
  assert.equal(sendRequestBytes([message('a', 1000)]), 1000 + MESSAGE_OVERHEAD_BYTES);
  assert.equal(sendRequestBytes([message('a', 10, { kk: 'vvv' }), message('b', 0)]), 10 + 5 + 2 * MESSAGE_OVERHEAD_BYTES);
});

test('per-connection bound: a connection past it is refused, another connection is not', () => {
  const limiter = new InflightBytes({ maxPerConnection: 1000, maxTotal: 10_000 });
  const a1 = limiter.tryAcquire('A', 600);
  assert.ok('release' in a1);
  const a2 = limiter.tryAcquire('A', 600);
  assert.ok('refused' in a2 && /maxInflightSendBytesPerConnection=1000/.test(a2.refused));
  assert.ok('release' in limiter.tryAcquire('B', 600), 'B has its own budget');
  assert.equal(limiter.bytes, 1200);
  a1.release();
  a1.release(); // idempotent
  assert.equal(limiter.bytes, 600);
  assert.ok('release' in limiter.tryAcquire('A', 600), 'A is admitted again once answered');
});

test('per-broker bound over all connections; everything released leaves nothing behind', () => {
  const limiter = new InflightBytes({ maxPerConnection: 1000, maxTotal: 1500 });
  const held = ['A', 'B'].map((c) => limiter.tryAcquire(c, 700));
  const c = limiter.tryAcquire('C', 700);
  assert.ok('refused' in c && /maxInflightSendBytes=1500/.test(c.refused));
  for (const h of held) if ('release' in h) h.release();
  assert.equal(limiter.bytes, 0);
  assert.equal(limiter.connections, 0);
});

test('one request larger than a bound is admitted when nothing else is in flight', () => {
  const limiter = new InflightBytes({ maxPerConnection: 100, maxTotal: 200 });
  const big = limiter.tryAcquire('A', 5000);
  assert.ok('release' in big, 'alone: admitted');
  assert.ok('refused' in limiter.tryAcquire('B', 1), 'the broker is over its bound while it is in flight');
  big.release();
  assert.ok('release' in limiter.tryAcquire('B', 1));
});

/** A store whose appends wait until released, to hold requests in flight. */
function blockingStore(): { store: StorePort; releaseAll: () => void; appends: () => number } {
  const waiting: (() => void)[] = [];
  let appends = 0;
  const store = {
    appendBatch: (batch: StoreAppend[]) => {
      appends++;
      return new Promise<StoreAppendResult[]>((resolve) =>
        waiting.push(() => resolve(batch.map((_, i) => ({ logOffset: i * 100, size: 100, queueOffset: i, storeTimestampMs: 1 }) as StoreAppendResult))),
      );
    },
  } as unknown as StorePort;
  return { store, releaseAll: () => waiting.splice(0).forEach((f) => f()), appends: () => appends };
}

const topics = {
  ensure: async () => ({ topicName: 'T', perm: 6, writeQueueNums: 4, readQueueNums: 4, messageType: 'MIXED' }),
  get: () => ({ topicName: 'T', perm: 6, writeQueueNums: 4, readQueueNums: 4, messageType: 'MIXED' }),
} as unknown as TopicManager;

test('SendHandler answers TOO_MANY_REQUESTS for every message past a bound, without appending, and frees the bytes when answered', async () => {
  const { store, releaseAll, appends } = blockingStore();
  const limiter = new InflightBytes({ maxPerConnection: 3_000, maxTotal: 1_000_000 });
  const limits = { maxMessageSize: 1 << 20, maxPropertiesBytes: 1 << 15, delay: { levelsMs: [1000], maxDelayMs: 86_400_000 } };
  const send = new SendHandler(store, topics, limits, { windowMs: 60_000, maxEntries: 1_000 }, undefined, limiter);

  const first = send.handle({ messages: [message('m1', 2_000)] }, 'client', '10.0.0.1:5000');
  await new Promise((r) => setImmediate(r));
  assert.equal(limiter.bytes, 2_000 + MESSAGE_OVERHEAD_BYTES);
  const refused = await send.handle({ messages: [message('m2', 2_000), message('m3', 10)] }, 'client', '10.0.0.1:5000');
  assert.equal(codeNameOf(refused.status), 'TOO_MANY_REQUESTS');
  assert.equal(refused.status?.code, 42900);
  assert.deepEqual(
    refused.entries?.map((e) => [codeNameOf(e.status), e.messageId]),
    [
      ['TOO_MANY_REQUESTS', 'm2'],
      ['TOO_MANY_REQUESTS', 'm3'],
    ],
  );
  assert.equal(appends(), 1, 'the refused request appended nothing');

  const other = send.handle({ messages: [message('m4', 2_000)] }, 'client', '10.0.0.2:6000');
  await new Promise((r) => setImmediate(r));
  releaseAll();
  assert.equal(codeNameOf((await first).status), 'OK');
  assert.equal(codeNameOf((await other).status), 'OK', 'another connection was not refused');
  assert.equal(limiter.bytes, 0, 'answered requests hold no bytes');
  const again = send.handle({ messages: [message('m5', 2_000)] }, 'client', '10.0.0.1:5000');
  await new Promise((r) => setImmediate(r));
  releaseAll();
  assert.equal(codeNameOf((await again).status), 'OK', 'the connection is admitted again');
});
