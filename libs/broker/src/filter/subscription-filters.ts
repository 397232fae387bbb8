import { type CompiledFilter, FilterCache, type FilterLimits } from '@orbitmq/filter';
import { OrbitError } from '@orbitmq/protocol';
import { parseTagExpression } from '../message';
import { FilterServerTable } from './filter-server-table';
import type { FilterServerTransport } from './filter-port';
import { FilterRouter, type FilterRouterObserver, type FilterRouterSettings } from './filter-router';
import { MATCH_ALL, type MessageFilter, tagMessageFilter } from './message-filter';

export interface SqlFilterSettings extends FilterRouterSettings {
  /** RocketMQ's switch; here on by default. Off: SQL92 subscriptions are refused with UNSUPPORTED. */
  enablePropertyFilter: boolean;
  /** A filter server is dropped this long after its last Register. */
  filterServerExpiryMs: number;
  /** Most queue entries one SQL92 scan reads and sends in one Match call. */
  sqlScanWindow: number;
  /** Compiled expressions kept (failures too). */
  expressionCacheSize: number;
  limits?: FilterLimits;
}

/** (group, topic) pairs whose match ratio is kept. */
const MAX_TRACKED_RATIOS = 10_000;

/** A subscription's filter expression as the v2 protocol carries it. */
export interface FilterExpressionLike {
  type?: string;
  expression?: string;
}

/**
 * Subscriptions -> filters: tag expressions decide in the broker; SQL92 expressions are compiled
 * here (to refuse a bad one at once, with its position, and to pre-filter on TAGS), then evaluated
 * by the filter servers through the router. Owns the table of registered filter servers.
 */
export class SubscriptionFilters {
  readonly servers: FilterServerTable;
  private readonly router: FilterRouter;
  private readonly cache: FilterCache;
  /** Observed share of scanned messages that matched, per group and topic (sizes scan windows). */
  private readonly matchRatios = new Map<string, number>();

  constructor(
    private readonly settings: SqlFilterSettings,
    transport: FilterServerTransport,
    observer: FilterRouterObserver,
    nowMs: () => number = Date.now,
  ) {
    this.servers = new FilterServerTable(settings.filterServerExpiryMs, nowMs);
    this.router = new FilterRouter(this.servers, transport, settings, observer, nowMs);
    this.cache = new FilterCache({ capacity: settings.expressionCacheSize, ...(settings.limits ? { limits: settings.limits } : {}) });
  }

  /** The filter of a receive or pull request. Throws ILLEGAL_FILTER_EXPRESSION or UNSUPPORTED. */
  forExpression(expr: FilterExpressionLike | null | undefined, group: string, topic: string): MessageFilter {
    if (expr?.type === 'SQL') {
      const compiled = this.compileSql(expr.expression ?? '');
      const key = `${group}\u0000${topic}`;
      const maxWindow = this.settings.sqlScanWindow;
      return {
        tags: compiled.requiredTags,
        // want / ratio entries should hold `want` matches; a group never seen reads `want` first.
        scanWindow: (want) => Math.max(want, Math.min(maxWindow, Math.ceil(want / Math.max(this.matchRatios.get(key) ?? 1, 1 / maxWindow)))),
        select: async (records) => {
          const flags = await this.router.select(compiled, group, topic, records);
          this.observeRatio(key, flags);
          return flags;
        },
      };
    }
    const tags = parseTagExpression(expr?.expression ?? '*');
    return tags.all ? MATCH_ALL : tagMessageFilter(tags.tags);
  }

  /**
   * A consumer's Settings (Telemetry): refuse a subscription that can never work before the
   * consumer starts, instead of at its first receive.
   */
  checkSubscriptions(entries: readonly { expression?: FilterExpressionLike | null }[]): void {
    for (const e of entries) {
      if (e.expression?.type === 'SQL') this.compileSql(e.expression.expression ?? '');
      else parseTagExpression(e.expression?.expression ?? '*');
    }
  }

  compileSql(text: string): CompiledFilter {
    if (!this.settings.enablePropertyFilter) {
      throw new OrbitError('UNSUPPORTED', 'The broker does not support consumer to filter message by SQL92 (enablePropertyFilter=false)');
    }
    if (text.trim() === '') throw new OrbitError('ILLEGAL_FILTER_EXPRESSION', 'the SQL92 filter expression is empty');
    try {
      return this.cache.get(text);
    } catch (err) {
      const e = err as { code?: string; message: string };
      if (e.code === 'ILLEGAL_FILTER_EXPRESSION') throw new OrbitError('ILLEGAL_FILTER_EXPRESSION', e.message);
      throw err;
    }
  }

  /** An exponentially weighted match ratio (half from the last window): it follows a change of traffic within a few windows. */
  private observeRatio(key: string, flags: readonly boolean[]): void {
    if (flags.length === 0) return;
    let matched = 0;
    for (const f of flags) if (f) matched++;
    const last = matched / flags.length;
    const before = this.matchRatios.get(key);
    if (before === undefined && this.matchRatios.size >= MAX_TRACKED_RATIOS) this.matchRatios.clear(); // bounded: forget, relearn in one window
    this.matchRatios.set(key, before === undefined ? last : (before + last) / 2);
  }

  cacheStats(): { hits: number; misses: number; size: number } {
    return { ...this.cache.stats };
  }
}
