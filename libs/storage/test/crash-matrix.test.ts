/**
 * Corruption and recovery matrix (in the spirit of nats-server's filestore tests): build a store,
 * damage its last segment in every way a crash or a bad disk can, reopen, and check that recovery
 * keeps exactly the intact prefix, indexes nothing past it, matches a from-scratch rebuild, and
 * accepts appends again.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppendResult } from '../src';
import { copyDir, dumpIndexes, msg, openSmall, segmentFiles, tmpDir } from './helpers';

interface Written {
  n: number;
  r: AppendResult;
}

interface Base {
  dir: string;
  written: Written[];
}

const RECORDS = 300;

function bodyOf(n: number): Buffer {
  return Buffer.alloc(150 + ((n * 37) % 400), n & 0xff);
}

/** Appends RECORDS messages (over several 64 KiB segments) and closes cleanly. */
async function buildBase(staleIndexAt?: number): Promise<Base> {
  const dir = tmpDir('orbitmq-crash-base-');
  let store = await openSmall(dir);
  const written: Written[] = [];
  for (let n = 0; n < RECORDS; n++) {
    if (n === staleIndexAt) {
      // Keep a copy of the index as it was here, to put back later: the index is then behind.
      await store.close();
      copyDir(path.join(dir, 'index'), path.join(dir, 'index-stale'));
      store = await openSmall(dir);
    }
    written.push({ n, r: await store.append(msg(n, { body: bodyOf(n) })) });
  }
  await store.close();
  if (staleIndexAt !== undefined) {
    fs.rmSync(path.join(dir, 'index'), { recursive: true });
    fs.renameSync(path.join(dir, 'index-stale'), path.join(dir, 'index'));
  }
  return { dir, written };
}

/** Copies the base, applies `damage` to the last segment, marks the stop as unclean. */
function damaged(base: Base, damage: (lastSegment: string) => void): string {
  const dir = tmpDir('orbitmq-crash-case-');
  copyDir(base.dir, dir);
  const files = segmentFiles(dir);
  damage(files[files.length - 1] as string);
  fs.writeFileSync(path.join(dir, 'abort'), '');
  return dir;
}

function lastSegmentStart(base: Base): number {
  return Number(path.basename(segmentFiles(base.dir).pop() as string));
}

/** The valid end when the log is cut at `cut`: the end of the last whole record before it. */
function endAfterCut(base: Base, cut: number): number {
  const segStart = lastSegmentStart(base);
  let end = segStart;
  for (const w of base.written) if (w.r.logOffset >= segStart && w.r.logOffset + w.r.size <= cut) end = w.r.logOffset + w.r.size;
  return end;
}

async function checkRecovered(base: Base, dir: string, expectedEnd: number): Promise<void> {
  const store = await openSmall(dir);
  try {
    assert.equal(store.recovery.endOffset, expectedEnd, 'recovered end');
    assert.equal(store.stats().endOffset, expectedEnd);
    const kept = base.written.filter((w) => w.r.logOffset + w.r.size <= expectedEnd);
    const lost = base.written.filter((w) => w.r.logOffset + w.r.size > expectedEnd);
    // Every earlier record is intact.
    for (const w of kept) {
      const rec = await store.getMessage(w.r.logOffset, w.r.size);
      assert.equal(rec.messageId, `msg-${w.n}`);
      assert.ok(rec.body.equals(bodyOf(w.n)), `body of msg-${w.n}`);
    }
    // Consume queues hold exactly the kept records, in order.
    for (let q = 0; q < 4; q++) {
      const expected = kept.filter((w) => w.n % 4 === q).map((w) => w.r.logOffset);
      const read = await store.readQueue('TopicA', q, 0, 10_000);
      assert.deepEqual(
        read.entries.map((e) => e.logOffset),
        expected,
        `queue ${q}`,
      );
      assert.equal(store.getMaxQueueOffset('TopicA', q), expected.length);
    }
    // Nothing past the end is findable.
    for (const w of lost.slice(0, 3)) assert.equal((await store.findByMessageId(`msg-${w.n}`)).length, 0);
    // Appends resume where the log ends, with the next queue offset.
    const next = await store.append(msg(1_000_000, { queueId: 1, body: Buffer.from('after') }));
    assert.ok(next.logOffset === expectedEnd || next.logOffset % (64 * 1024) === 0, 'append resumes at the end');
    assert.equal(next.queueOffset, kept.filter((w) => w.n % 4 === 1).length);
  } finally {
    await store.close();
  }
  // Indexes equal a rebuild from the log alone.
  const rebuilt = tmpDir('orbitmq-crash-rebuild-');
  copyDir(path.join(dir, 'commitlog'), path.join(rebuilt, 'commitlog'));
  await (await openSmall(rebuilt)).close();
  assert.deepEqual(await dumpIndexes(dir), await dumpIndexes(rebuilt), 'indexes equal a rebuild from the log');
  fs.rmSync(rebuilt, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Deterministic pseudo-random numbers so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

test('cut at every byte inside the last record', async () => {
  const base = await buildBase();
  const last = base.written[base.written.length - 1] as Written;
  const segStart = lastSegmentStart(base);
  for (let cut = last.r.logOffset; cut < last.r.logOffset + last.r.size; cut++) {
    const dir = damaged(base, (f) => fs.truncateSync(f, cut - segStart));
    await checkRecovered(base, dir, last.r.logOffset);
  }
});

test('cut at random offsets of the last segment', async () => {
  const base = await buildBase();
  const segStart = lastSegmentStart(base);
  const size = fs.statSync(segmentFiles(base.dir).pop() as string).size;
  const rand = rng(7);
  for (let i = 0; i < 40; i++) {
    const cut = segStart + Math.floor(rand() * size);
    const dir = damaged(base, (f) => fs.truncateSync(f, cut - segStart));
    await checkRecovered(base, dir, endAfterCut(base, cut));
  }
});

test('single bit flips in the last segment truncate at the damaged record', async () => {
  const base = await buildBase();
  const segStart = lastSegmentStart(base);
  const inLast = base.written.filter((w) => w.r.logOffset >= segStart);
  const rand = rng(11);
  for (let i = 0; i < 40; i++) {
    const victim = inLast[Math.floor(rand() * inLast.length)] as Written;
    const byte = victim.r.logOffset - segStart + Math.floor(rand() * victim.r.size);
    const bit = Math.floor(rand() * 8);
    const dir = damaged(base, (f) => {
      const fd = fs.openSync(f, 'r+');
      const b = Buffer.alloc(1);
      fs.readSync(fd, b, 0, 1, byte);
      b[0] = (b[0] as number) ^ (1 << bit);
      fs.writeSync(fd, b, 0, 1, byte);
      fs.closeSync(fd);
    });
    await checkRecovered(base, dir, victim.r.logOffset);
  }
});

test('garbage appended after the last record is cut off', async () => {
  const base = await buildBase();
  const last = base.written[base.written.length - 1] as Written;
  for (const garbage of [Buffer.alloc(3), Buffer.alloc(4096), Buffer.from('not a record at all, just bytes')]) {
    const dir = damaged(base, (f) => fs.appendFileSync(f, garbage));
    await checkRecovered(base, dir, last.r.logOffset + last.r.size);
  }
});

test('an index left behind the log is caught up by re-dispatch, also after a cut', async () => {
  const base = await buildBase(120);
  const last = base.written[base.written.length - 1] as Written;
  const segStart = lastSegmentStart(base);
  await checkRecovered(
    base,
    damaged(base, () => undefined),
    last.r.logOffset + last.r.size,
  );
  for (const back of [1, 17, last.r.size - 1]) {
    const cut = last.r.logOffset + last.r.size - back;
    await checkRecovered(
      base,
      damaged(base, (f) => fs.truncateSync(f, cut - segStart)),
      last.r.logOffset,
    );
  }
});

test('a lost last segment file falls back to the end of the previous one', async () => {
  const base = await buildBase();
  const segStart = lastSegmentStart(base);
  const dir = damaged(base, (f) => fs.rmSync(f));
  await checkRecovered(base, dir, segStart);
});
