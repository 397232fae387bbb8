/**
 * Messages per second written to each topic, from the messages-written counts of successive topic
 * pages (ListTopicStats): the dashboard keeps each topic's last count and when it saw it, so a page
 * shown again (the topics page refreshes itself) has a rate without Prometheus.
 */
export interface TopicRateOptions {
  /** Topics whose last count is kept (the least recently seen go first). */
  maxTopics: number;
  /** A previous count older than this gives no rate (it would average over too long). */
  maxAgeMs: number;
  nowMs?: () => number;
}

/** Counts closer together than this keep the older sample (a rate over milliseconds says little). */
const MIN_INTERVAL_MS = 1_000;

export class TopicRates {
  private readonly last = new Map<string, { written: number; atMs: number; rate: number | undefined }>();
  private readonly nowMs: () => number;

  constructor(private readonly options: TopicRateOptions) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** Records `written` for `topic`; returns messages/s since the previous count, or undefined without a usable one. */
  observe(topic: string, written: number): number | undefined {
    const now = this.nowMs();
    const prev = this.last.get(topic);
    // A count below the last one: the topic was deleted and made again; start over.
    const usable = prev && written >= prev.written ? prev : undefined;
    if (usable && now - usable.atMs < MIN_INTERVAL_MS) return usable.rate;
    const rate = usable && now - usable.atMs <= this.options.maxAgeMs ? ((written - usable.written) * 1000) / (now - usable.atMs) : undefined;
    this.last.delete(topic); // re-inserted: Map order is least recently seen first
    this.last.set(topic, { written, atMs: now, rate });
    while (this.last.size > this.options.maxTopics) this.last.delete(this.last.keys().next().value as string);
    return rate;
  }
}
