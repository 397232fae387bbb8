import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { type OrbitError, encodeProperties, orbitmqV1, type v1 } from '@orbitmq/protocol';
import { callUnary, createClient, startGrpcServer, unary } from '@orbitmq/rpc';

/** The repository root (this file runs from apps/filter-server/dist/test). */
const REPO_ROOT = path.resolve(__dirname, '../../../..');
const MAIN = path.join(REPO_ROOT, 'apps/filter-server/dist/src/main.js');
/** Failure bound only (nothing is asserted about time): a stuck process fails the test instead of hanging it. */
const WAIT_MS = 20_000;

/** Resolves with the value the first time `pick` returns one for a pushed item. */
class Inbox<T> {
  readonly items: T[] = [];
  private waiters: { pick: (t: T) => boolean; resolve: (t: T) => void }[] = [];

  push(item: T): void {
    this.items.push(item);
    for (const w of this.waiters.filter((x) => x.pick(item))) {
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(item);
    }
  }

  next(what: string, pick: (t: T) => boolean = () => true): Promise<T> {
    const have = this.items.find(pick);
    if (have !== undefined) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
      this.waiters.push({
        pick,
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
      });
    });
  }
}

/** A broker's FilterServerRegistry and nothing else. */
async function fakeBroker(): Promise<{
  port: number;
  registers: Inbox<v1.RegisterFilterServerRequest__Output>;
  unregisters: Inbox<v1.UnregisterFilterServerRequest__Output>;
  stop: () => Promise<void>;
}> {
  const registers = new Inbox<v1.RegisterFilterServerRequest__Output>();
  const unregisters = new Inbox<v1.UnregisterFilterServerRequest__Output>();
  const handlers: v1.FilterServerRegistryHandlers = {
    Register: unary<v1.RegisterFilterServerRequest__Output, v1.RegisterFilterServerResponse>('Register', (req) => {
      registers.push(req);
      return { brokerName: 'broker-a', brokerId: 0, expiresAfterMs: '30000' };
    }),
    Unregister: unary<v1.UnregisterFilterServerRequest__Output, v1.UnregisterFilterServerResponse>('Unregister', (req) => {
      unregisters.push(req);
      return {};
    }),
  };
  const server = await startGrpcServer('127.0.0.1', 0, [{ definition: orbitmqV1().FilterServerRegistry.service, implementation: handlers }]);
  return { port: server.port, registers, unregisters, stop: () => server.stop(100) };
}

interface Started {
  child: ChildProcess;
  ready: Record<string, unknown>;
  lines: Inbox<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** Starts the built app and resolves with the fields of its JSON "ready" line (as e2e/support/processes.ts does). */
function startFilterServer(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    // No name server from the environment: this test's fake broker is the only one.
    env: { ...process.env, ORBITMQ_LOG_FORMAT: 'json', NAMESRV_ADDR: '', ORBITMQ_NAMESRV_ADDR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = new Inbox<Record<string, unknown>>();
  let stderr = '';
  let partial = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return Promise.race([
    lines.next('the ready line', (l) => l.message === 'ready').then((ready) => ({ child, ready, lines, exited })),
    exited.then((code) => {
      throw new Error(`filter-server exited before ready (code ${code}); stderr: ${stderr}`);
    }),
  ]);
}

test('the built filter server registers with its broker, answers Match, and unregisters on SIGTERM', async (t) => {
  const broker = await fakeBroker();
  t.after(() => broker.stop());
  const app = await startFilterServer([
    '--listenHost',
    '127.0.0.1',
    '--listenPort',
    '0',
    '--metricsHost',
    '127.0.0.1',
    '--metricsPort',
    '0',
    '--brokerAddr',
    `127.0.0.1:${broker.port}`,
  ]);
  t.after(() => {
    if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
  });

  // The advertised endpoint is the bound address: listenHost 127.0.0.1 and the port picked for 0.
  const grpcPort = app.ready.grpcPort as number;
  assert.ok(Number.isInteger(grpcPort) && grpcPort > 0);
  assert.equal(app.ready.endpoint, `127.0.0.1:${grpcPort}`);
  const reg = await broker.registers.next('a Register');
  assert.equal(reg.endpoint, app.ready.endpoint);
  assert.match(reg.instanceId, /^[0-9a-f-]{36}$/);
  await app.lines.next('the registration log line', (l) => l.message === 'registered with broker' && l.brokerName === 'broker-a');

  const client = createClient(orbitmqV1().FilterService, `127.0.0.1:${grpcPort}`);
  t.after(() => client.close());
  const heads = Array.from({ length: 10 }, (_, i) => ({
    tag: i % 2 === 0 ? 'TagA' : 'TagB',
    keys: [`k${i}`],
    messageId: `id-${i}`,
    properties: encodeProperties({}, { n: String(i) }),
  }));
  heads.push({ tag: 'TagA', keys: [], messageId: 'bad', properties: Buffer.from([0, 0, 0]) });
  const res = await callUnary(client, client.Match, { expression: "TAGS = 'TagA' AND n IS NOT NULL", topic: 'T', group: 'G', heads }, { retries: 0 });
  // TagA and n present: heads 0, 2, 4, 6, 8; head 10's block is truncated: not matched.
  assert.deepEqual(res.matched, Buffer.from([0b0101_0101, 0b0000_0001]));
  assert.equal(res.evaluated, 11);
  await assert.rejects(
    callUnary(client, client.Match, { expression: 'n = ', topic: 'T', group: 'G', heads }, { retries: 0 }),
    (e: OrbitError) => e.code === 'ILLEGAL_FILTER_EXPRESSION',
  );

  const metrics = await (await fetch(`http://127.0.0.1:${String(app.ready.metricsPort)}/metrics`)).text();
  const series = (name: string, labels: string): RegExp => new RegExp(`^${name}\\{[^}]*${labels}[^}]*\\} (\\d+)$`, 'm');
  const value = (name: string, labels = ''): number => Number(series(name, labels).exec(metrics)?.[1] ?? Number.NaN);
  assert.equal(value('orbitmq_filter_server_evaluated_total', 'group="G",topic="T"'), 11);
  assert.equal(value('orbitmq_filter_server_matched_total', 'group="G",topic="T"'), 5);
  assert.equal(value('orbitmq_filter_server_eval_errors_total', 'group="G",topic="T"'), 1);
  assert.equal(value('orbitmq_filter_server_match_requests_total', 'code="OK"'), 1);
  assert.equal(value('orbitmq_filter_server_match_requests_total', 'code="ILLEGAL_FILTER_EXPRESSION"'), 1);
  assert.equal(value('orbitmq_filter_server_match_duration_seconds_count'), 1);
  assert.equal(value('orbitmq_filter_server_registered_brokers'), 1);
  for (const name of ['expression_cache_hits_total', 'expression_cache_misses_total', 'expression_cache_size']) {
    assert.ok(Number.isFinite(value(`orbitmq_filter_server_${name}`)), name);
  }

  app.child.kill('SIGTERM');
  const unreg = await broker.unregisters.next('an Unregister');
  assert.deepEqual({ endpoint: unreg.endpoint, instanceId: unreg.instanceId }, { endpoint: reg.endpoint, instanceId: reg.instanceId });
  assert.equal(await app.exited, 0);
});

test('without namesrvAddr and brokerAddr the filter server refuses to start with a config error (exit 2)', async () => {
  const child = spawn(process.execPath, [MAIN, '--listenPort', '0', '--metricsPort', '-1'], {
    env: { ...process.env, NAMESRV_ADDR: '', ORBITMQ_NAMESRV_ADDR: '', ORBITMQ_BROKER_ADDR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  assert.equal(code, 2);
  assert.match(stderr, /namesrvAddr.*brokerAddr/);
});
