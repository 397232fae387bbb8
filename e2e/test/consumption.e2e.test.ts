/**
 * Consumption beyond receive/ack, with the official client: PushConsumer (QueryAssignment,
 * auto-renew, nacks), FIFO order per message group, and the dead-letter queue after max attempts.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Producer, SimpleConsumer } from 'rocketmq-client-nodejs';
import { clientEndpoint, startBroker, startNamesrv } from '../support/cluster';
import { type AppProcess, eventually, grpcAddress, stopAll } from '../support/processes';
import { sdkLogger } from '../support/sdk';

let endpoint: string;
const shutdowns: (() => Promise<unknown>)[] = [];

before(async () => {
  const namesrv: AppProcess = await startNamesrv();
  const broker = await startBroker(grpcAddress(namesrv));
  endpoint = clientEndpoint(broker);
});

after(async () => {
  for (const s of shutdowns.reverse()) await s().catch(() => undefined);
  await stopAll();
});

async function producer(): Promise<Producer> {
  const p = new Producer({ namespace: '', logger: sdkLogger('producer'), endpoints: endpoint });
  await p.startup();
  shutdowns.push(() => p.shutdown());
  return p;
}

interface PushRun {
  lines: string[];
  exited: Promise<number | null>;
}

/** Starts a PushConsumer driver (its own process; see sdk-push-driver.ts) and waits until it runs. */
async function pushConsumer(group: string, topic: string, expect: number, flags: string[] = []): Promise<PushRun> {
  const child = spawn(process.execPath, [path.join(__dirname, '../support/sdk-push-driver.js'), endpoint, group, topic, String(expect), ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  shutdowns.push(async () => child.kill('SIGKILL'));
  await eventually('push consumer started', async () => {
    if (child.exitCode !== null) throw new Error(`push driver exited: ${stderr}`);
    return lines.includes('started') ? true : undefined;
  }, 30_000, 50);
  return { lines, exited };
}

function parse(lines: string[], kind: 'consumed' | 'failed'): { body: string; attempt: number; group: string }[] {
  return lines.filter((l) => l.startsWith(`${kind} `)).map((l) => {
    const [, body, attempt, group] = l.split(' ');
    return { body: body as string, attempt: Number(attempt), group: group ?? '' };
  });
}

test('PushConsumer receives everything; a failed consume comes back with delivery attempt + 1', async () => {
  const topic = 'E2EPushTopic';
  const run = await pushConsumer('GroupPush', topic, 200, ['--fail-first-every', '10']);
  const p = await producer();
  for (let i = 0; i < 200; i++) await p.send({ topic, tag: 'T', body: Buffer.from(`m-${i}`) });
  assert.equal(await run.exited, 0, 'the consumer saw all 200 succeed');
  const consumed = new Map(parse(run.lines, 'consumed').map((c) => [c.body, c.attempt]));
  const failed = parse(run.lines, 'failed');
  assert.equal(consumed.size, 200);
  assert.equal(failed.length, 20);
  for (const f of failed) {
    assert.equal(f.attempt, 1);
    assert.equal(consumed.get(f.body), 2, `${f.body} succeeded on its second delivery`);
  }
  for (const [body, attempt] of consumed) if (!failed.some((f) => f.body === body)) assert.equal(attempt, 1, `${body} first time`);
});

test('FIFO: each message group in send order, one at a time; a poison message goes to the DLQ and its group continues', async () => {
  const topic = 'E2EFifoTopic';
  const group = 'GroupFifo';
  // Subscribed before anything is dead-lettered, so the DLQ consumer starts at its beginning.
  const dlq = new SimpleConsumer({ namespace: '', logger: sdkLogger('dlq'), consumerGroup: 'GroupDlqReader', endpoints: endpoint, subscriptions: new Map([[`%DLQ%${group}`, '*']]), awaitDuration: 2_000 });
  await dlq.startup();
  shutdowns.push(() => dlq.shutdown());
  const groups = ['g0', 'g1', 'g2', 'g3', 'g4'];
  const run = await pushConsumer(group, topic, 99, ['--poison', 'g2#5']);
  const p = await producer();
  for (let seq = 0; seq < 20; seq++) for (const g of groups) await p.send({ topic, messageGroup: g, body: Buffer.from(`${g}#${seq}`) });
  assert.equal(await run.exited, 0, 'the consumer saw all 99 good messages succeed');

  const consumed = parse(run.lines, 'consumed');
  for (const g of groups) {
    const expected = Array.from({ length: 20 }, (_, i) => i).filter((i) => !(g === 'g2' && i === 5));
    assert.deepEqual(consumed.filter((c) => c.group === g).map((c) => Number(c.body.split('#')[1])), expected, `group ${g} in send order`);
  }
  assert.deepEqual(run.lines.filter((l) => l.startsWith('overlap')), [], 'never two messages of one group at a time');
  const poisonTries = parse(run.lines, 'failed').filter((f) => f.body === 'g2#5');
  assert.equal(poisonTries.length, 16, 'the poison message was delivered maxDeliveryAttempts times');
  assert.deepEqual(poisonTries.map((f) => f.attempt), Array.from({ length: 16 }, (_, i) => i + 1));

  const dead = await eventually('the poison message in the DLQ', async () => {
    const got = await dlq.receive(16, 10_000);
    for (const m of got) await dlq.ack(m);
    return got.length > 0 ? got : undefined;
  }, 30_000, 200);
  assert.equal(dead.length, 1);
  assert.equal(dead[0]?.body.toString(), 'g2#5');
  assert.equal(dead[0]?.messageGroup, 'g2');
});
