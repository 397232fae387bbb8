import { percentileUs, type LatencyHistogramUs } from './histogram';

/** Percentiles of a µs histogram in ms, as every workload reports them. */
export function latencySummary(h: LatencyHistogramUs): { p50Ms: number; p99Ms: number; p999Ms: number; maxMs: number; avgMs: number } {
  const ms = (us: number) => Math.round(us) / 1000;
  const p = (percentile: number) => ms(percentileUs(h, percentile));
  // HdrHistogram's mean uses each bucket's middle value: within 0.05 %, exact below 2048 µs.
  return { p50Ms: p(50), p99Ms: p(99), p999Ms: p(99.9), maxMs: ms(h.totalCount === 0 ? 0 : h.maxValue), avgMs: ms(h.mean) };
}

/** Prints a line every second from `line()` until stopped. */
export function everySecond(line: () => string): () => void {
  const timer = setInterval(() => process.stdout.write(`${line()}\n`), 1_000);
  return () => clearInterval(timer);
}

async function metricsText(metricsUrl: string | undefined): Promise<string | undefined> {
  if (!metricsUrl) return undefined;
  try {
    return await (await fetch(metricsUrl)).text();
  } catch {
    return undefined;
  }
}

/** The broker's resident memory from its Prometheus endpoint (process_resident_memory_bytes). */
export async function brokerRssBytes(metricsUrl: string | undefined): Promise<number | undefined> {
  const line = (await metricsText(metricsUrl))?.split('\n').find((l) => l.startsWith('process_resident_memory_bytes'));
  return line ? Number(line.split(' ').pop()) : undefined;
}

/** The broker's flush mode (ASYNC_FLUSH / SYNC_FLUSH) from its rocketmq_broker_info gauge, 'unknown' without one. */
export async function brokerFlushMode(metricsUrl: string | undefined): Promise<string> {
  const text = await metricsText(metricsUrl);
  return /rocketmq_broker_info\{[^}]*flush_disk_type="([A-Z_]+)"/.exec(text ?? '')?.[1] ?? 'unknown';
}
