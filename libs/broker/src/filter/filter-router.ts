import type { CompiledFilter } from '@orbitmq/filter';
import { OrbitError } from '@orbitmq/protocol';
import type { StoreRecord } from '../store-port';
import type { FilterServerTable } from './filter-server-table';
import type { FilterServerTransport, FilterWireHead } from './filter-port';
import { bitsetToFlags, evaluateLocally } from './local-evaluator';

export interface FilterRouterSettings {
  /** No filter server answered (none registered, all failed, all busy): evaluate here, or refuse. */
  fallback: 'local' | 'reject';
  /** Deadline of one Match call. */
  matchTimeoutMs: number;
  /** Other servers tried after a failed call, before the fallback. */
  matchRetries: number;
  /** A server that failed a call gets no work for this long. */
  circuitBreakMs: number;
  /** Match calls one server may have in flight; a server at the limit is passed over. */
  maxInflightPerServer: number;
}

/** What routing reports (the broker turns these into events, then logs and metrics). */
export interface FilterRouterObserver {
  evaluated(e: { group: string; topic: string; evaluated: number; matched: number; via: 'server' | 'local'; durationMs: number; endpoint?: string }): void;
  fallback(e: { group: string; topic: string; reason: 'none-registered' | 'all-failed' | 'all-busy'; messages: number }): void;
  serverFailed(e: { endpoint: string; error: Error; circuitOpenMs: number }): void;
}

/**
 * broker -> filter server: sends the heads of one scan window to a live filter server and turns
 * its bitset into decisions. Spreads batches over servers by load (fewest in flight, ties in
 * rotation), retries a failed call on another server, opens a failed server's circuit for a while,
 * and when no server answers either evaluates here (`fallback: local`) or refuses with
 * FILTER_SERVER_UNAVAILABLE. Never answers "matched" for a message nobody evaluated.
 */
export class FilterRouter {
  private turn = 0;

  constructor(
    private readonly table: FilterServerTable,
    private readonly transport: FilterServerTransport,
    private readonly settings: FilterRouterSettings,
    private readonly observe: FilterRouterObserver,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async select(compiled: CompiledFilter, group: string, topic: string, records: readonly StoreRecord[]): Promise<boolean[]> {
    if (records.length === 0) return [];
    const candidates = this.table.candidates(this.turn++);
    const usable = candidates.filter((c) => c.inflight < this.settings.maxInflightPerServer);
    let reason: 'none-registered' | 'all-failed' | 'all-busy' = candidates.length === 0 ? 'none-registered' : usable.length === 0 ? 'all-busy' : 'all-failed';
    if (usable.length > 0) {
      const request = { expression: compiled.expression, topic, group, heads: records.map(toWireHead) };
      for (const server of usable.slice(0, 1 + this.settings.matchRetries)) {
        const started = this.nowMs();
        server.inflight++;
        try {
          const bits = await this.transport.match(server.endpoint, request, this.settings.matchTimeoutMs);
          const flags = bitsetToFlags(bits, records.length);
          this.report(group, topic, flags, 'server', started, server.endpoint);
          return flags;
        } catch (err) {
          server.failures++;
          server.circuitOpenUntilMs = this.nowMs() + this.settings.circuitBreakMs;
          this.observe.serverFailed({ endpoint: server.endpoint, error: err as Error, circuitOpenMs: this.settings.circuitBreakMs });
        } finally {
          server.inflight--;
        }
      }
      reason = 'all-failed';
    }
    this.observe.fallback({ group, topic, reason, messages: records.length });
    if (this.settings.fallback === 'reject') {
      throw new OrbitError(
        'FILTER_SERVER_UNAVAILABLE',
        `no filter server could evaluate the SQL92 subscription of ${group} (${reason}); filterServerFallback=reject`,
      );
    }
    const started = this.nowMs();
    const flags = evaluateLocally(compiled, records);
    this.report(group, topic, flags, 'local', started);
    return flags;
  }

  private report(group: string, topic: string, flags: boolean[], via: 'server' | 'local', startedMs: number, endpoint?: string): void {
    let matched = 0;
    for (const f of flags) if (f) matched++;
    this.observe.evaluated({ group, topic, evaluated: flags.length, matched, via, durationMs: this.nowMs() - startedMs, ...(endpoint ? { endpoint } : {}) });
  }
}

function toWireHead(r: StoreRecord): FilterWireHead {
  return { tag: r.tag, keys: r.keys, messageId: r.messageId, properties: r.properties };
}
