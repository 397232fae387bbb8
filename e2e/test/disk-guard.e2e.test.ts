/**
 * Disk pressure on a small real filesystem (issue #18): a 64 MiB loop-mounted ext4 image (or a
 * tmpfs when loop devices are unavailable) holds the broker's whole store. Filling it must be
 * refused before the kernel's ENOSPC, with a status that says the disk is full and how full; the
 * broker must register read-only; with the defaults no acknowledged, unconsumed message may
 * become unreadable; writes resume by themselves once space is freed. With
 * cleanFileForciblyEnable the pressure deletion of unconsumed messages is logged and counted per
 * group. Needs root (mount); skipped with a message otherwise.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NameServerClients } from '@orbitmq/namesrv-client';
import type { v2 } from '@orbitmq/protocol';
import { clientEndpoint, startBroker, startNamesrv } from '../support/cluster';
import { type AppProcess, eventually, grpcAddress, runToExit, stopAll, tmpDir } from '../support/processes';
import { RawV2Client, codeOf, message } from '../support/raw-v2';

const MIB = 1024 * 1024;
const FS_MIB = 64;
const GROUP = 'disk-group';
const BODY = Buffer.alloc(16 * 1024, 7);
const PER_SEND = 8;
const QUEUES = 2;
const PERM_WRITE = 2;

interface SmallFs {
  dir: string;
  kind: string;
  cleanup(): void;
}

const mounts: SmallFs[] = [];
let namesrv: AppProcess;

/** A fresh 64 MiB filesystem: loop-mounted ext4, else (or with ORBITMQ_E2E_SMALL_FS=tmpfs) tmpfs; a string says why neither works. */
function mountSmallFs(): SmallFs | string {
  if (process.getuid?.() !== 0) return 'mounting a filesystem needs root; run the e2e tests as root (CI does) to exercise a full disk';
  const root = tmpDir('orbitmq-disk-');
  const dir = path.join(root, 'mnt');
  fs.mkdirSync(dir);
  const cleanup = (): void => {
    try {
      execFileSync('umount', [dir], { stdio: 'ignore' });
    } catch {
      // not mounted
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: 'ignore' });
  try {
    if (process.env.ORBITMQ_E2E_SMALL_FS === 'tmpfs') throw new Error('tmpfs asked for');
    const image = path.join(root, 'disk.img');
    run('losetup', ['-f']);
    run('fallocate', ['-l', `${FS_MIB}M`, image]);
    run('mkfs.ext4', ['-q', '-F', image]);
    run('mount', ['-o', 'loop', image, dir]);
    return { dir, kind: 'ext4 (loop)', cleanup };
  } catch {
    try {
      run('mount', ['-t', 'tmpfs', '-o', `size=${FS_MIB}m`, 'tmpfs', dir]);
      return { dir, kind: 'tmpfs', cleanup };
    } catch (err) {
      cleanup();
      return `cannot mount a ${FS_MIB} MiB loop ext4 image nor a tmpfs here: ${(err as Error).message}`;
    }
  }
}

function usedPercent(dir: string): number {
  const st = fs.statfsSync(dir);
  const used = (st.blocks - st.bfree) * st.bsize;
  return (used / (used + st.bavail * st.bsize)) * 100;
}

/** The broker with its whole store on the small filesystem: 4 MiB segments, 2 queues per topic. */
function startSmallBroker(mnt: string, extra: string[] = []): Promise<AppProcess> {
  return startBroker(grpcAddress(namesrv), {
    storeDir: path.join(mnt, 'store'),
    extra: [
      '--mappedFileSizeCommitLog',
      String(4 * MIB),
      '--maxMessageSize',
      String(256 * 1024),
      '--defaultTopicQueueNums',
      String(QUEUES),
      '--diskReserveBytes',
      String(4 * MIB),
      '--diskCheckAfterBytes',
      String(MIB),
      '--cleanResourceInterval',
      '500',
      ...extra,
    ],
  });
}

function logLines(p: AppProcess): { level: string; message: string; [k: string]: unknown }[] {
  return p.lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as { level: string; message: string }];
    } catch {
      return [];
    }
  });
}

async function metrics(p: AppProcess): Promise<string> {
  return (await fetch(`http://127.0.0.1:${String(p.ready.metricsPort)}/metrics`)).text();
}

function metric(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `) || l.startsWith(`${series}{`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Creates the topic (first message) and gives GROUP a committed offset 0 on every queue: it has a claim on everything. */
async function topicWithClaims(raw: RawV2Client, topic: string): Promise<string[]> {
  const first = await raw.send([message(topic, BODY)]);
  assert.equal(codeOf(first.status), 'OK');
  for (let q = 0; q < QUEUES; q++) assert.equal(codeOf((await raw.updateOffset(GROUP, topic, q, 0)).status), 'OK');
  return first.entries.map((e) => e.messageId);
}

/** Sends batches until one is refused; returns acked ids and the refusal. */
async function fillUntilRefused(raw: RawV2Client, topic: string, acked: string[], maxSends = 4000): Promise<v2.SendMessageResponse__Output> {
  for (let i = 0; i < maxSends; i++) {
    const res = await raw.send(Array.from({ length: PER_SEND }, () => message(topic, BODY)));
    if (codeOf(res.status) !== 'OK') return res;
    acked.push(...res.entries.map((e) => e.messageId));
  }
  throw new Error(`no refusal after ${maxSends} sends`);
}

/** Every message id in the topic, pulled from offset 0 of each queue. */
async function pullAll(raw: RawV2Client, topic: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let q = 0; q < QUEUES; q++) {
    let offset = 0;
    for (;;) {
      const frames = await raw.pull(GROUP, topic, q, offset, 32, 0);
      const status = codeOf(frames[0]?.status);
      if (status === 'MESSAGE_NOT_FOUND') break;
      assert.equal(status, 'OK', `pull ${topic}/${q} at ${offset}: ${frames[0]?.status?.message ?? ''}`);
      for (const f of frames) if (f.message) ids.add(f.message.systemProperties?.messageId ?? '');
      const next = Number(frames.find((f) => f.content === 'nextOffset')?.nextOffset);
      if (Number.isNaN(next) || next === offset) break;
      offset = next;
    }
  }
  return ids;
}

async function ownPerm(ns: NameServerClients, topic: string): Promise<number | undefined> {
  return (await ns.getRoute(topic)).queueDatas.find((q) => q.brokerName === 'broker-a')?.perm;
}

before(async () => {
  namesrv = await startNamesrv();
});

after(async () => {
  await stopAll();
  for (const m of mounts) m.cleanup();
});

test('a filling disk is refused before ENOSPC, the broker goes read-only, nothing unconsumed is lost, writes resume', async (t) => {
  const small = mountSmallFs();
  if (typeof small === 'string') return t.skip(small);
  mounts.push(small);
  const filler = path.join(small.dir, 'filler');
  fs.writeFileSync(filler, Buffer.alloc(12 * MIB, 1));
  const broker = await startSmallBroker(small.dir);
  const endpoint = clientEndpoint(broker);
  const raw = new RawV2Client(endpoint);
  const ns = new NameServerClients([grpcAddress(namesrv)]);
  const topic = 'DiskFillTopic';
  try {
    const acked = await topicWithClaims(raw, topic);
    await eventually('the route on the name server', async () => ((await ownPerm(ns, topic)) !== undefined ? true : undefined));
    assert.ok(((await ownPerm(ns, topic)) as number) & PERM_WRITE, 'writable at first');

    const refused = await fillUntilRefused(raw, topic, acked);
    const fsUsed = usedPercent(small.dir);
    t.diagnostic(`${small.kind}: ${acked.length} messages acked; refused at "${refused.status?.message}"; statfs ${fsUsed.toFixed(1)} % used`);
    assert.equal(codeOf(refused.status), 'FORBIDDEN', 'DISK_FULL reaches clients as FORBIDDEN (not writable), not INTERNAL_SERVER_ERROR');
    const m = /^disk full: (\d+\.\d) % used, [\d.]+ MiB free \(limit 90 %, reserve 4\.0 MiB\): writes are refused until space is freed$/.exec(
      refused.status?.message ?? '',
    );
    assert.ok(m, `refusal message: ${refused.status?.message}`);
    assert.ok(fs.statfsSync(small.dir).bavail > 0 && fsUsed < 100, 'refused before the filesystem is full');
    const lines = logLines(broker);
    assert.ok(
      lines.some((l) => l.level === 'warn' && l.message.startsWith('disk full: ')),
      'a warn line says the disk is full',
    );
    assert.ok(!broker.lines.some((l) => /ENOSPC|IO_ERROR|INTERNAL_ERROR/.test(l)), 'the broker never hit ENOSPC');
    await eventually('a warn line: pressure deletion held back', async () =>
      logLines(broker).some((l) => l.level === 'warn' && l.message.includes('kept (cleanFileForciblyEnable=false)')) ? true : undefined,
    );

    // Read-only: on the name server, in the broker's own QueryRoute, and in /metrics.
    await eventually('the name server route without PERM_WRITE', async () => (((await ownPerm(ns, topic)) as number) & PERM_WRITE ? undefined : true));
    const own = await raw.queryRoute(topic, endpoint);
    assert.deepEqual([...new Set(own.messageQueues.map((q) => q.permission))], ['READ']);
    const text = await metrics(broker);
    assert.equal(metric(text, 'rocketmq_broker_writable'), 0);
    const status = runToExit('tools/mqadmin/dist/src/main.js', [
      'brokerStatus',
      '-b',
      `127.0.0.1:${String(broker.ready.internalPort)}`,
      '-n',
      grpcAddress(namesrv),
    ]);
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout, /diskUsedPercent\s*: (8|9)\d\.\d\n/);
    assert.match(status.stdout, /writable\s*: false\n/);
    assert.match(status.stdout, /diskGuard\s*: REFUSING sends \(limit 90 %, reserve 4\.0 MiB\)\n/);
    assert.match(status.stdout, /cleanFileForcibly\s*: false\n/);
    assert.ok((metric(text, 'rocketmq_send_refused_disk_full_total') ?? 0) >= 1);
    assert.equal(metric(text, 'rocketmq_rpc_requests_total{method="SendMessage",code="INTERNAL_ERROR",app="broker"}'), undefined);

    // Space returns: writes resume by themselves, the route gets PERM_WRITE back.
    fs.rmSync(filler);
    const resumed = await eventually(
      'a send accepted again',
      async () => {
        const res = await raw.send([message(topic, BODY)]);
        return codeOf(res.status) === 'OK' ? res : undefined;
      },
      20_000,
      200,
    );
    acked.push(...resumed.entries.map((e) => e.messageId));
    await eventually('the name server route writable again', async () => (((await ownPerm(ns, topic)) as number) & PERM_WRITE ? true : undefined));
    assert.ok(logLines(broker).some((l) => l.level === 'info' && l.message.startsWith('disk guard: space is back')));

    // No acknowledged, unconsumed message became unreadable.
    const got = await pullAll(raw, topic);
    const missing = acked.filter((id) => !got.has(id));
    t.diagnostic(`${acked.length} acked, ${got.size} read back, ${missing.length} missing`);
    assert.equal(missing.length, 0);
  } finally {
    raw.close();
    ns.close();
    await broker.kill('SIGTERM');
  }
});

test('cleanFileForciblyEnable: unconsumed messages deleted under pressure are logged at warn and counted per group', async (t) => {
  const small = mountSmallFs();
  if (typeof small === 'string') return t.skip(small);
  mounts.push(small);
  fs.writeFileSync(path.join(small.dir, 'filler'), Buffer.alloc(12 * MIB, 1));
  const broker = await startSmallBroker(small.dir, ['--cleanFileForciblyEnable', 'true']);
  const raw = new RawV2Client(clientEndpoint(broker));
  const topic = 'DiskForcedTopic';
  const forcedLines = () => logLines(broker).filter((l) => l.level === 'warn' && l.message.startsWith('disk pressure forced deletion'));
  try {
    await topicWithClaims(raw, topic);
    // Keep sending until retention has deleted at least one segment the group had not consumed.
    for (let i = 0; i < 4000 && forcedLines().length === 0; i++) await raw.send(Array.from({ length: PER_SEND }, () => message(topic, BODY)));
    assert.ok(forcedLines().length > 0, 'a forced deletion happened');
    // Retention may still be deleting: wait until the metric and the log lines agree.
    const counted = await eventually('metric equal to the logged counts', async () => {
      const value = metric(await metrics(broker), `rocketmq_store_forced_deleted_messages_total{group="${GROUP}",app="broker"}`) ?? 0;
      const logged = forcedLines().reduce((a, l) => a + ((l.unconsumedByGroup as Record<string, number>)[GROUP] ?? 0), 0);
      return value > 0 && value === logged ? value : undefined;
    });
    t.diagnostic(`${forcedLines().length} forced deletions, ${counted} unconsumed messages of ${GROUP} dropped`);
    // Each segment holds at most 4 MiB / 16 KiB records.
    assert.ok(counted <= forcedLines().length * Math.ceil((4 * MIB) / BODY.length));
  } finally {
    raw.close();
    await broker.kill('SIGTERM');
  }
});
