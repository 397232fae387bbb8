/**
 * Dispatch extensions (the broker's timer and transaction indexes ride on them): their entries are
 * written in the same LevelDB batch as the consume queues, so they are idempotent under
 * re-dispatch after a crash and follow the log when recovery cuts it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DispatchExtension, DispatchRequest, ExtensionBatch, Metadata } from '../src';
import { msg, openSmall, segmentFiles, tmpDir } from './helpers';

const NS = 'ext';

function offsetKey(o: number): Buffer {
  const k = Buffer.alloc(8);
  k.writeBigUInt64BE(BigInt(o));
  return k;
}

/** Indexes records whose properties start with 'pending' and deletes them on a 'done:<offset>' record. */
class PendingIndex implements DispatchExtension {
  readonly name = 'pending-index';
  committed: number[] = [];
  truncatedAt: number[] = [];

  onDispatch(req: DispatchRequest, batch: ExtensionBatch): void {
    const p = req.properties.toString();
    if (p.startsWith('pending')) batch.put(NS, offsetKey(req.logOffset), Buffer.from(req.messageId));
    if (p.startsWith('done:')) batch.del(NS, offsetKey(Number(p.slice(5))));
  }

  onCommitted(requests: readonly DispatchRequest[]): void {
    for (const r of requests) this.committed.push(r.logOffset);
  }

  async onTruncate(endOffset: number, metadata: Metadata): Promise<void> {
    this.truncatedAt.push(endOffset);
    const doomed = (await metadata.list(NS, { from: offsetKey(endOffset) })).map((e) => ({ type: 'del' as const, namespace: NS, key: e.key }));
    await metadata.batch(doomed);
  }
}

async function pendingIds(metadata: Metadata): Promise<string[]> {
  return (await metadata.list(NS)).map((e) => e.value.toString());
}

test('extension entries join the dispatch batch, see properties, and are told when committed', async () => {
  const dir = tmpDir();
  const ext = new PendingIndex();
  const store = await openSmall(dir, {}, { extensions: [ext] });
  const a = await store.append(msg(1, { properties: Buffer.from('pending') }));
  await store.append(msg(2, { properties: Buffer.from('other') }));
  const c = await store.append(msg(3, { properties: Buffer.from('pending') }));
  const done = await store.append(msg(4, { properties: Buffer.from(`done:${a.logOffset}`) }));
  await store.whenDispatched(done.logOffset + done.size);
  assert.deepEqual(await pendingIds(store.metadata), ['msg-3'], 'msg-1 was indexed and then ended by msg-4');
  assert.deepEqual(ext.committed.slice(0, 4), [a.logOffset, ext.committed[1], c.logOffset, done.logOffset]);
  assert.equal(ext.committed.length, 4, 'each record committed once');
  await store.close();
});

test('after a crash, re-dispatch rebuilds extension entries exactly once; a cut log drops the entries past it', async () => {
  const dir = tmpDir();
  let store = await openSmall(dir, {}, { extensions: [new PendingIndex()] });
  const written = [];
  for (let n = 0; n < 40; n++) written.push(await store.append(msg(n, { properties: Buffer.from('pending') })));
  await store.flush();
  await store.abandonForCrashTest();

  const again = new PendingIndex();
  store = await openSmall(dir, {}, { extensions: [again] });
  assert.equal((await pendingIds(store.metadata)).length, 40);
  await store.close();

  // Tear the last record: recovery cuts the log before it and the extension must forget it.
  const last = written[written.length - 1]!;
  const files = segmentFiles(dir);
  const lastFile = files[files.length - 1] as string;
  const segmentStart = Number(path.basename(lastFile));
  fs.truncateSync(lastFile, last.logOffset - segmentStart + 10);
  fs.writeFileSync(path.join(dir, 'abort'), '');
  const third = new PendingIndex();
  store = await openSmall(dir, {}, { extensions: [third] });
  assert.deepEqual(third.truncatedAt, [last.logOffset]);
  const ids = await pendingIds(store.metadata);
  assert.equal(ids.length, 39);
  assert.ok(!ids.includes('msg-39'));
  await store.close();
});
