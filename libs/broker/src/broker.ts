import type { NameServerClients } from '@orbitmq/namesrv-client';
import type { v2 } from '@orbitmq/protocol';
import type { Registry } from 'prom-client';
import { AckHandler } from './ack-handler';
import { BrokerMetrics } from './broker-metrics';
import { ClientRegistry } from './client-registry';
import { GroupManager } from './group-manager';
import { LongPollHub } from './long-poll';
import { messagingService } from './messaging-service';
import { OffsetHandler } from './offset-handler';
import { type DeadLetter, PopService } from './pop-service';
import { ReceiveHandler } from './receive-handler';
import { Registration } from './registration';
import { RouteResolver } from './route-resolver';
import { SendHandler } from './send-handler';
import type { StorePort } from './store-port';
import { TelemetryHandler } from './telemetry-handler';
import { PERM_READ, PERM_WRITE, TopicManager } from './topic-manager';

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
  private readonly unsubscribe: () => void;
  private clientSweep: NodeJS.Timeout | undefined;
  private renewSweep: NodeJS.Timeout | undefined;

  constructor(
    readonly store: StorePort,
    readonly settings: BrokerSettings,
    namesrv: NameServerClients,
    registry: Registry,
    private readonly log: BrokerLog,
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
    });
    this.registration = new Registration(namesrv, this.topics, settings, settings.registerIntervalMs, (level, msg, meta) => log(level, msg, meta));
    const routes = new RouteResolver(namesrv, this.topics, this.registration, settings);
    const send = new SendHandler(
      store,
      this.topics,
      { maxMessageSize: settings.maxMessageSize, maxPropertiesBytes: BROKER_LIMITS.maxPropertiesBytes },
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
    this.service = messagingService({ routes, send, receive, acks, telemetry, clients: this.clients, metrics: this.metrics, groups: this.groups, offsets });
    // dispatch -> long-poll wake-up
    this.unsubscribe = store.events.on('arrived', (queues) => {
      const topics = new Set(queues.map((q) => q.topic));
      for (const t of topics) this.hub.notify(t);
    });
  }

  /** Loads topics, groups and in-flight state, then registers with the name servers. */
  async start(): Promise<void> {
    await this.topics.load();
    await this.groups.load();
    await this.pop.load();
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
    await this.store.appendBatch(
      letters.map(({ record: r, attempts }) => ({
        topic,
        queueId: 0,
        sysFlag: r.sysFlag,
        bornTimestampMs: r.bornTimestampMs,
        reconsumeTimes: attempts,
        messageId: r.messageId,
        ...(r.tag ? { tag: r.tag } : {}),
        keys: r.keys,
        properties: r.properties,
        body: r.body,
      })),
    );
    this.metrics.deadLetters.inc({ group }, letters.length);
    for (const l of letters) this.log('warn', 'message moved to the dead-letter queue', { group, topic: l.record.topic, messageId: l.record.messageId, attempts: l.attempts });
  }

  /** Unregisters and wakes every parked receive (they answer "no message" and end). */
  async stop(): Promise<void> {
    if (this.clientSweep) clearInterval(this.clientSweep);
    if (this.renewSweep) clearInterval(this.renewSweep);
    this.unsubscribe();
    this.hub.wakeAll();
    await this.registration.stop();
  }
}
