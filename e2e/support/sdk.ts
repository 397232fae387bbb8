import { Producer, SimpleConsumer } from 'rocketmq-client-nodejs';
import { format } from 'node:util';

/**
 * A logger for the official client in tests. The client's default logger is a process-wide file
 * logger that the first client's shutdown() closes, after which every other client's log call
 * throws; a private logger per client avoids that. Keeps the last lines for failure messages.
 */
export function sdkLogger(name: string): {
  info(...a: unknown[]): void;
  warn(...a: unknown[]): void;
  error(...a: unknown[]): void;
  debug(...a: unknown[]): void;
  lines: string[];
} {
  const lines: string[] = [];
  const push = (level: string, args: unknown[]) => {
    lines.push(`${level} [${name}] ${format(...args)}`);
    if (lines.length > 200) lines.shift();
    if (process.env.E2E_SDK_LOG) process.stderr.write(`${lines[lines.length - 1]}\n`);
  };
  return {
    info: (...a) => push('info', a),
    warn: (...a) => push('warn', a),
    error: (...a) => push('error', a),
    debug: () => undefined,
    lines,
  };
}

/** `fn` the first time; the same promise after. */
export function once(fn: () => Promise<unknown>): () => Promise<unknown> {
  let p: Promise<unknown> | undefined;
  return () => (p ??= fn());
}

/** Teardown steps may not hang the file: an SDK client whose broker was killed can wait forever. */
export const bounded = (p: Promise<unknown>, ms = 10_000): Promise<unknown> =>
  Promise.race([p.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, ms).unref())]);

/**
 * An official-client producer on `endpoint`, started; `stop` shuts it down once, and is pushed on
 * `shutdowns` for teardown when a test fails first. Stop it while its broker still runs.
 */
export async function startSdkProducer(
  endpoint: string,
  name: string,
  shutdowns: (() => Promise<unknown>)[],
): Promise<{ producer: Producer; stop: () => Promise<unknown> }> {
  const producer = new Producer({ namespace: '', logger: sdkLogger(name), endpoints: endpoint });
  await producer.startup();
  const stop = once(() => producer.shutdown());
  shutdowns.push(stop);
  return { producer, stop };
}

/** An official-client SimpleConsumer of `topic` in `group`, started, stopped like startSdkProducer's. */
export async function startSdkConsumer(
  endpoint: string,
  name: string,
  group: string,
  topic: string,
  shutdowns: (() => Promise<unknown>)[],
): Promise<{ consumer: SimpleConsumer; stop: () => Promise<unknown> }> {
  const subscriptions = new Map([[topic, '*']]);
  const consumer = new SimpleConsumer({ namespace: '', logger: sdkLogger(name), consumerGroup: group, endpoints: endpoint, subscriptions, awaitDuration: 2_000 });
  await consumer.startup();
  const stop = once(() => consumer.shutdown());
  shutdowns.push(stop);
  return { consumer, stop };
}
