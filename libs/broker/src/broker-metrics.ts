import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of a broker, with RocketMQ-like names. */
export class BrokerMetrics {
  readonly messagesIn: Counter<'topic'>;
  readonly bytesIn: Counter<'topic'>;
  readonly messagesOut: Counter<'topic' | 'group'>;
  readonly bytesOut: Counter<'topic' | 'group'>;
  readonly acks: Counter<'topic' | 'group'>;
  readonly deadLetters: Counter<'group'>;
  readonly redeliveries: Counter<'topic' | 'group'>;
  readonly requests: Counter<'method' | 'code'>;
  readonly latency: Histogram<'method'>;
  readonly transactions: Counter<'outcome'>;
  readonly transactionChecks: Counter<'result'>;
  readonly delayedMoved: Counter<'topic'>;
  readonly delayedDropped: Counter<'reason'>;
  readonly delayLateness: Histogram;

  constructor(
    registry: Registry,
    gauges: {
      inflight: () => number;
      parked: () => number;
      clients: () => number;
      store: () => { flushLag: number; dispatchLag: number; diskRatio: number };
      storeBytes: () => Promise<number>;
      lag: () => { group: string; topic: string; queueId: number; lag: number }[];
      delayedPending: () => number;
      halfPending: () => number;
    },
  ) {
    const registers = [registry];
    this.messagesIn = new Counter({ name: 'rocketmq_messages_in_total', help: 'Messages stored', labelNames: ['topic'], registers });
    this.bytesIn = new Counter({ name: 'rocketmq_throughput_in_bytes_total', help: 'Message body bytes stored', labelNames: ['topic'], registers });
    this.messagesOut = new Counter({ name: 'rocketmq_messages_out_total', help: 'Messages delivered (redeliveries included)', labelNames: ['topic', 'group'], registers });
    this.bytesOut = new Counter({ name: 'rocketmq_throughput_out_bytes_total', help: 'Message body bytes delivered', labelNames: ['topic', 'group'], registers });
    this.acks = new Counter({ name: 'rocketmq_consumer_acks_total', help: 'Deliveries acknowledged', labelNames: ['topic', 'group'], registers });
    this.redeliveries = new Counter({ name: 'rocketmq_consumer_redeliveries_total', help: 'Deliveries after the first (retries)', labelNames: ['topic', 'group'], registers });
    new Gauge({
      name: 'rocketmq_consumer_lag_messages',
      help: 'Messages of a queue not yet consumed by a group (broker max offset - consumed offset)',
      labelNames: ['group', 'topic', 'queue_id'],
      registers,
      collect() {
        this.reset();
        for (const l of gauges.lag()) this.set({ group: l.group, topic: l.topic, queue_id: String(l.queueId) }, l.lag);
      },
    });
    this.deadLetters = new Counter({ name: 'rocketmq_dlq_messages_total', help: 'Messages moved to %DLQ%<group> after max delivery attempts', labelNames: ['group'], registers });
    this.requests = new Counter({ name: 'rocketmq_rpc_requests_total', help: 'Client protocol requests by method and result code', labelNames: ['method', 'code'], registers });
    this.latency = new Histogram({
      name: 'rocketmq_rpc_latency_seconds',
      help: 'Client protocol request handling time (ReceiveMessage includes long polling)',
      labelNames: ['method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30],
      registers,
    });
    this.transactions = new Counter({ name: 'rocketmq_transactions_total', help: 'Half messages ended, by outcome (commit, rollback, discard)', labelNames: ['outcome'], registers });
    this.transactionChecks = new Counter({
      name: 'rocketmq_transaction_checks_total',
      help: 'Transaction check-backs (result sent, or no_producer when no producer of the topic was connected)',
      labelNames: ['result'],
      registers,
    });
    this.delayedMoved = new Counter({ name: 'rocketmq_delayed_messages_delivered_total', help: 'Delayed messages moved into their topic when due', labelNames: ['topic'], registers });
    this.delayedDropped = new Counter({ name: 'rocketmq_delayed_messages_dropped_total', help: 'Delayed messages dropped when due (topic deleted, record gone)', labelNames: ['reason'], registers });
    this.delayLateness = new Histogram({
      name: 'rocketmq_delayed_message_lateness_seconds',
      help: 'How long after its delivery time a delayed message became visible in its topic',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers,
    });
    new Gauge({ name: 'rocketmq_delayed_messages_pending', help: 'Delayed messages waiting for their delivery time', registers, collect() { this.set(gauges.delayedPending()); } });
    new Gauge({ name: 'rocketmq_transaction_half_messages_pending', help: 'Half messages neither committed nor rolled back yet', registers, collect() { this.set(gauges.halfPending()); } });
    new Gauge({ name: 'rocketmq_consumer_inflight_messages', help: 'Delivered, not yet acknowledged messages', registers, collect() { this.set(gauges.inflight()); } });
    new Gauge({ name: 'rocketmq_long_polling_requests', help: 'ReceiveMessage calls parked waiting for messages', registers, collect() { this.set(gauges.parked()); } });
    new Gauge({ name: 'rocketmq_clients', help: 'Connected clients', registers, collect() { this.set(gauges.clients()); } });
    new Gauge({ name: 'rocketmq_store_flush_lag_bytes', help: 'Bytes written but not yet fdatasynced', registers, collect() { this.set(gauges.store().flushLag); } });
    new Gauge({ name: 'rocketmq_store_dispatch_lag_bytes', help: 'Bytes written but not yet indexed', registers, collect() { this.set(gauges.store().dispatchLag); } });
    new Gauge({ name: 'rocketmq_store_disk_used_ratio', help: 'Disk use of the commit-log volume (0-1)', registers, collect() { this.set(gauges.store().diskRatio); } });
    new Gauge({
      name: 'rocketmq_store_size_bytes',
      help: 'Commit-log bytes on disk',
      registers,
      async collect() {
        this.set(await gauges.storeBytes());
      },
    });
  }
}
