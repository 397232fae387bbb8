import type { AppProcess } from './processes';

/** An app's Prometheus text (its ready line names the metrics port). */
export async function metricsOf(p: AppProcess): Promise<string> {
  return (await fetch(`http://127.0.0.1:${String(p.ready.metricsPort)}/metrics`)).text();
}

/** The sum of a metric's series whose labels include every `want` pair. */
export function counterSum(text: string, name: string, want: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(want).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
