import { clientOptions } from './meter';
import { MessagingClient, type OutgoingMessage } from '@orbitmq/client';
import { latencyHistogramUs, recordUs } from './histogram';
import { brokerRssBytes, everySecond, latencySummary } from './report';

export interface DelayOptions {
  endpoint: string;
  topic: string;
  group: string;
  /** Delayed messages to schedule. */
  count: number;
  /** The earliest due time is this long after the start... */
  minDelayMs: number;
  /** ...and due times spread evenly over this window after it. */
  spreadMs: number;
  /** Normal messages per second sent to `${topic}Load` meanwhile: the load. */
  loadRate: number;
  /** Also consume the load (receive/ack), so the broker serves both paths at once. */
  loadConsume: boolean;
  batch: number;
  size: number;
  metricsUrl?: string;
}

/** Longest a receive waits (long poll), and how many receives run at once per topic. */
const LONG_POLL_MS = 5_000;
const RECEIVERS = 4;
const RETRY_AFTER_FAILURE_MS = 200;

/**
 * Delay precision under load: schedules `count` delayed messages with due times spread over a
 * window, keeps a normal send+receive load running on another topic, and receives the delayed
 * ones. Lateness = time received by this consumer - delivery timestamp (same clock as the
 * broker's, both on this machine), so it includes the broker's timer, dispatch, long-poll wake-up
 * and the receive path.
 */
export async function runDelay(o: DelayOptions): Promise<Record<string, number | string | undefined>> {
  const client = new MessagingClient(o.endpoint, clientOptions());
  // Topics exist and the group is registered before anything is scheduled.
  await client.send([
    { topic: o.topic, body: Buffer.from('start') },
    { topic: `${o.topic}Load`, body: Buffer.from('start') },
  ]);
  await client.receive({ group: o.group, topic: o.topic, batchSize: 1, invisibleMs: 30_000, longPollMs: 0 }).catch(() => []);
  const loadTopic = `${o.topic}Load`;
  const lateness = latencyHistogramUs();
  const early: number[] = [];
  const body = Buffer.alloc(o.size, 0x61);
  const rssBefore = await brokerRssBytes(o.metricsUrl);
  let stop = false;
  let received = 0;
  const counts = { loadSent: 0, failures: 0 };
  let loadReceived = 0;

  const receiveLoop = async (topic: string, onMessage: (deliveryMs: number | undefined, nowMs: number) => void) => {
    while (!stop) {
      const msgs = await client.receive({ group: o.group, topic, batchSize: 32, invisibleMs: 30_000, longPollMs: LONG_POLL_MS }).catch(async () => {
        counts.failures++;
        await new Promise((r) => setTimeout(r, RETRY_AFTER_FAILURE_MS));
        return [];
      });
      const now = Date.now();
      for (const m of msgs) onMessage(m.deliveryTimestampMs, now);
      if (msgs.length > 0) await client.ack(o.group, topic, msgs).catch(() => counts.failures++);
    }
  };
  // Receivers first: the group starts where the broker first sees it.
  const receivers = [
    ...Array.from({ length: RECEIVERS }, () =>
      receiveLoop(o.topic, (due, now) => {
        if (due === undefined) return; // a normal message (the start marker)
        received++;
        if (now < due) early.push(due - now);
        recordUs(lateness, Math.max(0, now - due) * 1000);
      }),
    ),
    ...Array.from({ length: o.loadConsume ? RECEIVERS : 0 }, () => receiveLoop(loadTopic, () => void loadReceived++)),
  ];

  const startMs = Date.now();
  const stopReport = everySecond(
    () =>
      `delay: received ${received}/${o.count}, load sent ${counts.loadSent} received ${loadReceived}, lateness p99 ${latencySummary(lateness).p99Ms} ms, failures ${counts.failures}`,
  );
  const load = sendLoad(client, o, loadTopic, body, () => stop, counts);
  await scheduleDelayed(client, o, body, startMs, counts);
  const deadline = startMs + o.minDelayMs + o.spreadMs + 60_000;
  while (received < o.count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  stop = true;
  stopReport();
  await Promise.all([load, ...receivers]);
  client.close();
  const s = latencySummary(lateness);
  process.stdout.write(
    `delayed messages: ${received}/${o.count} received, ${early.length} early; lateness p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, p99.9 ${s.p999Ms} ms, max ${s.maxMs} ms; ` +
      `load ${Math.round(counts.loadSent / ((Date.now() - startMs) / 1000))} msg/s sent\n`,
  );
  return {
    workload: 'delay',
    messages: received,
    expected: o.count,
    early: early.length,
    ...s,
    loadSendTps: Math.round(counts.loadSent / ((Date.now() - startMs) / 1000)),
    failures: counts.failures,
    brokerRssBeforeBytes: rssBefore,
    brokerRssAfterBytes: await brokerRssBytes(o.metricsUrl),
  };
}

/** Normal sends on the load topic at o.loadRate msg/s (in 10 ms ticks) until stopped. */
async function sendLoad(
  client: MessagingClient,
  o: DelayOptions,
  loadTopic: string,
  body: Buffer,
  stopped: () => boolean,
  counts: { loadSent: number; failures: number },
): Promise<void> {
  const perTickMs = 10;
  const perTick = Math.max(1, Math.round((o.loadRate * perTickMs) / 1000));
  while (!stopped() && o.loadRate > 0) {
    const t0 = Date.now();
    const msgs: OutgoingMessage[] = Array.from({ length: perTick }, () => ({ topic: loadTopic, body }));
    const sends = [];
    for (let i = 0; i < msgs.length; i += o.batch) {
      const n = Math.min(o.batch, msgs.length - i);
      sends.push(
        client.send(msgs.slice(i, i + o.batch)).then(
          () => void (counts.loadSent += n),
          () => void counts.failures++,
        ),
      );
    }
    await Promise.all(sends);
    await new Promise((r) => setTimeout(r, Math.max(0, perTickMs - (Date.now() - t0))));
  }
}

/** The delayed messages, due times spread evenly over [minDelayMs, minDelayMs + spreadMs). */
async function scheduleDelayed(client: MessagingClient, o: DelayOptions, body: Buffer, startMs: number, counts: { failures: number }): Promise<void> {
  for (let i = 0; i < o.count; i += o.batch) {
    const n = Math.min(o.batch, o.count - i);
    const msgs = Array.from({ length: n }, (_, k) => ({
      topic: o.topic,
      body,
      deliveryTimestampMs: startMs + o.minDelayMs + Math.floor(((i + k) * o.spreadMs) / o.count),
    }));
    await client.send(msgs).catch(() => void (counts.failures += n));
  }
}
