import { Meter } from './meter';
import { Pacer } from './pacer';
import { type ReceiveOptions, startReceivers } from './receivers';
import { brokerFlushMode, brokerRssBytes, everySecond, latencySummary } from './report';
import { type SendOptions, runSenders } from './senders';

export type Workload = 'producer' | 'consumer' | 'e2e';

export interface RunOptions extends SendOptions, ReceiveOptions {
  /** Run this long when `count` is 0; with a count, the longest the run may take (default 600 s). */
  durationSec?: number;
  /** Seconds at the start left out of rates and percentiles (JIT warm-up, topic creation). */
  warmupSec: number;
  /** Target send rate in msg/s (0: as fast as the window allows). */
  rate: number;
  metricsUrl?: string;
}

/** After the last send, how long an e2e run waits for the consumer to catch up. */
const DRAIN_TIMEOUT_MS = 15_000;
/** Run time without a count or a duration. */
const DEFAULT_DURATION_SEC = 10;
/** With a count, the run's limit when no duration is given. */
const COUNT_TIMEOUT_SEC = 600;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * producer: send only; latency = send round trip. consumer: receive only (what is stored or
 * arrives); e2e: both at once; latency = sent (stamped in the body) → received by this process.
 */
export async function runWorkload(kind: Workload, o: RunOptions): Promise<Record<string, unknown>> {
  const meter = new Meter();
  const [rssBefore, flushMode] = await Promise.all([brokerRssBytes(o.metricsUrl), brokerFlushMode(o.metricsUrl)]);
  const produce = kind !== 'consumer';
  const consume = kind !== 'producer';
  const limitSec = o.durationSec ?? (o.count > 0 ? COUNT_TIMEOUT_SEC : DEFAULT_DURATION_SEC);
  let stopConsumers = false;
  const receivers = consume ? await startReceivers(o, meter, () => stopConsumers) : undefined;
  const startMs = performance.now();
  const endMs = startMs + limitSec * 1000;
  meter.measuredFromMs = startMs;
  const warmup = o.warmupSec > 0 ? setTimeout(() => meter.startMeasuring(), o.warmupSec * 1000) : undefined;
  const stopReport = everySecond(() => `${kind}: ${meter.line()}`);
  if (produce) {
    await runSenders({ ...o, count: kind === 'e2e' || kind === 'producer' ? o.count : 0 }, new Pacer(o.rate, startMs), meter, () => performance.now() >= endMs);
  }
  const sendEndMs = performance.now();
  if (consume) {
    const target = produce ? meter.sent : o.count;
    const giveUpMs = produce ? sendEndMs + DRAIN_TIMEOUT_MS : endMs;
    while (performance.now() < giveUpMs && (target === 0 || meter.received < target)) await sleep(20);
    stopConsumers = true;
    await receivers?.done;
  }
  stopReport();
  clearTimeout(warmup);
  return summarize(kind, o, meter, { startMs: meter.measuredFromMs, sendEndMs, rssBefore, flushMode, rssAfter: await brokerRssBytes(o.metricsUrl) });
}

function summarize(
  kind: Workload,
  o: RunOptions,
  meter: Meter,
  t: { startMs: number; sendEndMs: number; rssBefore?: number; rssAfter?: number; flushMode: string },
): Record<string, unknown> {
  const measuredSent = meter.sent - meter.sentBeforeMeasuring;
  const measuredReceived = meter.received - meter.receivedBeforeMeasuring;
  const sendTps = measuredSent > 0 ? Math.round(measuredSent / ((t.sendEndMs - t.startMs) / 1000)) : 0;
  const receiveSec = meter.lastReceivedMs !== undefined ? (meter.lastReceivedMs - t.startMs) / 1000 : 0;
  const receiveTps = receiveSec > 0 ? Math.round(measuredReceived / receiveSec) : 0;
  const latency = kind === 'producer' ? latencySummary(meter.sendRtUs) : latencySummary(meter.e2eUs);
  const sendRt = latencySummary(meter.sendRtUs);
  const consume = kind !== 'producer';
  const mb = (b?: number) => (b === undefined ? 'n/a' : `${Math.round(b / 2 ** 20)} MB`);
  const lines = [
    `${kind} summary${o.warmupSec > 0 ? ` (after a ${o.warmupSec} s warm-up)` : ''} (${o.sdk ? 'official client' : 'thin client'}, broker ${t.flushMode}, ${o.size} B bodies, ${o.sdk ? `${o.concurrency} one-message calls in flight` : `batch ${o.batch}, concurrency ${o.concurrency}`}${o.rate ? `, rate ${o.rate}/s` : ''}${consume ? `, consumer ${o.mode}` : ''}):`,
    `  sent ${meter.sent} (${sendTps} msg/s), received ${meter.received} (${receiveTps} msg/s), failures ${meter.failures}`,
    `  ${kind === 'producer' ? 'send RT' : 'end-to-end latency'}: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms, p99.9 ${latency.p999Ms} ms, max ${latency.maxMs} ms`,
    ...(kind === 'e2e' ? [`  send RT: p50 ${sendRt.p50Ms} ms, p99 ${sendRt.p99Ms} ms, max ${sendRt.maxMs} ms`] : []),
    `  broker RSS ${mb(t.rssBefore)} before, ${mb(t.rssAfter)} after`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return {
    workload: kind,
    client: o.sdk ? 'rocketmq-client-nodejs' : 'thin',
    protocol: o.protocol,
    consumerMode: consume ? o.mode : undefined,
    flushMode: t.flushMode,
    messages: kind === 'producer' ? meter.sent : meter.received,
    sendTps,
    receiveTps,
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    p999Ms: latency.p999Ms,
    maxMs: latency.maxMs,
    avgMs: latency.avgMs,
    sendRtP99Ms: sendRt.p99Ms,
    failures: meter.failures,
    warmupSec: o.warmupSec,
    sent: meter.sent,
    received: meter.received,
    brokerRssBeforeBytes: t.rssBefore,
    brokerRssAfterBytes: t.rssAfter,
  };
}
