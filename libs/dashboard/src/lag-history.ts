/**
 * Each group's lag over the last hour, kept by the dashboard itself (no Prometheus needed), and
 * what it says: how fast the group drains and when it will have caught up at that pace.
 *
 * Samples come from a background sampler and from every groups page served (so an ACL dashboard
 * whose own account may not list groups still learns while people look). Bounded: `keepSamples`
 * per group and `maxGroups` groups (the least recently sampled go first).
 */
export interface LagHistoryOptions {
  /** Samples closer together than half of this are merged (the sampler's period). */
  sampleIntervalMs: number;
  /** Samples kept per group (240 at 15 s: an hour). */
  keepSamples: number;
  maxGroups: number;
  nowMs?: () => number;
}

/** The drain rate is measured over the samples of this window. */
export const DRAIN_WINDOW_MS = 300_000;

export interface LagTrend {
  /** Lags, oldest first, one per sample. */
  lags: number[];
  /** When the first of `lags` was taken (ms since the epoch); 0 without samples. */
  sinceMs: number;
  /** Messages per second the lag fell over the last DRAIN_WINDOW_MS (negative: it grew); undefined with fewer than two samples. */
  drainPerSecond?: number;
  /** When the lag reaches 0 at that pace: 0 when it is 0 now; undefined when it does not fall. */
  etaMs?: number;
}

interface Series {
  at: number[];
  lag: number[];
}

export class LagHistory {
  private readonly byGroup = new Map<string, Series>();
  private readonly nowMs: () => number;

  constructor(private readonly options: LagHistoryOptions) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  record(groups: readonly { group: string; totalLag: number }[]): void {
    const now = this.nowMs();
    for (const g of groups) {
      let s = this.byGroup.get(g.group);
      if (s) this.byGroup.delete(g.group); // re-inserted: Map order is least recently sampled first
      s ??= { at: [], lag: [] };
      this.byGroup.set(g.group, s);
      const last = s.at.length - 1;
      if (last >= 0 && now - (s.at[last] as number) < this.options.sampleIntervalMs / 2) {
        s.lag[last] = g.totalLag; // too close to the previous sample: it is updated instead
        continue;
      }
      s.at.push(now);
      s.lag.push(g.totalLag);
      if (s.at.length > this.options.keepSamples) {
        s.at.shift();
        s.lag.shift();
      }
    }
    while (this.byGroup.size > this.options.maxGroups) this.byGroup.delete(this.byGroup.keys().next().value as string);
  }

  trend(group: string): LagTrend {
    const s = this.byGroup.get(group);
    if (!s || s.at.length === 0) return { lags: [], sinceMs: 0 };
    const n = s.at.length;
    const lastAt = s.at[n - 1] as number;
    const lastLag = s.lag[n - 1] as number;
    let first = n - 1;
    while (first > 0 && lastAt - (s.at[first - 1] as number) <= DRAIN_WINDOW_MS) first--;
    const base = { lags: [...s.lag], sinceMs: s.at[0] as number };
    if (first === n - 1) return lastLag === 0 ? { ...base, etaMs: 0 } : base;
    const drainPerSecond = (((s.lag[first] as number) - lastLag) * 1000) / (lastAt - (s.at[first] as number));
    if (lastLag === 0) return { ...base, drainPerSecond, etaMs: 0 };
    return drainPerSecond > 0 ? { ...base, drainPerSecond, etaMs: Math.round((lastLag / drainPerSecond) * 1000) } : { ...base, drainPerSecond };
  }

  /** Every kept sample of a group (times and lags, oldest first), for a chart of the hour. */
  series(group: string): { at: number[]; lag: number[] } {
    const s = this.byGroup.get(group);
    return s ? { at: [...s.at], lag: [...s.lag] } : { at: [], lag: [] };
  }

  get groupCount(): number {
    return this.byGroup.size;
  }
}

/** Samples every group's lag every intervalMs through `list` until stopped; a failed round is skipped. */
export function sampleLag(history: LagHistory, list: () => Promise<{ group: string; totalLag: number }[]>, intervalMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    list()
      .then((groups) => history.record(groups))
      .catch(() => undefined) // a cluster that does not answer leaves a gap, not an error page
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
