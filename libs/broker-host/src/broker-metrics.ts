import type { AclGuard } from '@orbitmq/acl';
import type { BrokerEvents, BrokerGauges } from '@orbitmq/broker';
import type { MessageStore } from '@orbitmq/storage';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const LATENCY_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30];
const LATENESS_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30];

/** Prometheus series of a broker with RocketMQ-like names, fed by the broker's events. Returns an unbind. */
export function bindBrokerMetrics(registry: Registry, events: BrokerEvents, gauges: BrokerGauges, store: MessageStore, acl?: AclGuard): () => void {
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter<L>({ name, help, labelNames, registers });
  const messagesIn = counter('rocketmq_messages_in_total', 'Messages stored', ['topic']);
  const bytesIn = counter('rocketmq_throughput_in_bytes_total', 'Message body bytes stored', ['topic']);
  const messagesOut = counter('rocketmq_messages_out_total', 'Messages delivered (redeliveries included)', ['topic', 'group']);
  const bytesOut = counter('rocketmq_throughput_out_bytes_total', 'Message body bytes delivered', ['topic', 'group']);
  const acks = counter('rocketmq_consumer_acks_total', 'Deliveries acknowledged', ['topic', 'group']);
  const redeliveries = counter('rocketmq_consumer_redeliveries_total', 'Deliveries after the first (retries)', ['topic', 'group']);
  const deadLetters = counter('rocketmq_dlq_messages_total', 'Messages moved to %DLQ%<group> after max delivery attempts', ['group']);
  const requests = counter('rocketmq_rpc_requests_total', 'Client protocol requests by method and result code', ['method', 'code']);
  const transactions = counter('rocketmq_transactions_total', 'Half messages ended, by outcome (commit, rollback, discard)', ['outcome']);
  const checks = counter(
    'rocketmq_transaction_checks_total',
    'Transaction check-backs (result sent, or no_producer when no producer of the topic was connected)',
    ['result'],
  );
  const delayedMoved = counter('rocketmq_delayed_messages_delivered_total', 'Delayed messages moved into their topic when due', ['topic']);
  const delayedDropped = counter('rocketmq_delayed_messages_dropped_total', 'Delayed messages dropped when due (topic deleted, record gone)', ['reason']);
  const refusedForDisk = counter('rocketmq_send_refused_disk_full_total', 'SendMessage requests refused because the disk guard refuses writes', []);
  const forcedDeleted = counter(
    'rocketmq_store_forced_deleted_messages_total',
    'Messages a group had not consumed, deleted under disk pressure (cleanFileForciblyEnable=true)',
    ['group'],
  );
  const latency = new Histogram({
    name: 'rocketmq_rpc_latency_seconds',
    help: 'Client protocol request handling time (ReceiveMessage and PullMessage include long polling)',
    labelNames: ['method'],
    buckets: LATENCY_BUCKETS_S,
    registers,
  });
  const lateness = new Histogram({
    name: 'rocketmq_delayed_message_lateness_seconds',
    help: 'How long after its delivery time a delayed message became visible in its topic',
    buckets: LATENESS_BUCKETS_S,
    registers,
  });
  bindGauges(registry, gauges, store);
  if (acl) bindAclMetrics(registry, acl);
  const offs = [
    events.on('messagesStored', (e) => {
      messagesIn.inc({ topic: e.topic }, e.messages);
      bytesIn.inc({ topic: e.topic }, e.bytes);
    }),
    events.on('messagesDelivered', (e) => {
      messagesOut.inc({ topic: e.topic, group: e.group }, e.messages);
      bytesOut.inc({ topic: e.topic, group: e.group }, e.bytes);
      if (e.redeliveries > 0) redeliveries.inc({ topic: e.topic, group: e.group }, e.redeliveries);
    }),
    events.on('messagesAcked', (e) => acks.inc({ topic: e.topic, group: e.group }, e.messages)),
    events.on('deadLettered', (e) => deadLetters.inc({ group: e.group }, e.letters.length)),
    events.on('request', (e) => {
      requests.inc({ method: e.method, code: e.code });
      if (e.code === 'DISK_FULL' && e.method === 'SendMessage') refusedForDisk.inc();
      latency.observe({ method: e.method }, e.durationMs / 1000);
    }),
    events.on('transactionEnded', (e) => transactions.inc({ outcome: e.outcome })),
    events.on('transactionChecked', (e) => checks.inc({ result: e.sent ? 'sent' : 'no_producer' })),
    events.on('delayedMoved', (e) => {
      delayedMoved.inc({ topic: e.topic });
      lateness.observe(Math.max(0, e.latenessMs) / 1000);
    }),
    events.on('delayedDropped', (e) => delayedDropped.inc({ reason: e.reason })),
    store.events.on('forcedDeletion', (e) => {
      for (const [group, n] of Object.entries(e.unconsumedByGroup)) forcedDeleted.inc({ group }, n);
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}

/** Gauges read when Prometheus scrapes (nothing is computed between scrapes). */
function bindGauges(registry: Registry, g: BrokerGauges, store: MessageStore): void {
  const registers = [registry];
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  new Gauge({
    name: 'rocketmq_consumer_lag_messages',
    help: 'Messages of a queue not yet consumed by a group (broker max offset - consumed offset)',
    labelNames: ['group', 'topic', 'queue_id'],
    registers,
    collect() {
      this.reset();
      for (const l of g.consumerLag()) this.set({ group: l.group, topic: l.topic, queue_id: String(l.queueId) }, l.lag);
    },
  });
  gauge('rocketmq_delayed_messages_pending', 'Delayed messages waiting for their delivery time', () => g.delayedPending());
  gauge('rocketmq_transaction_half_messages_pending', 'Half messages neither committed nor rolled back yet', () => g.halfPending());
  gauge('rocketmq_consumer_inflight_messages', 'Delivered, not yet acknowledged messages', () => g.inflightMessages());
  gauge('rocketmq_send_inflight_bytes', 'SendMessage bytes accepted and not yet answered (bound: maxInflightSendBytes)', () => g.sendInflightBytes());
  gauge('rocketmq_long_polling_requests', 'ReceiveMessage and PullMessage calls parked waiting for messages', () => g.parkedReceives());
  gauge('rocketmq_clients', 'Connected clients', () => g.clients());
  gauge('rocketmq_store_flush_lag_bytes', 'Bytes written but not yet fdatasynced', () => lagOf(store, 'flushedOffset'));
  gauge('rocketmq_store_dispatch_lag_bytes', 'Bytes written but not yet indexed', () => lagOf(store, 'dispatchedOffset'));
  gauge('rocketmq_store_disk_used_ratio', 'Disk use of the commit-log volume (0-1)', () => store.stats().diskUsedPercent / 100);
  gauge('rocketmq_broker_writable', '1 while the broker takes sends, 0 while its disk guard refuses them (registered read-only)', () =>
    store.stats().diskFull ? 0 : 1,
  );
  new Gauge({
    name: 'rocketmq_store_size_bytes',
    help: 'Commit-log bytes on disk',
    registers,
    async collect() {
      this.set(await store.commitLogBytes());
    },
  });
}

/** Bytes between the log's end and a point behind it (one stats() read). */
function lagOf(store: MessageStore, behind: 'flushedOffset' | 'dispatchedOffset'): number {
  const s = store.stats();
  return s.endOffset - s[behind];
}

/** aclEnable: refusals held because their IP keeps failing authentication (read when scraped). */
function bindAclMetrics(registry: Registry, acl: AclGuard): void {
  new Counter({
    name: 'orbitmq_acl_refusals_delayed_total',
    help: 'Refusals for bad credentials held before their answer (their IP kept failing; paced by aclAuthFailureRefusalsPerSecond)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(acl.stats().delayedTotal);
    },
  });
  new Counter({
    name: 'orbitmq_acl_refusals_withdrawn_total',
    help: 'Held refusals dropped unanswered because their caller went away first (a cancelled call, a closed connection)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(acl.stats().withdrawnTotal);
    },
  });
  new Gauge({
    name: 'orbitmq_acl_refusals_held',
    help: 'Refusals waiting now (bound: aclMaxHeldRefusals)',
    registers: [registry],
    collect() {
      this.set(acl.stats().held);
    },
  });
}
