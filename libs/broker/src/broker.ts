import type { NameServerClients } from '@orbitmq/namesrv-client';
import type { v2 } from '@orbitmq/protocol';
import type { Registry } from 'prom-client';
import { AckHandler } from './ack-handler';
import type { BrokerIndexes } from './broker-indexes';
import { BrokerMetrics } from './broker-metrics';
import { ClientRegistry } from './client-registry';
import { GroupManager } from './group-manager';
import { LongPollHub } from './long-poll';
import { copyRecord } from './message-codec';
import { messagingService } from './messaging-service';
import { OffsetHandler } from './offset-handler';
import { type DeadLetter, PopService } from './pop-service';
import { ReceiveHandler } from './receive-handler';
import { Registration } from './registration';
import { RouteResolver } from './route-resolver';
import { SendHandler } from './send-handler';
import type { StorePort } from './store-port';
import { TelemetryHandler } from './telemetry-handler';
import { TimerService } from './timer-service';
import { PERM_READ, PERM_WRITE, TopicManager } from './topic-manager';
import { TransactionChecker } from './transaction-checker';
import { TransactionService } from './transaction-service';

/** Everything the broker's messaging logic needs to know, already validated by the app. */
export interface BrokerSettings {
  clusterName: string;
  brokerName: string;
  brokerId: number;
  /** host:port clients dial (advertised in routes). */
  clientEndpoint: string;
  internalEndpoint: string;
  autoCreateTopicEnable: boolean;
  autoCreateSubscriptionGroup: boolean;
  defaultTopicQueueNums: number;
  maxMessageSize: number;
  registerIntervalMs: number;
  maxLongPollWaiters: number;
  maxInflightPerQueue: number;
  /** Long-polling time sent to consumers in Settings. */
  consumerLongPollingMs: number;
  /** messageDelayLevel, parsed: level n waits delayLevelsMs[n - 1]. */
  delayLevelsMs: readonly number[];
  /** timerMaxDelaySec in ms: farther delivery times are refused. */
  maxDelayMs: number;
  transactionTimeoutMs: number;
  transactionCheckIntervalMs: number;
  transactionCheckMax: number;
}

export type BrokerLog = (level: 'info' | 'warn' | 'error', msg: string, meta?: object) => void;

/** Fixed protocol limits (named, checked at the boundary). */
export const BROKER_LIMITS = {
  maxPropertiesBytes: 32 * 1024,
  dedupWindowMs: 60_000,
  maxDedupEntries: 200_000,
  maxBatchSize: 1_024,
  minInvisibleMs: 1_000,
  maxInvisibleMs: 12 * 3_600_000,
  autoRenewInvisibleMs: 60_000,
  autoRenewSweepMs: 5_000,
  maxLongPollingMs: 60_000,
  deadlineMarginMs: 300,
  maxScanEntriesPerPop: 16_384,
  receiveBatchSize: 32,
  clientTtlMs: 120_000,
};

/**
 * The broker's messaging logic, wired: topics and groups over the store, send and receive paths,
 * long polling woken by the store's dispatch, telemetry, routes, and registration with the name
 * servers. The broker-store app opens the store and serves `service` on gRPC.
 */
export class Broker {
  readonly topics: TopicManager;
  readonly groups: GroupManager;
  readonly clients = new ClientRegistry(BROKER_LIMITS.clientTtlMs);
  readonly pop: PopService;
  readonly hub: LongPollHub;
  readonly registration: Registration;
  readonly metrics: BrokerMetrics;
  readonly service: v2.MessagingServiceHandlers;
  readonly timers: TimerService;
  readonly transactions: TransactionService;
  readonly checker: TransactionChecker;
  private readonly unsubscribe: () => void;
  private clientSweep: NodeJS.Timeout | undefined;
  private renewSweep: NodeJS.Timeout | undefined;

  constructor(
    readonly store: StorePort,
    readonly settings: BrokerSettings,
    namesrv: NameServerClients,
    registry: Registry,
    private readonly log: BrokerLog,
    readonly indexes: BrokerIndexes,
  ) {
    const now = Date.now;
    this.topics = new TopicManager(store.metadata, { autoCreateTopicEnable: settings.autoCreateTopicEnable, defaultTopicQueueNums: settings.defaultTopicQueueNums, nowMs: now });
    this.groups = new GroupManager(store.metadata, { autoCreateSubscriptionGroup: settings.autoCreateSubscriptionGroup, nowMs: now });
    this.pop = new PopService(
      store,
      this.groups,
      settings.brokerName,
      { maxInflightPerQueue: settings.maxInflightPerQueue, maxScanEntriesPerPop: BROKER_LIMITS.maxScanEntriesPerPop },
      (group, letters) => this.moveToDeadLetterQueue(group, letters),
    );
    this.hub = new LongPollHub(settings.maxLongPollWaiters);
    this.metrics = new BrokerMetrics(registry, {
      inflight: () => this.pop.inflightCount(),
      parked: () => this.hub.parked,
      clients: () => this.clients.list().length,
      store: () => {
        const s = store.stats();
        return { flushLag: s.endOffset - s.flushedOffset, dispatchLag: s.endOffset - s.dispatchedOffset, diskRatio: s.diskUsedPercent / 100 };
      },
      storeBytes: () => store.commitLogBytes(),
      lag: () =>
        this.groups.list().flatMap((g) =>
          this.pop.progress(g.groupName).map((p) => ({ group: g.groupName, topic: p.topic, queueId: p.queueId, lag: Math.max(0, store.getMaxQueueOffset(p.topic, p.queueId) - p.consumedOffset) })),
        ),
      delayedPending: () => indexes.timer.pending(),
      halfPending: () => indexes.transactions.pending(),
    });
    this.timers = this.createTimerService();
    this.transactions = new TransactionService(store, this.topics, (outcome, half) => {
      this.metrics.transactions.inc({ outcome });
      if (outcome === 'discard') return; // logged by the checker with its reason
      this.log('info', `transaction ${outcome === 'commit' ? 'committed' : 'rolled back'}`, { topic: half.topic, messageId: half.messageId });
    });
    this.checker = this.createChecker();
    this.registration = new Registration(namesrv, this.topics, settings, settings.registerIntervalMs, (level, msg, meta) => log(level, msg, meta));
    const routes = new RouteResolver(namesrv, this.topics, this.registration, settings);
    const send = new SendHandler(
      store,
      this.topics,
      { maxMessageSize: settings.maxMessageSize, maxPropertiesBytes: BROKER_LIMITS.maxPropertiesBytes, delay: { levelsMs: settings.delayLevelsMs, maxDelayMs: settings.maxDelayMs } },
      { windowMs: BROKER_LIMITS.dedupWindowMs, maxEntries: BROKER_LIMITS.maxDedupEntries },
      (topic, n, bytes) => {
        this.metrics.messagesIn.inc({ topic }, n);
        this.metrics.bytesIn.inc({ topic }, bytes);
      },
    );
    const receive = new ReceiveHandler(this.topics, this.groups, this.pop, this.hub, BROKER_LIMITS, settings.clientEndpoint, (topic, group, n, bytes, redeliveries) => {
      this.metrics.messagesOut.inc({ topic, group }, n);
      this.metrics.bytesOut.inc({ topic, group }, bytes);
      if (redeliveries > 0) this.metrics.redeliveries.inc({ topic, group }, redeliveries);
    });
    const acks = new AckHandler(this.pop, this.hub, BROKER_LIMITS.maxInvisibleMs, (topic, group, n) => this.metrics.acks.inc({ topic, group }, n));
    const telemetry = new TelemetryHandler(
      this.clients,
      this.groups,
      { maxMessageSize: settings.maxMessageSize, receiveBatchSize: BROKER_LIMITS.receiveBatchSize, longPollingTimeoutMs: settings.consumerLongPollingMs },
      (msg, meta) => log('info', msg, meta),
    );
    const offsets = new OffsetHandler(store, this.topics, this.groups, this.hub, BROKER_LIMITS, settings.clientEndpoint);
    this.service = messagingService({
      routes,
      send,
      receive,
      acks,
      telemetry,
      clients: this.clients,
      metrics: this.metrics,
      groups: this.groups,
      offsets,
      transactions: this.transactions,
    });
    // dispatch -> long-poll wake-up
    this.unsubscribe = store.events.on('arrived', (queues) => {
      const topics = new Set(queues.map((q) => q.topic));
      for (const t of topics) this.hub.notify(t);
    });
  }

  private createTimerService(): TimerService {
    return new TimerService(this.store, this.indexes.timer, this.topics, {
      moved: (topic, latenessMs) => {
        this.metrics.delayedMoved.inc({ topic });
        this.metrics.delayLateness.observe(Math.max(0, latenessMs) / 1000);
      },
      dropped: (reason, topic, messageId) => {
        this.metrics.delayedDropped.inc({ reason });
        this.log('warn', 'delayed message dropped when due', { reason, topic, messageId });
      },
      error: (err) => this.log('error', 'moving due delayed messages failed; retrying', { error: err.message }),
    });
  }

  private createChecker(): TransactionChecker {
    const s = this.settings;
    const settings = { transactionTimeoutMs: s.transactionTimeoutMs, checkIntervalMs: s.transactionCheckIntervalMs, checkMax: s.transactionCheckMax, storeHost: s.clientEndpoint };
    return new TransactionChecker(this.store, this.transactions, this.clients, settings, {
      checked: (_topic, sent) => this.metrics.transactionChecks.inc({ result: sent ? 'sent' : 'no_producer' }),
      discarded: (half, checks, reason) => this.log('warn', 'half message discarded', { topic: half.topic, messageId: half.messageId, checks, reason }),
      error: (err) => this.log('error', 'transaction check sweep failed', { error: err.message }),
    });
  }

  /** Loads topics, groups, in-flight state and the delayed/transaction counts (before serving). */
  async load(): Promise<void> {
    await this.topics.load();
    await this.groups.load();
    await this.pop.load();
    await this.indexes.timer.load(this.store.metadata);
    await this.indexes.transactions.load(this.store.metadata);
  }

  /** Starts the background services, then registers with the name servers. */
  async start(): Promise<void> {
    this.timers.start();
    this.checker.start();
    this.clientSweep = setInterval(() => {
      for (const id of this.clients.expire()) this.log('info', 'client expired', { clientId: id });
    }, 10_000);
    this.clientSweep.unref();
    this.renewSweep = setInterval(() => {
      this.pop.renew((id) => this.clients.get(id)?.telemetry !== undefined, BROKER_LIMITS.autoRenewInvisibleMs).catch((err: Error) => this.log('error', 'auto-renew failed', { error: err.message }));
    }, BROKER_LIMITS.autoRenewSweepMs);
    this.renewSweep.unref();
    await this.registration.start();
  }

  /**
   * A message delivered maxDeliveryAttempts times without an ack is appended to %DLQ%<group>
   * (created on first use, one queue), keeping its id, keys, tag, properties and body; the number
   * of attempts becomes its reconsume count. The DLQ is an ordinary topic and can be consumed.
   */
  private async moveToDeadLetterQueue(group: string, letters: DeadLetter[]): Promise<void> {
    const topic = `%DLQ%${group}`;
    if (!this.topics.get(topic)) await this.topics.upsert({ topicName: topic, readQueueNums: 1, writeQueueNums: 1, perm: PERM_READ | PERM_WRITE, messageType: 'MIXED' });
    await this.store.appendBatch(letters.map(({ record: r, attempts }) => copyRecord(r, { topic, queueId: 0, sysFlag: r.sysFlag, reconsumeTimes: attempts })));
    this.metrics.deadLetters.inc({ group }, letters.length);
    for (const l of letters) this.log('warn', 'message moved to the dead-letter queue', { group, topic: l.record.topic, messageId: l.record.messageId, attempts: l.attempts });
  }

  /** Unregisters and wakes every parked receive (they answer "no message" and end). */
  async stop(): Promise<void> {
    this.timers.stop();
    this.checker.stop();
    if (this.clientSweep) clearInterval(this.clientSweep);
    if (this.renewSweep) clearInterval(this.renewSweep);
    this.unsubscribe();
    this.hub.wakeAll();
    await this.registration.stop();
  }
}
