import type { CompiledFilter } from '@orbitmq/filter';
import { OrbitError } from '@orbitmq/protocol';
import type { StoreRecord } from '../store-port';
import type { FilterServerEntry, FilterServerTable } from './filter-server-table';
import type { FilterMatchRequest, FilterServerTransport, FilterWireHead } from './filter-port';
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

  /**
   * Decisions for `records`, in order. A window whose heads exceed MAX_MATCH_REQUEST_BYTES goes as
   * several Match calls (each within the gRPC message limit, whatever the properties weigh).
   */
  async select(compiled: CompiledFilter, group: string, topic: string, records: readonly StoreRecord[]): Promise<boolean[]> {
    const out: boolean[] = [];
    for (const chunk of chunksByBytes(records, MAX_MATCH_REQUEST_BYTES)) out.push(...(await this.selectChunk(compiled, group, topic, chunk)));
    return out;
  }

  private async selectChunk(compiled: CompiledFilter, group: string, topic: string, records: readonly StoreRecord[]): Promise<boolean[]> {
    if (records.length === 0) return [];
    const candidates = this.table.candidates(this.turn++);
    const usable = candidates.filter((c) => c.inflight < this.settings.maxInflightPerServer);
    let reason: 'none-registered' | 'all-failed' | 'all-busy' = candidates.length === 0 ? 'none-registered' : usable.length === 0 ? 'all-busy' : 'all-failed';
    if (usable.length > 0) {
      const request = { expression: compiled.expression, topic, group, heads: records.map(toWireHead) };
      for (const server of usable.slice(0, 1 + this.settings.matchRetries)) {
        const flags = await this.callServer(server, request, records.length, group, topic);
        if (flags) return flags;
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

  /** One Match call; undefined when it failed (the server's circuit is then open). */
  private async callServer(
    server: FilterServerEntry,
    request: FilterMatchRequest,
    count: number,
    group: string,
    topic: string,
  ): Promise<boolean[] | undefined> {
    const started = this.nowMs();
    server.inflight++;
    try {
      const bits = await this.transport.match(server.endpoint, request, this.settings.matchTimeoutMs);
      const flags = bitsetToFlags(bits, count);
      this.report(group, topic, flags, 'server', started, server.endpoint);
      return flags;
    } catch (err) {
      server.failures++;
      server.circuitOpenUntilMs = this.nowMs() + this.settings.circuitBreakMs;
      this.observe.serverFailed({ endpoint: server.endpoint, error: err as Error, circuitOpenMs: this.settings.circuitBreakMs });
      return undefined;
    } finally {
      server.inflight--;
    }
  }

  private report(group: string, topic: string, flags: boolean[], via: 'server' | 'local', startedMs: number, endpoint?: string): void {
    let matched = 0;
    for (const f of flags) if (f) matched++;
    this.observe.evaluated({ group, topic, evaluated: flags.length, matched, via, durationMs: this.nowMs() - startedMs, ...(endpoint ? { endpoint } : {}) });
  }
}

/**
 * Bytes of heads one Match call may carry: well inside the 16 MiB gRPC message limit of our
 * channels, however large the properties blocks (32 KiB each at most) of a window are.
 */
export const MAX_MATCH_REQUEST_BYTES = 4 * 1024 * 1024;
/** Per-head framing beyond its fields (protobuf tags and lengths), counted generously. */
const HEAD_OVERHEAD_BYTES = 32;

/** Consecutive runs of records whose heads fit `maxBytes` (a single oversized head goes alone). */
export function chunksByBytes(records: readonly StoreRecord[], maxBytes: number): StoreRecord[][] {
  const chunks: StoreRecord[][] = [];
  let current: StoreRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    let size = HEAD_OVERHEAD_BYTES + r.properties.length + Buffer.byteLength(r.tag) + Buffer.byteLength(r.messageId);
    for (const k of r.keys) size += Buffer.byteLength(k) + 2;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * The properties are copied: a record's bytes may live in a pooled read buffer that goes back once
 * the pull has its answer, while a call held up in the transport (credentials, a busy channel)
 * serialises the request later.
 */
function toWireHead(r: StoreRecord): FilterWireHead {
  return { tag: r.tag, keys: r.keys, messageId: r.messageId, properties: Buffer.from(r.properties) };
}
