/** One filter server a broker knows of: from its registrations, and what the broker saw calling it. */
export interface FilterServerEntry {
  endpoint: string;
  instanceId: string;
  lastSeenMs: number;
  /** Match calls sent and not yet answered. */
  inflight: number;
  /** Until then, no work goes to it (it failed a call). */
  circuitOpenUntilMs: number;
  failures: number;
}

/**
 * The filter servers registered with this broker (3.x's FilterServerManager): a Register is also
 * the heartbeat; one silent for `expiryMs` is dropped. Pure state with an injected clock.
 */
export class FilterServerTable {
  private readonly entries = new Map<string, FilterServerEntry>();

  constructor(
    readonly expiryMs: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** True when the endpoint is new, or a new process (instance) on a known endpoint. */
  register(endpoint: string, instanceId: string): boolean {
    const now = this.nowMs();
    const e = this.entries.get(endpoint);
    if (e && e.instanceId === instanceId) {
      e.lastSeenMs = now;
      return false;
    }
    // A restarted server is a fresh start: its predecessor's failures do not count against it.
    this.entries.set(endpoint, { endpoint, instanceId, lastSeenMs: now, inflight: e?.inflight ?? 0, circuitOpenUntilMs: 0, failures: 0 });
    return true;
  }

  /** A graceful stop: no more work to it. True if it was registered. */
  unregister(endpoint: string, instanceId: string): boolean {
    const e = this.entries.get(endpoint);
    if (!e || (instanceId !== '' && e.instanceId !== instanceId)) return false;
    return this.entries.delete(endpoint);
  }

  /** Drops servers silent for longer than expiryMs; returns their endpoints. */
  expire(): string[] {
    const now = this.nowMs();
    const dropped: string[] = [];
    for (const [endpoint, e] of this.entries) {
      if (now - e.lastSeenMs > this.expiryMs) {
        this.entries.delete(endpoint);
        dropped.push(endpoint);
      }
    }
    return dropped;
  }

  get(endpoint: string): FilterServerEntry | undefined {
    return this.entries.get(endpoint);
  }

  /** Registered and not expired, in endpoint order (what the name servers are told). */
  live(): string[] {
    const now = this.nowMs();
    return [...this.entries.values()]
      .filter((e) => now - e.lastSeenMs <= this.expiryMs)
      .map((e) => e.endpoint)
      .sort();
  }

  /**
   * Where the next batch should go, best first: live servers with a closed circuit, fewest calls in
   * flight first; ties rotate with `turn` so equal servers share the work evenly (a new server gets
   * work on the next batch, not only when a hash happens to pick it).
   */
  candidates(turn: number): FilterServerEntry[] {
    const now = this.nowMs();
    const open = [...this.entries.values()].filter((e) => now - e.lastSeenMs <= this.expiryMs && e.circuitOpenUntilMs <= now);
    open.sort((a, b) => a.endpoint.localeCompare(b.endpoint));
    const n = open.length;
    const rotated = open.map((_, i) => open[(i + turn) % n] as FilterServerEntry);
    return rotated.sort((a, b) => a.inflight - b.inflight); // stable: rotation order breaks ties
  }

  get size(): number {
    return this.entries.size;
  }
}
