import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

/**
 * Official-client drivers in child processes (see sdk-*-driver.ts for why): a producer that keeps
 * sending and reports acknowledgements, and a consumer that creates its group or drains a topic.
 */
export interface ProducerRun {
  child: ChildProcess;
  acked: Set<string>;
}

export function produceInChild(endpoint: string, topic: string, workers: number): ProducerRun {
  const child = spawn(process.execPath, [path.join(__dirname, 'sdk-producer-driver.js'), endpoint, topic, String(workers)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acked = new Set<string>();
  let partial = '';
  child.stdout?.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) if (l.startsWith('acked ')) acked.add(l.slice(6));
  });
  return { child, acked };
}

/** Runs a consumer driver to completion and returns the message ids it got (in order). */
export async function consumeInChild(endpoint: string, group: string, topic: string, mode: 'create' | 'drain'): Promise<string[]> {
  const child = spawn(process.execPath, [path.join(__dirname, 'sdk-consumer-driver.js'), endpoint, group, topic, mode, process.env.E2E_DRAIN_IDLE ?? '3'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  // 'close', not 'exit': the last of its output may still be unread at 'exit'.
  const code = await new Promise<number | null>((r) => child.once('close', r));
  assert.equal(code, 0, `consumer driver failed: ${err}`);
  return out
    .split('\n')
    .filter((l) => l.startsWith('got '))
    .map((l) => l.split(' ')[1] as string);
}

/** SIGKILLs a producer driver and resolves once everything it printed has been read (its acks are final then). */
export async function stopProducer(run: ProducerRun): Promise<Set<string>> {
  const closed = new Promise((r) => (run.child.stdout?.readableEnded ? r(undefined) : run.child.stdout?.once('close', r)));
  run.child.kill('SIGKILL');
  await closed;
  return new Set(run.acked);
}
