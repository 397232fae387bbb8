import type { ConfigSchema } from '@orbitmq/runtime';

/**
 * SQL92 and filter-server keys. RocketMQ's names where RocketMQ has the setting
 * (enablePropertyFilter, here on by default; the bitmap and retry keys are accepted so a RocketMQ
 * broker.properties starts, and do nothing: see docs/filter.md), ours for the filter-server tier.
 */
export const FILTER_CONFIG = {
  enablePropertyFilter: { kind: 'bool', default: true, describe: 'serve SQL92 subscriptions (RocketMQ defaults to false)' },
  filterServerFallback: {
    kind: 'enum',
    default: 'local',
    choices: ['local', 'reject'],
    describe: 'when no filter server answers: evaluate SQL92 in the broker (local) or refuse the read (reject: FILTER_SERVER_UNAVAILABLE)',
  },
  filterMatchTimeoutMs: { kind: 'int', default: 1_000, min: 10, max: 60_000, describe: 'deadline of one Match call to a filter server' },
  filterMatchRetries: { kind: 'int', default: 1, min: 0, max: 16, describe: 'other filter servers tried after a failed Match, before the fallback' },
  filterCircuitBreakMs: { kind: 'int', default: 10_000, min: 0, max: 600_000, describe: 'a filter server that failed a call gets no work for this long' },
  maxFilterInflightPerServer: { kind: 'int', default: 16, min: 1, max: 1_024, describe: 'Match calls one filter server may have in flight' },
  filterServerExpiryMs: { kind: 'int', default: 30_000, min: 1_000, max: 600_000, describe: 'a filter server is dropped this long after its last Register' },
  filterScanWindowEntries: {
    kind: 'int',
    default: 1_024,
    min: 1,
    max: 4_096,
    describe: 'most queue entries a SQL92 scan reads and sends in one Match call (windows follow the observed match ratio up to this)',
  },
  filterExpressionCacheSize: { kind: 'int', default: 1_024, min: 1, max: 1_000_000, describe: 'compiled SQL92 expressions kept (failures too)' },
  enableCalcFilterBitMap: { kind: 'bool', default: false, describe: 'accepted for RocketMQ compatibility; no effect (evaluation is demand-driven)' },
  enableConsumeQueueExt: { kind: 'bool', default: false, describe: 'accepted for RocketMQ compatibility; no effect' },
  filterSupportRetry: { kind: 'bool', default: false, describe: 'accepted for RocketMQ compatibility; no effect (redeliveries already passed the filter)' },
} as const satisfies ConfigSchema;
