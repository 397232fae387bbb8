import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OrbitError } from '@orbitmq/protocol';
import { DEFAULT_DELAY_LEVELS, parseDelayLevels } from '../src/schedule';
import { SendHandler, type SendReplication } from '../src/send';
import { codeNameOf } from '../src/status';
import { addTopic, createHarness, v2Message } from './broker-harness';

/** A replication port whose answers a test scripts, recording what the send path asked. */
class ScriptedReplication implements SendReplication {
  available = true;
  outcome: 'ok' | 'timeout' = 'ok';
  readonly waitedFor: number[] = [];
  assertAvailable(): void {
    if (!this.available) throw new OrbitError('HA_NOT_AVAILABLE', 'no replica connected');
  }
  awaitReplicated(endOffset: number): Promise<void> {
    this.waitedFor.push(endOffset);
    return this.outcome === 'ok' ? Promise.resolve() : Promise.reject(new OrbitError('SLAVE_PERSISTENCE_TIMEOUT', 'replica did not confirm'));
  }
}

function handlerWith(replication: SendReplication) {
  const h = createHarness();
  const delay = { levelsMs: parseDelayLevels(DEFAULT_DELAY_LEVELS), maxDelayMs: 86_400_000 };
  const send = new SendHandler(
    h.store,
    h.topics,
    { maxMessageSize: 64 * 1024, maxPropertiesBytes: 16 * 1024, delay },
    { windowMs: 60_000, maxEntries: 100 },
    undefined,
    undefined,
    replication,
  );
  return { h, send };
}

test('SYNC_MASTER: a send waits for the replica to have the end of its last record, then answers OK', async () => {
  const r = new ScriptedReplication();
  const { h, send } = handlerWith(r);
  await addTopic(h, 'T');
  const res = await send.handle({ messages: [v2Message({ topic: 'T', id: 'A' }, h.clock.ms), v2Message({ topic: 'T', id: 'B' }, h.clock.ms)] });
  assert.equal(codeNameOf(res.status), 'OK');
  assert.deepEqual(r.waitedFor, [h.store.stats().endOffset]);
});

test('SYNC_MASTER without an in-sync replica: HA_NOT_AVAILABLE and nothing is stored', async () => {
  const r = new ScriptedReplication();
  r.available = false;
  const { h, send } = handlerWith(r);
  await addTopic(h, 'T');
  const res = await send.handle({ messages: [v2Message({ topic: 'T', id: 'A' }, h.clock.ms)] });
  assert.equal(codeNameOf(res.status), 'HA_NOT_AVAILABLE');
  assert.equal(codeNameOf(res.entries?.[0]?.status), 'HA_NOT_AVAILABLE');
  assert.equal(h.store.stats().endOffset, 0);
  assert.deepEqual(r.waitedFor, []);
});

test('SYNC_MASTER timeout: SLAVE_PERSISTENCE_TIMEOUT, the record stays stored, and a retry of the same id waits again without a second copy', async () => {
  const r = new ScriptedReplication();
  r.outcome = 'timeout';
  const { h, send } = handlerWith(r);
  await addTopic(h, 'T');
  const first = await send.handle({ messages: [v2Message({ topic: 'T', id: 'A' }, h.clock.ms)] });
  assert.equal(codeNameOf(first.status), 'SLAVE_PERSISTENCE_TIMEOUT');
  const end = h.store.stats().endOffset;
  assert.ok(end > 0, 'the record is on the master');
  r.outcome = 'ok';
  const retry = await send.handle({ messages: [v2Message({ topic: 'T', id: 'A' }, h.clock.ms)] });
  assert.equal(codeNameOf(retry.status), 'OK');
  assert.equal(h.store.stats().endOffset, end, 'the retry was answered from the dedup window, not appended again');
  assert.deepEqual(r.waitedFor, [end, end]);
});

test('reload drops topics and groups deleted in the store and picks up new ones', async () => {
  const h = createHarness();
  await addTopic(h, 'Kept');
  await addTopic(h, 'Gone');
  await h.store.metadata.delete('topic', 'Gone');
  await h.store.metadata.put('topic', 'New', Buffer.from(JSON.stringify({ ...h.topics.get('Kept'), topicName: 'New' })));
  await h.topics.reload();
  assert.deepEqual(
    h.topics
      .list()
      .map((t) => t.topicName)
      .sort(),
    ['Kept', 'New'],
  );
});
