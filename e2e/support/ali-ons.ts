import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import type { DriverConfig } from './ali-ons-driver';
import { eventually, runToExit } from './processes';

/** One JSON line printed by ali-ons-driver. */
export interface DriverEvent {
  ev: string;
  [field: string]: unknown;
}

/** What the driver reports per delivery ("consumed" or "failed"). */
export interface Delivery {
  ev: 'consumed' | 'failed';
  topic: string;
  body: string;
  bodyLength: number;
  tags: string | null;
  keys: string | undefined;
  properties: Record<string, string>;
  msgId: string;
  reconsumeTimes: number;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  storeHost: string;
  bornHost: string;
  originMessageId: string | undefined;
  retryTopic: string | undefined;
}

export interface Sent {
  ev: 'sent';
  id: number;
  msgId: string;
  status: string;
  queueId: number;
  queueOffset: number;
}

export interface SendRequest {
  topic: string;
  tags?: string;
  keys?: string[];
  props?: Record<string, string>;
  body?: string;
  bodySize?: number;
}

const running = new Set<AliOnsDriver>();

/**
 * An ali-ons client in a child process (see ali-ons-driver.ts): its events, waits on them with a
 * deadline, and commands (send, close).
 */
export class AliOnsDriver {
  readonly events: DriverEvent[] = [];
  private stderr = '';
  private nextId = 1;
  private readonly listeners = new Set<() => void>();
  private readonly exited: Promise<number | null>;
  private stdioClosed = false;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    let partial = '';
    child.stdout?.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        try {
          this.events.push(JSON.parse(line) as DriverEvent);
        } catch {
          this.events.push({ ev: 'stdout', text: line });
        }
      }
      this.notify();
    });
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString();
      if (this.stderr.length > 20_000) this.stderr = this.stderr.slice(-10_000);
    });
    // 'close', not 'exit': 'exit' may come before the last of stdout is read (the driver writes its
    // "closed" event and exits at once), and a wait would then see the driver gone without its event.
    this.exited = new Promise((r) =>
      child.once('close', (code) => {
        this.stdioClosed = true;
        running.delete(this);
        r(code);
        this.notify();
      }),
    );
    running.add(this);
  }

  /** Starts a driver and resolves once its client is ready (ali-ons' ready(): routes, heartbeat, rebalance done). */
  static async start(name: string, config: DriverConfig, env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000): Promise<AliOnsDriver> {
    const child = spawn(process.execPath, [path.join(__dirname, 'ali-ons-driver.js'), JSON.stringify(config)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const d = new AliOnsDriver(name, child);
    await d.waitFor(`${name} ready`, (evs) => evs.find((e) => e.ev === 'ready'), timeoutMs);
    return d;
  }

  /** Until the driver has exited and all its output was read. */
  get alive(): boolean {
    return !this.stdioClosed;
  }

  /**
   * Resolves with the first non-undefined value of `check` over the events so far, re-checked on
   * every new event; rejects at the deadline or when the driver exits first.
   */
  waitFor<T>(what: string, check: (events: DriverEvent[]) => T | undefined, timeoutMs = 30_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const done = (fn: () => void): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        fn();
      };
      const listener = (): void => {
        let v: T | undefined;
        try {
          v = check(this.events);
        } catch (err) {
          done(() => reject(err as Error));
          return;
        }
        if (v !== undefined) done(() => resolve(v as T));
        else if (!this.alive) done(() => reject(new Error(`${this.name} exited while waiting for ${what}\n${this.describe()}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.describe()}`))), timeoutMs);
      this.listeners.add(listener);
      listener();
    });
  }

  /** Deliveries reported by a consumer driver. */
  deliveries(kind: 'consumed' | 'failed' = 'consumed'): Delivery[] {
    return this.events.filter((e) => e.ev === kind) as unknown as Delivery[];
  }

  /** The consumer's latest assigned queues ("brokerName:queueId"). */
  queues(): string[] {
    const last = [...this.events].reverse().find((e) => e.ev === 'queues');
    return (last?.queues as string[] | undefined) ?? [];
  }

  /** Waits until the consumer pulls exactly `count` queues of its topic. */
  waitForQueues(count: number, timeoutMs = 30_000): Promise<string[]> {
    return this.waitFor(`${this.name} to pull ${count} queues`, () => (this.queues().length === count ? this.queues() : undefined), timeoutMs);
  }

  /** Waits until every body in `bodies` was consumed (successfully) at least once. */
  waitForBodies(bodies: Iterable<string>, timeoutMs = 30_000): Promise<Delivery[]> {
    const want = new Set(bodies);
    return this.waitFor(
      `${this.name} to consume ${want.size} messages`,
      () => {
        const got = this.deliveries();
        const have = new Set(got.map((d) => d.body));
        for (const b of want) if (!have.has(b)) return undefined;
        return got;
      },
      timeoutMs,
    );
  }

  /** Sends one message through a producer driver; resolves with ali-ons' SendResult or rejects with the client's error. */
  async send(req: SendRequest, timeoutMs = 15_000): Promise<Sent> {
    const id = this.nextId++;
    this.child.stdin?.write(`${JSON.stringify({ op: 'send', id, ...req })}\n`);
    const ev = await this.waitFor(`${this.name} send #${id}`, (evs) => evs.find((e) => (e.ev === 'sent' || e.ev === 'sendFailed') && e.id === id), timeoutMs);
    if (ev.ev === 'sendFailed') throw new Error(`ali-ons send failed: ${String(ev.name)} code=${String(ev.code)} ${String(ev.text)}`);
    return ev as unknown as Sent;
  }

  /** Closes the client (unregister, offset persistence) and waits for the process to exit; the "closed" event. */
  async close(timeoutMs = 20_000): Promise<DriverEvent> {
    if (!this.alive) throw new Error(`${this.name} is not running\n${this.describe()}`);
    this.child.stdin?.write(`${JSON.stringify({ op: 'close' })}\n`);
    try {
      const ev = await this.waitFor(`${this.name} closed`, (evs) => evs.find((e) => e.ev === 'closed'), timeoutMs);
      await this.exited;
      return ev;
    } finally {
      this.kill();
    }
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** The last events and stderr, for failure messages. */
  describe(): string {
    const tail = this.events
      .filter((e) => e.ev !== 'queues')
      .slice(-25)
      .map((e) => JSON.stringify(e).slice(0, 400));
    return `--- ${this.name}: last events ---\n${tail.join('\n')}\n--- stderr ---\n${this.stderr.slice(-3000)}`;
  }
}

/** SIGKILLs every driver still running. */
export function killAliOnsDrivers(): void {
  for (const d of running) d.kill();
}

/** ali-ons' message id as it computes it: upper-case hex of store host IPv4 (4 bytes), port (i32), commit-log offset (i64). */
export function offsetMsgIdPrefix(ipv4: string, port: number): string {
  const ip = Buffer.from(ipv4.split('.').map(Number));
  const p = Buffer.alloc(4);
  p.writeInt32BE(port);
  return Buffer.concat([ip, p]).toString('hex').toUpperCase();
}

export function mqadmin(nsAddr: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return runToExit('tools/mqadmin/dist/src/main.js', [...args, '-n', nsAddr]);
}

/**
 * ali-ons needs the topic to exist: a route lookup answered TOPIC_NOT_EXIST (17) makes send() throw
 * (it never falls back to TBW102) and leaves a consumer without queues until its next route poll.
 */
export async function createTopic(nsAddr: string, topic: string, queues = 4): Promise<void> {
  const r = mqadmin(nsAddr, 'updateTopic', '-t', topic, '-c', 'DefaultCluster', '-r', String(queues), '-w', String(queues));
  assert.equal(r.status, 0, r.stderr);
  await eventually(
    `route of ${topic} on the name server`,
    async () => (mqadmin(nsAddr, 'topicRoute', '-t', topic, '--json').status === 0 ? true : undefined),
    15_000,
    200,
  );
}

/** A group's committed offsets per queue id (mqadmin consumerProgress). */
export function committedOffsets(nsAddr: string, group: string, topic: string): Map<number, number> {
  const r = mqadmin(nsAddr, 'consumerProgress', '-g', group, '-t', topic, '-c', 'DefaultCluster', '--json');
  if (r.status !== 0) throw new Error(r.stderr);
  const out = JSON.parse(r.stdout) as { queues: { topic: string; queueId: number; consumerOffset: string | number }[] };
  return new Map(out.queues.filter((q) => q.topic === topic).map((q) => [Number(q.queueId), Number(q.consumerOffset)]));
}

export async function waitCommitted(nsAddr: string, group: string, topic: string, total: number): Promise<void> {
  await eventually(
    `${group} to commit ${total} messages of ${topic}`,
    async () => {
      const sum = [...committedOffsets(nsAddr, group, topic).values()].filter((o) => o > 0).reduce((a, b) => a + b, 0);
      return sum >= total ? true : undefined;
    },
    20_000,
    200,
  );
}

/** Every body delivered exactly once (successfully). */
export function assertOnce(deliveries: Delivery[], bodies: string[], who: string): void {
  const counts = new Map<string, number>();
  for (const d of deliveries) counts.set(d.body, (counts.get(d.body) ?? 0) + 1);
  assert.deepEqual([...counts.keys()].sort(), [...bodies].sort(), `${who}: exactly these bodies`);
  const dup = [...counts].filter(([, n]) => n > 1);
  assert.deepEqual(dup, [], `${who}: no body consumed twice`);
}
