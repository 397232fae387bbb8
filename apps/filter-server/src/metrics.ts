import type { CallObserver } from '@orbitmq/rpc';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { MatchObserver } from './match-service';

export interface CacheStats {
  readonly stats: { hits: number; misses: number; size: number };
}

export interface FilterServerMetrics {
  /** Per-group evaluation counts and evaluation time of every answered Match. */
  onMatch: MatchObserver;
  /** Every Match call by result code (OK, BAD_REQUEST, ILLEGAL_FILTER_EXPRESSION, ...). */
  observeCall: CallObserver;
}

/** A counter that follows a monotonic total kept elsewhere (read at scrape time). */
function followingCounter(registry: Registry, name: string, help: string, total: () => number): void {
  let seen = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = total();
      if (now > seen) this.inc(now - seen);
      seen = now;
    },
  });
}

/**
 * The filter server's Prometheus series:
 *   orbitmq_filter_server_evaluated_total{group,topic}, _matched_total{group,topic}, _eval_errors_total{group,topic},
 *   orbitmq_filter_server_match_duration_seconds, orbitmq_filter_server_match_requests_total{code},
 *   orbitmq_filter_server_expression_cache_hits_total / _misses_total / _size
 * (and orbitmq_filter_server_registered_brokers, bound once the registrar exists).
 */
export function bindFilterServerMetrics(registry: Registry, cache: CacheStats): FilterServerMetrics {
  const labelNames = ['group', 'topic'] as const;
  const evaluated = new Counter({ name: 'orbitmq_filter_server_evaluated_total', help: 'Message heads evaluated', labelNames, registers: [registry] });
  const matched = new Counter({ name: 'orbitmq_filter_server_matched_total', help: 'Message heads that matched', labelNames, registers: [registry] });
  const errors = new Counter({
    name: 'orbitmq_filter_server_eval_errors_total',
    help: 'Message heads not matched because their properties block was malformed or evaluation failed',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'orbitmq_filter_server_match_duration_seconds',
    help: 'Time to compile (or find in the cache) and evaluate one Match batch',
    buckets: [0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'orbitmq_filter_server_match_requests_total',
    help: 'Match requests by result code',
    labelNames: ['code'],
    registers: [registry],
  });
  followingCounter(registry, 'orbitmq_filter_server_expression_cache_hits_total', 'Expressions found compiled in the cache', () => cache.stats.hits);
  followingCounter(registry, 'orbitmq_filter_server_expression_cache_misses_total', 'Expressions compiled (not in the cache)', () => cache.stats.misses);
  new Gauge({
    name: 'orbitmq_filter_server_expression_cache_size',
    help: 'Compiled expressions in the cache',
    registers: [registry],
    collect() {
      this.set(cache.stats.size);
    },
  });
  return {
    onMatch: (r) => {
      const labels = { group: r.group, topic: r.topic };
      evaluated.inc(labels, r.evaluated);
      matched.inc(labels, r.matched);
      errors.inc(labels, r.errors);
      duration.observe(r.durationMs / 1000);
    },
    observeCall: (_method, code) => requests.inc({ code }),
  };
}

/** orbitmq_filter_server_registered_brokers: brokers whose last registration succeeded. */
export function bindRegistrarMetrics(registry: Registry, registrar: { readonly registeredCount: number }): void {
  new Gauge({
    name: 'orbitmq_filter_server_registered_brokers',
    help: 'Brokers whose last registration succeeded',
    registers: [registry],
    collect() {
      this.set(registrar.registeredCount);
    },
  });
}
