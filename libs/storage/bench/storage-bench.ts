/**
 * Storage benchmark: `npx nx run storage:bench [-- --only=a,b --dir=/path --records=N]`.
 * Prints one JSON line per scenario: records/s, MB/s and append latency percentiles.
 * A measurement tool, not a test: nothing here asserts a speed.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageStore, type StoreConfigInput } from '../src';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k as string, v ?? 'true'];
  }),
);
const BASE_DIR = args.get('dir') ?? os.tmpdir();
const ONLY = args.get('only')?.split(',');
const RECORD_BODY_BYTES = 1024 - 100; // ~1 KiB records including the header, topic, id and keys
const TOTAL = Number(args.get('records') ?? 500_000);

function tmpRoot(name: string): string {
  return fs.mkdtempSync(path.join(BASE_DIR, `orbitmq-bench-${name}-`));
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function report(scenario: string, records: number, bytes: number, seconds: number, latencies?: Float64Array, extra: object = {}): void {
  const sorted = latencies ? latencies.slice().sort() : undefined;
  const line = {
    scenario,
    records,
    seconds: round(seconds),
    recordsPerSec: Math.round(records / seconds),
    mbPerSec: round(bytes / seconds / 1e6),
    ...(sorted ? { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), maxMs: round(sorted[sorted.length - 1] ?? 0) } : {}),
    ...extra,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

const body = Buffer.alloc(RECORD_BODY_BYTES, 0x62);

/** `concurrency` appenders each awaiting its own append, one message per call. */
async function appendScenario(name: string, cfg: Partial<StoreConfigInput>, total: number, concurrency: number, withKey = false): Promise<void> {
  const root = tmpRoot(name);
  const store = await MessageStore.open({ rootDir: root, ...cfg });
  const lat = new Float64Array(total);
  let issued = 0;
  let bytes = 0;
  // Warm-up (not measured): JIT, LevelDB memtables and fresh page-cache pages settle first.
  const warmup = Math.min(50_000, total);
  for (let w = 0; w < warmup; w += 500) {
    await store.appendBatch(
      Array.from({ length: 500 }, (_, i) => ({ topic: 'WarmupTopic', queueId: i & 7, bornTimestampMs: 0, messageId: `warm-${w + i}`, tag: 'TagA', body })),
    );
  }
  await store.whenDispatched();
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (issued < total) {
      const n = issued++;
      const t0 = performance.now();
      const r = await store.append({
        topic: 'BenchTopic',
        queueId: n & 7,
        bornTimestampMs: 0,
        messageId: `bench-${n}`,
        ...(withKey ? { keys: [`order-${(n * 7919) % 1_000_003}`] } : {}),
        tag: 'TagA',
        body,
      });
      lat[n] = performance.now() - t0;
      bytes += r.size;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await store.whenDispatched();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.close();
  report(name, total, bytes, seconds, lat, { concurrency, flushDiskType: cfg.flushDiskType, keysPerMessage: withKey ? 1 : 0 });
  fs.rmSync(root, { recursive: true, force: true });
}

async function cqRangeRead(total: number): Promise<void> {
  const root = tmpRoot('cq');
  const store = await MessageStore.open({ rootDir: root });
  const batch = [];
  for (let n = 0; n < total; n++) {
    batch.push({ topic: 'ReadTopic', queueId: n & 7, bornTimestampMs: 0, messageId: `r-${n}`, tag: n % 2 ? 'A' : 'B', body: Buffer.alloc(16) });
    if (batch.length === 1000) await store.appendBatch(batch.splice(0));
  }
  if (batch.length > 0) await store.appendBatch(batch);
  await store.whenDispatched();
  const started = process.hrtime.bigint();
  let entries = 0;
  for (let q = 0; q < 8; q++) {
    let from = 0;
    for (;;) {
      const r = await store.readQueue('ReadTopic', q, from, 1000);
      if (r.status !== 'FOUND') break;
      entries += r.entries.length;
      from = r.nextOffset;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.close();
  report('cq-range-read', entries, entries * 24, seconds, undefined, { batchEntries: 1000 });
  fs.rmSync(root, { recursive: true, force: true });
}

/** Writes ~1 GiB in a child process, SIGKILLs it, and times the reopen (recovery). */
async function recovery1GiB(): Promise<void> {
  const root = tmpRoot('recovery');
  const records = Math.ceil((1024 * 1024 * 1024) / 1024);
  const child = spawn(
    process.execPath,
    [
      path.join(__dirname, '../fixtures/append-child.js'),
      root,
      'ASYNC_FLUSH',
      String(1024 * 1024 * 1024),
      String(RECORD_BODY_BYTES),
      '256',
      String(records),
      '--quiet',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('reached')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const logBytes = fs.readdirSync(path.join(root, 'commitlog')).reduce((s, f) => s + fs.statSync(path.join(root, 'commitlog', f)).size, 0);
  let t0 = process.hrtime.bigint();
  let store = await MessageStore.open({ rootDir: root });
  let seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  report('recovery-1gib', store.recovery.redispatchedRecords, logBytes, seconds, undefined, {
    logBytes,
    scannedBytes: store.recovery.endOffset - store.recovery.scannedFromOffset,
    redispatchedRecords: store.recovery.redispatchedRecords,
  });
  await store.close();
  // Worst case: the index directory is gone and every record is indexed again.
  fs.rmSync(path.join(root, 'index'), { recursive: true, force: true });
  fs.writeFileSync(path.join(root, 'abort'), '');
  t0 = process.hrtime.bigint();
  store = await MessageStore.open({ rootDir: root });
  seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  report('rebuild-index-1gib', store.recovery.redispatchedRecords, logBytes, seconds, undefined, { logBytes });
  await store.close();
  fs.rmSync(root, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const scenarios: [string, () => Promise<void>][] = [
    // Like RocketMQ's producer benchmark by default: every message has an id and a tag, no keys.
    ['append-async', () => appendScenario('append-async', { flushDiskType: 'ASYNC_FLUSH' }, TOTAL, 512)],
    // Every message also carries one business key (a second LevelDB index entry, in random order).
    ['append-async-keys', () => appendScenario('append-async-keys', { flushDiskType: 'ASYNC_FLUSH' }, TOTAL, 512, true)],
    ['append-sync-1', () => appendScenario('append-sync-1', { flushDiskType: 'SYNC_FLUSH' }, Math.min(TOTAL, 5_000), 1)],
    ['append-sync-64', () => appendScenario('append-sync-64', { flushDiskType: 'SYNC_FLUSH' }, Math.min(TOTAL, 100_000), 64)],
    ['append-sync-256', () => appendScenario('append-sync-256', { flushDiskType: 'SYNC_FLUSH' }, TOTAL, 256)],
    ['cq-range-read', () => cqRangeRead(TOTAL)],
    ['recovery-1gib', () => recovery1GiB()],
  ];
  process.stderr.write(
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, dir ${BASE_DIR}\n`,
  );
  for (const [name, run] of scenarios) if (!ONLY || ONLY.includes(name)) await run();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
