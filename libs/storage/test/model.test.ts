/**
 * Model test: random appends, batch appends, reads, clean restarts, crashes, and crashes that tear
 * the tail, checked after every step against an in-memory model of what must be in the store.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { MessageStore } from '../src';
import { openSmall, segmentFiles, tmpDir } from './helpers';

interface ModelRecord {
  topic: string;
  queueId: number;
  queueOffset: number;
  logOffset: number;
  size: number;
  body: Buffer;
}

type Command =
  | { kind: 'append'; topic: string; queueId: number; bodyBytes: number }
  | { kind: 'batch'; topic: string; count: number; bodyBytes: number }
  | { kind: 'read'; topic: string; queueId: number; from: number }
  | { kind: 'restart' }
  | { kind: 'crash' }
  | { kind: 'crashCut'; bytes: number };

const topicArb = fc.constantFrom('A', 'B');
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('append' as const), topic: topicArb, queueId: fc.nat(2), bodyBytes: fc.nat(3000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('batch' as const), topic: topicArb, count: fc.integer({ min: 1, max: 20 }), bodyBytes: fc.nat(800) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('read' as const), topic: topicArb, queueId: fc.nat(2), from: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crashCut' as const), bytes: fc.integer({ min: 1, max: 5000 }) }) },
);

let seq = 0;

async function apply(store: MessageStore, dir: string, cmd: Command, model: ModelRecord[]): Promise<MessageStore> {
  const nextOffset = (topic: string, queueId: number) => model.filter((r) => r.topic === topic && r.queueId === queueId).length;
  switch (cmd.kind) {
    case 'append': {
      const body = Buffer.alloc(cmd.bodyBytes, seq++ & 0xff);
      const r = await store.append({ topic: cmd.topic, queueId: cmd.queueId, bornTimestampMs: 1, messageId: `m${seq}`, body });
      assert.equal(r.queueOffset, nextOffset(cmd.topic, cmd.queueId));
      model.push({ topic: cmd.topic, queueId: cmd.queueId, queueOffset: r.queueOffset, logOffset: r.logOffset, size: r.size, body });
      return store;
    }
    case 'batch': {
      const msgs = Array.from({ length: cmd.count }, (_, i) => ({
        topic: cmd.topic,
        queueId: i % 3,
        bornTimestampMs: 1,
        messageId: `b${seq++}`,
        body: Buffer.alloc(cmd.bodyBytes, seq & 0xff),
      }));
      const results = await store.appendBatch(msgs);
      results.forEach((r, i) => {
        const m = msgs[i]!;
        assert.equal(r.queueOffset, nextOffset(m.topic, m.queueId));
        model.push({ topic: m.topic, queueId: m.queueId, queueOffset: r.queueOffset, logOffset: r.logOffset, size: r.size, body: m.body });
      });
      return store;
    }
    case 'read': {
      await store.whenDispatched();
      const expected = model.filter((r) => r.topic === cmd.topic && r.queueId === cmd.queueId);
      const read = await store.readQueue(cmd.topic, cmd.queueId, cmd.from, 8);
      if (cmd.from > expected.length) assert.equal(read.status, 'OFFSET_OVERFLOW');
      else if (cmd.from === expected.length) assert.equal(read.status, 'NO_NEW_MESSAGES');
      else {
        assert.deepEqual(
          read.entries.map((e) => e.logOffset),
          expected.slice(cmd.from, cmd.from + 8).map((r) => r.logOffset),
        );
        for (const e of read.entries) {
          const rec = await store.getMessage(e.logOffset, e.size);
          assert.ok(rec.body.equals(expected[e.queueOffset]!.body));
        }
      }
      return store;
    }
    case 'restart':
      await store.close();
      return openSmall(dir);
    case 'crash':
      await store.abandonForCrashTest();
      return openSmall(dir);
    case 'crashCut': {
      await store.abandonForCrashTest();
      const files = segmentFiles(dir);
      const last = files[files.length - 1];
      if (last) {
        const size = fs.statSync(last).size;
        const newSize = Math.max(0, size - cmd.bytes);
        fs.truncateSync(last, newSize);
        const cutAt = Number(path.basename(last)) + newSize;
        for (let i = model.length - 1; i >= 0; i--) if (model[i]!.logOffset + model[i]!.size > cutAt) model.splice(i, 1);
      }
      return openSmall(dir);
    }
  }
}

async function checkAll(store: MessageStore, model: ModelRecord[]): Promise<void> {
  await store.whenDispatched();
  for (const topic of ['A', 'B']) {
    for (let q = 0; q < 3; q++) {
      const expected = model.filter((r) => r.topic === topic && r.queueId === q);
      assert.equal(store.getMaxQueueOffset(topic, q), expected.length, `max offset ${topic}/${q}`);
      if (expected.length > 0) {
        const read = await store.readQueue(topic, q, 0, 100_000);
        assert.deepEqual(
          read.entries.map((e) => e.logOffset),
          expected.map((r) => r.logOffset),
          `queue ${topic}/${q}`,
        );
      }
    }
  }
}

test('store matches an in-memory model across appends, restarts and crashes', async (t) => {
  const executed: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(fc.array(commandArb, { minLength: 5, maxLength: 30 }), async (commands) => {
      const dir = tmpDir('orbitmq-model-');
      const model: ModelRecord[] = [];
      let store = await openSmall(dir);
      try {
        for (const cmd of commands) {
          store = await apply(store, dir, cmd, model);
          executed[cmd.kind] = (executed[cmd.kind] ?? 0) + 1;
          await checkAll(store, model);
        }
      } finally {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 100, seed: Number(process.env.MODEL_SEED ?? 4242) },
  );
  t.diagnostic(`commands executed: ${JSON.stringify(executed)}`);
});
