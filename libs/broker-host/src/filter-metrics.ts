import type { Broker } from '@orbitmq/broker';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const MATCH_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * SQL92 filtering as Prometheus series, per group (what RocketMQ users ask for in #9286): messages
 * evaluated and matched, by filter server or by this broker, filter-server latency, fallbacks,
 * failed calls, live filter servers and the compiled-expression cache. Returns an unbind.
 */
export function bindFilterMetrics(registry: Registry, broker: Broker): () => void {
  const registers = [registry];
  const evaluated = new Counter({
    name: 'orbitmq_filter_evaluated_messages_total',
    help: 'Messages a SQL92 subscription was evaluated on, by where (server: a filter server; local: this broker)',
    labelNames: ['group', 'topic', 'via'],
    registers,
  });
  const matched = new Counter({
    name: 'orbitmq_filter_matched_messages_total',
    help: 'Messages a SQL92 subscription let through',
    labelNames: ['group', 'topic'],
    registers,
  });
  const fallbacks = new Counter({
    name: 'orbitmq_filter_local_fallback_total',
    help: 'Scan windows no filter server evaluated (evaluated here, or refused with filterServerFallback=reject), by reason',
    labelNames: ['group', 'reason'],
    registers,
  });
  const failures = new Counter({
    name: 'orbitmq_filter_server_failures_total',
    help: 'Match calls that failed (circuit opened)',
    labelNames: ['endpoint'],
    registers,
  });
  const latency = new Histogram({
    name: 'orbitmq_filter_match_duration_seconds',
    help: 'Time to evaluate one scan window, by where',
    labelNames: ['via'],
    buckets: MATCH_BUCKETS_S,
    registers,
  });
  new Gauge({
    name: 'orbitmq_filter_servers',
    help: 'Filter servers registered with this broker and not expired',
    registers,
    collect() {
      this.set(broker.filters.servers.live().length);
    },
  });
  new Gauge({
    name: 'orbitmq_filter_expression_cache',
    help: 'Compiled SQL92 expressions: cache hits, misses and size',
    labelNames: ['stat'],
    registers,
    collect() {
      const s = broker.filters.cacheStats();
      this.set({ stat: 'hits' }, s.hits);
      this.set({ stat: 'misses' }, s.misses);
      this.set({ stat: 'size' }, s.size);
    },
  });
  const offs = [
    broker.events.on('filterEvaluated', (e) => {
      evaluated.inc({ group: e.group, topic: e.topic, via: e.via }, e.evaluated);
      if (e.matched > 0) matched.inc({ group: e.group, topic: e.topic }, e.matched);
      latency.observe({ via: e.via }, e.durationMs / 1000);
    }),
    broker.events.on('filterFallback', (e) => fallbacks.inc({ group: e.group, reason: e.reason })),
    broker.events.on('filterServerFailed', (e) => failures.inc({ endpoint: e.endpoint })),
  ];
  return () => {
    for (const off of offs) off();
  };
}
