/**
 * One poll of the cluster per credential, shared by every open overview stream: ten browsers on
 * the cluster page cost the brokers what one does. The poll runs only while someone watches, and
 * each sample carries each broker's write rate (commit-log bytes per second between samples).
 */

/** What a stream sends (the /api/overview answer plus rates). */
export interface OverviewSample<T> {
  sampledAtMs: number;
  overview: T;
  /** "brokerName/brokerId" -> bytes appended per second since the previous sample. */
  writeBytesPerSecond: Record<string, number>;
}

export type Subscriber<T> = (sample: OverviewSample<T> | { error: string }) => void;

/** The pieces of an overview a rate is computed from. */
export interface RatedOverview {
  brokers: { brokerName: string; brokerId: number; ok: boolean; status?: { endOffset: string } }[];
}

class Poll<T extends RatedOverview> {
  readonly subscribers = new Set<Subscriber<T>>();
  private timer: NodeJS.Timeout | undefined;
  private last: OverviewSample<T> | undefined;
  private running = false;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly intervalMs: number,
    private readonly nowMs: () => number,
  ) {}

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The latest sample for a new subscriber (it gets the next one anyway). */
  get latest(): OverviewSample<T> | undefined {
    return this.last;
  }

  private async tick(): Promise<void> {
    // A slow cluster is not asked again while the previous poll is still out.
    if (this.running) return;
    this.running = true;
    try {
      const overview = await this.load();
      const sample = { sampledAtMs: this.nowMs(), overview, writeBytesPerSecond: rates(this.last, overview, this.nowMs()) };
      this.last = sample;
      for (const s of this.subscribers) s(sample);
    } catch (e) {
      for (const s of this.subscribers) s({ error: (e as Error).message });
    } finally {
      this.running = false;
    }
  }
}

function rates<T extends RatedOverview>(prev: OverviewSample<T> | undefined, now: T, nowMs: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (!prev) return out;
  const seconds = (nowMs - prev.sampledAtMs) / 1000;
  if (seconds <= 0) return out;
  const before = new Map(prev.overview.brokers.filter((b) => b.status).map((b) => [`${b.brokerName}/${b.brokerId}`, Number(b.status?.endOffset)]));
  for (const b of now.brokers) {
    const key = `${b.brokerName}/${b.brokerId}`;
    const was = before.get(key);
    if (b.status && was !== undefined) out[key] = Math.max(0, (Number(b.status.endOffset) - was) / seconds);
  }
  return out;
}

export class OverviewHub<T extends RatedOverview> {
  private readonly polls = new Map<string, Poll<T>>();
  private streams = 0;

  constructor(
    private readonly intervalMs: number,
    /** Streams open at once (each is a held connection). */
    private readonly maxStreams: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  get openStreams(): number {
    return this.streams;
  }

  /**
   * Joins (or starts) the poll of `key` (one per credential); undefined when maxStreams are open.
   * The returned function leaves it; the last one to leave stops the poll.
   */
  subscribe(key: string, load: () => Promise<T>, subscriber: Subscriber<T>): (() => void) | undefined {
    if (this.streams >= this.maxStreams) return undefined;
    let poll = this.polls.get(key);
    if (!poll) {
      poll = new Poll(load, this.intervalMs, this.nowMs);
      this.polls.set(key, poll);
      poll.start();
    } else if (poll.latest) subscriber(poll.latest);
    poll.subscribers.add(subscriber);
    this.streams++;
    const joined = poll;
    return () => {
      if (!joined.subscribers.delete(subscriber)) return;
      this.streams--;
      if (joined.subscribers.size === 0) {
        joined.stop();
        this.polls.delete(key);
      }
    };
  }

  close(): void {
    for (const p of this.polls.values()) p.stop();
    this.polls.clear();
  }
}
