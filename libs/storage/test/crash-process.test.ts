/**
 * A real crash: a child process appends and reports every acknowledged append; the test
 * SIGKILLs it mid-stream, reopens the store, and requires every acknowledged record to be readable
 * and indexed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { copyDir, dumpIndexes, openSmall, tmpDir } from './helpers';

interface Ack {
  id: string;
  logOffset: number;
  size: number;
  queueId: number;
  queueOffset: number;
}

const CHILD = path.join(__dirname, '../fixtures/append-child.js');

async function runAndKill(dir: string, flush: 'SYNC_FLUSH' | 'ASYNC_FLUSH', killAfterAcks: number): Promise<Ack[]> {
  const child = spawn(process.execPath, [CHILD, dir, flush, String(64 * 1024), '300', '32', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acks: Ack[] = [];
  let partial = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited (${code}): ${stderr}`))));
    child.stdout.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const [word, id, logOffset, size, queueId, queueOffset] = line.split(' ');
        if (word !== 'ack') continue;
        acks.push({ id: id as string, logOffset: Number(logOffset), size: Number(size), queueId: Number(queueId), queueOffset: Number(queueOffset) });
      }
      if (acks.length >= killAfterAcks && !child.killed) child.kill('SIGKILL');
    });
  });
  return acks;
}

for (const flush of ['SYNC_FLUSH', 'ASYNC_FLUSH'] as const) {
  test(`SIGKILL while appending (${flush}): every acknowledged record survives, indexed`, async () => {
    const dir = tmpDir();
    const acks = await runAndKill(dir, flush, 3_000);
    assert.ok(acks.length >= 3_000);
    const store = await openSmall(dir);
    try {
      assert.equal(store.recovery.cleanShutdown, false);
      for (const a of acks) {
        const rec = await store.getMessage(a.logOffset, a.size);
        assert.equal(rec.messageId, a.id);
        assert.equal(rec.queueOffset, a.queueOffset);
      }
      // Every acknowledged record is in its consume queue at its queue offset...
      const byQueue = new Map<number, Map<number, number>>();
      for (let q = 0; q < 4; q++) {
        const read = await store.readQueue('CrashTopic', q, 0, 1_000_000);
        byQueue.set(q, new Map(read.entries.map((e) => [e.queueOffset, e.logOffset])));
        // ...and the queue is dense: offsets 0..max-1 with no holes.
        assert.equal(read.entries.length, store.getMaxQueueOffset('CrashTopic', q));
      }
      for (const a of acks) assert.equal(byQueue.get(a.queueId)?.get(a.queueOffset), a.logOffset, `${a.id} indexed`);
      // ...and findable by id and by key.
      for (const a of acks.filter((_, i) => i % 250 === 0)) {
        assert.equal((await store.findByMessageId(a.id)).length, 1);
        assert.equal((await store.findByKey('CrashTopic', `k${a.id.slice(1)}`)).length, 1);
      }
      // Appends resume with the next queue offset.
      const before = store.getMaxQueueOffset('CrashTopic', 0);
      const next = await store.append({ topic: 'CrashTopic', queueId: 0, bornTimestampMs: Date.now(), messageId: 'after', body: Buffer.from('x') });
      assert.equal(next.queueOffset, before);
    } finally {
      await store.close();
    }
    const rebuilt = tmpDir();
    copyDir(path.join(dir, 'commitlog'), path.join(rebuilt, 'commitlog'));
    await (await openSmall(rebuilt)).close();
    assert.deepEqual(await dumpIndexes(dir), await dumpIndexes(rebuilt));
  });
}
