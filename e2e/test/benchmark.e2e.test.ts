/**
 * The benchmark tool (tools/benchmark) against real processes: producer, consumer and e2e
 * workloads, receive and pull consumers, the official client as sender, the flush mode and RSS
 * read from the broker's metrics, and bad input. Correctness of the tool only: counts, the shape
 * of its JSON result, exit codes; never speed.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { startBroker, startNamesrv } from '../support/cluster';
import { type AppProcess, REPO_ROOT, grpcAddress, stopAll } from '../support/processes';

const BENCHMARK = 'tools/benchmark/dist/src/main.js';
const MQADMIN = 'tools/mqadmin/dist/src/main.js';
/** Longest one run may take before it counts as hung (runs here take a few seconds). */
const RUN_TIMEOUT_MS = 60_000;

let namesrv: AppProcess;
let broker: AppProcess;

before(async () => {
  namesrv = await startNamesrv();
  broker = await startBroker(grpcAddress(namesrv), { extra: ['--brokerName', 'broker-bench'] });
});

after(() => stopAll());

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a built tool asynchronously (the event loop stays free); SIGKILLed after `timeoutMs`. */
function runTool(script: string, args: string[], timeoutMs = RUN_TIMEOUT_MS): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`${script} ${args.join(' ')} did not end within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
      else resolve({ code, signal, stdout, stderr });
    });
  });
}

/** What every producer/consumer/e2e run prints as its last stdout line. */
interface BenchResult {
  workload: string;
  client: string;
  consumerMode?: string;
  flushMode: string;
  messages: number;
  sendTps: number;
  receiveTps: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  failures: number;
  sent: number;
  received: number;
  brokerRssBeforeBytes?: number;
  brokerRssAfterBytes?: number;
}

function metricsUrl(b: AppProcess): string {
  return `http://127.0.0.1:${String(b.ready.metricsPort)}/metrics`;
}

/**
 * Runs a workload against `target`'s client endpoint and metrics URL (null: `args` name them; never
 * leave the tool's defaults, which point at a local cluster) and returns its exit and JSON last line.
 */
async function bench(workload: string, args: string[], target: AppProcess | null = broker): Promise<Run & { result: BenchResult }> {
  const where = target ? ['--endpoint', grpcAddress(target), '--metricsUrl', metricsUrl(target)] : [];
  const run = await runTool(BENCHMARK, [workload, ...where, ...args]);
  const lines = run.stdout.split('\n');
  assert.equal(lines.pop(), '', `stdout ends with a newline: ${run.stdout}`);
  const last = lines.pop() ?? '';
  let result: BenchResult;
  try {
    result = JSON.parse(last) as BenchResult;
  } catch {
    assert.fail(`the last stdout line is not JSON (exit ${String(run.code)}): ${last}; stderr: ${run.stderr}`);
  }
  for (const k of ['sendTps', 'receiveTps', 'p50Ms', 'p99Ms', 'p999Ms', 'maxMs', 'failures', 'messages', 'sent', 'received'] as const) {
    assert.equal(typeof result[k], 'number', `${k} in ${last}`);
    assert.ok(Number.isFinite(result[k]) && result[k] >= 0, `${k} in ${last}`);
  }
  assert.equal(result.workload, workload);
  return { ...run, result };
}

/** Exit 0 with no failures; the JSON otherwise in the message. */
function assertClean(run: Run & { result: BenchResult }): BenchResult {
  assert.equal(run.code, 0, `exit ${String(run.code)} (${String(run.signal)}); stderr: ${run.stderr}`);
  assert.equal(run.result.failures, 0, JSON.stringify(run.result));
  return run.result;
}

function assertOrderedPercentiles(r: BenchResult): void {
  assert.ok(r.p50Ms <= r.p99Ms && r.p99Ms <= r.p999Ms && r.p999Ms <= r.maxMs, `percentiles out of order: ${JSON.stringify(r)}`);
}

async function mqadmin(...args: string[]): Promise<string> {
  const r = await runTool(MQADMIN, [...args, '-n', grpcAddress(namesrv)]);
  assert.equal(r.code, 0, `mqadmin ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function storedInTopic(topic: string): Promise<number> {
  const status = JSON.parse(await mqadmin('topicStatus', '-t', topic, '--json')) as { queues: { maxOffset: string }[] }[];
  return status.flatMap((s) => s.queues).reduce((n, q) => n + Number(q.maxOffset), 0);
}

test('producer sends exactly --count messages in batches, and the broker stored all of them', async () => {
  const topic = 'BenchProducerTopic';
  const r = assertClean(await bench('producer', ['--topic', topic, '--count', '2000', '--batch', '50', '--concurrency', '4']));
  assert.equal(r.client, 'thin');
  assert.equal(r.sent, 2000);
  assert.equal(r.messages, 2000);
  assert.equal(r.received, 0);
  assert.ok(r.p50Ms > 0, JSON.stringify(r));
  assertOrderedPercentiles(r);
  assert.ok(r.sendTps > 0);
  // The broker's metrics: its flush mode and resident memory before and after.
  assert.equal(r.flushMode, 'ASYNC_FLUSH');
  assert.ok(typeof r.brokerRssBeforeBytes === 'number' && r.brokerRssBeforeBytes > 0, JSON.stringify(r));
  assert.ok(typeof r.brokerRssAfterBytes === 'number' && r.brokerRssAfterBytes > 0, JSON.stringify(r));

  // Independently: the queues' offsets (admin API) and an offset pull of everything stored.
  assert.equal(await storedInTopic(topic), 2000);
  const pulled = assertClean(
    await bench('consumer', [
      '--topic',
      topic,
      '--group',
      'BenchProducerCheck',
      '--mode',
      'pull',
      '--from',
      'earliest',
      '--count',
      '2000',
      '--durationSec',
      '30',
    ]),
  );
  assert.equal(pulled.consumerMode, 'pull');
  assert.equal(pulled.received, 2000);
  assert.equal(pulled.messages, 2000);
  assert.equal(pulled.sent, 0);
  assertOrderedPercentiles(pulled);
});

for (const mode of ['receive', 'pull'] as const) {
  test(`e2e (${mode}) receives every message it sent at a paced rate`, async () => {
    const topic = `BenchE2e${mode}Topic`;
    // The topic exists before the run (the auto-created case is the next test).
    await mqadmin('updateTopic', '-t', topic, '-c', 'DefaultCluster');
    const args = ['--topic', topic, '--group', `BenchE2e${mode}Group`, '--count', '1000', '--rate', '2000', '--batch', '10', '--mode', mode];
    const r = assertClean(await bench('e2e', args));
    assert.equal(r.consumerMode, mode);
    assert.equal(r.sent, 1000);
    assert.ok(r.received >= r.sent, JSON.stringify(r));
    assert.equal(r.messages, r.received);
    assert.ok(Number.isFinite(r.p99Ms) && r.p99Ms > 0, JSON.stringify(r));
    assertOrderedPercentiles(r);
  });
}

// The registering receive must not meet TOPIC_NOT_FOUND: the tool resolves the route (which
// auto-creates the topic) first, so no message sent before the group exists is missed.
test('e2e (receive) on a topic the run itself creates receives every message', async () => {
  const r = assertClean(
    await bench('e2e', [
      '--topic',
      'BenchE2eFreshTopic',
      '--group',
      'BenchE2eFreshGroup',
      '--count',
      '1000',
      '--rate',
      '2000',
      '--batch',
      '10',
      '--mode',
      'receive',
    ]),
  );
  assert.equal(r.sent, 1000);
  assert.ok(r.received >= r.sent, JSON.stringify(r));
});

test('the flush mode comes from the broker: SYNC_FLUSH on a broker started with it', async () => {
  const sync = await startBroker(grpcAddress(namesrv), { extra: ['--brokerName', 'broker-bench-sync', '--flushDiskType', 'SYNC_FLUSH'] });
  try {
    const r = assertClean(await bench('producer', ['--topic', 'BenchSyncTopic', '--count', '100', '--batch', '10', '--concurrency', '2'], sync));
    assert.equal(r.flushMode, 'SYNC_FLUSH');
    assert.equal(r.sent, 100);
    assert.ok(typeof r.brokerRssBeforeBytes === 'number' && r.brokerRssBeforeBytes > 0, JSON.stringify(r));
  } finally {
    await sync.kill('SIGTERM');
  }
});

test('the official client as sender (--sdk) sends exactly --count messages', async () => {
  const r = assertClean(await bench('producer', ['--sdk', '--topic', 'BenchSdkTopic', '--count', '200', '--concurrency', '8']));
  assert.equal(r.client, 'rocketmq-client-nodejs');
  assert.equal(r.sent, 200);
  assert.equal(r.messages, 200);
  assertOrderedPercentiles(r);
  assert.equal(await storedInTopic('BenchSdkTopic'), 200);
});

test('bad input: invalid options are refused, an unreachable broker ends the run with failures', async () => {
  const endpoint = ['--endpoint', grpcAddress(broker), '--metricsUrl', ''];
  const badBatch = await runTool(BENCHMARK, ['producer', ...endpoint, '--batch', '0']);
  assert.equal(badBatch.code, 1);
  assert.match(badBatch.stderr, /batch 1-1024/);
  assert.doesNotMatch(badBatch.stderr, /Options:/, 'a bad value gets its reason, not the whole help');
  assert.equal(badBatch.stdout, '');
  const unknownWorkload = await runTool(BENCHMARK, ['nope', ...endpoint]);
  assert.notEqual(unknownWorkload.code, 0);
  assert.notEqual(unknownWorkload.stderr, '');

  // Nothing listens on port 1: every send fails, the message budget is spent on the attempts, and
  // the run ends with the failures in its JSON and exit status 3 (completed, incomplete).
  const nowhere = ['--endpoint', '127.0.0.1:1', '--metricsUrl', ''];
  const unreachable = await bench('producer', [...nowhere, '--count', '10', '--durationSec', '3'], null);
  assert.equal(unreachable.code, 3, unreachable.stderr);
  assert.equal(unreachable.result.failures, 10);
  assert.equal(unreachable.result.sent, 0);
  assert.equal(unreachable.result.flushMode, 'unknown');
  assert.equal(unreachable.result.brokerRssBeforeBytes, undefined);

  // A pull consumer needs the topic's queues first: without a broker it stops with the reason.
  const pull = await runTool(BENCHMARK, ['consumer', ...nowhere, '--mode', 'pull', '--count', '10', '--durationSec', '3']);
  assert.equal(pull.code, 1);
  assert.match(pull.stderr, /^benchmark: .*UNAVAILABLE/);
});

test('--protocol remoting: 4.x batch sends through the name server route, then 4.x pulls read every message back', async () => {
  const topic = 'BenchRemotingTopic';
  const where = ['--endpoint', grpcAddress(namesrv), '--metricsUrl', metricsUrl(broker), '--protocol', 'remoting', '--topic', topic];
  const sent = assertClean(await bench('producer', [...where, '--count', '3000', '--batch', '64', '--concurrency', '4'], null));
  assert.equal(sent.sent, 3000);
  // The topic did not exist: the tool created it with one message, as a 4.x producer's first send does.
  assert.equal(await storedInTopic(topic), 3001);
  const read = assertClean(await bench('consumer', [...where, '--mode', 'pull', '--from', 'earliest', '--count', '3001', '--receiveBatch', '32'], null));
  assert.equal(read.received, 3001);
  assertOrderedPercentiles(read);
  const e2e = assertClean(await bench('e2e', [...where, '--mode', 'pull', '--count', '2000', '--batch', '8', '--concurrency', '4', '--rate', '4000'], null));
  assert.equal(e2e.sent, 2000);
  assert.equal(e2e.received, 2000, JSON.stringify(e2e));
  const refused = await runTool(BENCHMARK, ['consumer', ...where, '--mode', 'receive', '--count', '1']);
  assert.notEqual(refused.code, 0, '4.x consumers pull; receive mode is refused');
  assert.match(refused.stderr, /--mode pull/);
});
