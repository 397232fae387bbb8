import type { Histogram } from './histogram';

/** Percentiles of a µs histogram in ms, as every workload reports them. */
export function latencySummary(h: Histogram): { p50Ms: number; p99Ms: number; p999Ms: number; maxMs: number; avgMs: number } {
  const ms = (us: number) => Math.round(us) / 1000;
  return { p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), p999Ms: ms(h.percentile(99.9)), maxMs: ms(h.max), avgMs: ms(h.mean()) };
}

/** Prints a line every second from `line()` until stopped. */
export function everySecond(line: () => string): () => void {
  const timer = setInterval(() => process.stdout.write(`${line()}\n`), 1_000);
  return () => clearInterval(timer);
}

/** The broker's resident memory from its Prometheus endpoint (process_resident_memory_bytes). */
export async function brokerRssBytes(metricsUrl: string | undefined): Promise<number | undefined> {
  if (!metricsUrl) return undefined;
  try {
    const text = await (await fetch(metricsUrl)).text();
    const line = text.split('\n').find((l) => l.startsWith('process_resident_memory_bytes'));
    return line ? Number(line.split(' ').pop()) : undefined;
  } catch {
    return undefined;
  }
}
