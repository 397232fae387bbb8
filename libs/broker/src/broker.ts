import type { AclGuard } from '@orbitmq/acl';
import { OrbitError, type v2 } from '@orbitmq/protocol';
import { BrokerAdminApi } from './admin';
import type { BrokerIndexes } from './broker-indexes';
import { ClientRegistry, TelemetryHandler } from './clients';
import { AckHandler, AutoRenewSweep, DeadLetterQueue, LongPollHub, OffsetHandler, PopService, PullHandler, ReceiveHandler } from './consume';
import { BrokerEvents } from './events';
import { type FilterServerTransport, NO_FILTER_TRANSPORT, SubscriptionFilters } from './filter';
import { GroupManager, TopicManager } from './meta';
import { messagingService } from './messaging-service';
import { type RouteSource, RouteResolver } from './route';
import { TimerService } from './schedule';
import { BrokerRemoting } from './remoting';
import { InflightBytes, SendHandler, type SendReplication } from './send';
import { BROKER_LIMITS, type BrokerSettings, DEFAULT_FILTER_SETTINGS } from './settings';
import type { StorePort } from './store-port';
import { TransactionChecker, TransactionService } from './transaction';

/** What the app hands the broker: the opened store, its dispatch indexes, and the name servers. */
export interface BrokerDeps {
  store: StorePort;
  indexes: BrokerIndexes;
  /** Routes of every broker (QueryRoute answers for topics served elsewhere too). */
  routes: RouteSource;
  /** Registers this broker's topics with the name servers now (after a topic is auto-created). */
  publishRoutes: () => Promise<void>;
  /**
   * Whether this broker takes writes now (false while its disk guard refuses appends): when false,
   * its own QueryRoute answers offer its queues without write permission. Default: always.
   */
  writable?: () => boolean;
  /** SYNC_MASTER: sends wait for a replica (libs/replication's leader). None: acked after the local write. */
  replication?: SendReplication;
  /** broker -> filter server calls (gRPC, in the app). None: SQL92 is evaluated by this broker. */
  filterTransport?: FilterServerTransport;
  /** aclEnable: v5 and 4.x requests are checked against plain_acl.yml's accounts. None: open. */
  acl?: AclGuard | undefined;
}

/** Gauges an app may export: read on demand, never pushed. */
export interface BrokerGauges {
  inflightMessages(): number;
  /** SendMessage bytes accepted and not yet answered (bounded by maxInflightSendBytes). */
  sendInflightBytes(): number;
  parkedReceives(): number;
  clients(): number;
  consumerLag(): { group: string; topic: string; queueId: number; lag: number }[];
  delayedPending(): number;
  halfPending(): number;
}

/**
 * The store as a replica's broker sees it: appends refused with FORBIDDEN (what RocketMQ answers a
 * write to a broker without write permission), so a client that reached a replica is told where to go.
 */
function readOnlyStore(store: StorePort, settings: BrokerSettings): StorePort {
  const refuse = (): Promise<never> =>
    Promise.reject(
      new OrbitError('FORBIDDEN', `${settings.brokerName} broker ${settings.brokerId} is a replica: it serves reads only; send to the master (broker 0)`),
    );
  return new Proxy(store, { get: (target, prop, receiver) => (prop === 'appendBatch' ? refuse : Reflect.get(target, prop, receiver)) });
}

/** How often silent clients are looked for. */
const CLIENT_SWEEP_INTERVAL_MS = 10_000;
/** How often silent filter servers are looked for (they are dropped after filterServerExpiryMs). */
const FILTER_SWEEP_INTERVAL_MS = 2_000;

/**
 * The broker's messaging logic, wired and nothing else: each part is built from its folder and
 * reports through `events`. The app opens the store, serves `service` (v2) and `admin` on gRPC,
 * binds events to logs and metrics, and registers with the name servers.
 */
export class Broker {
  readonly events = new BrokerEvents();
  readonly topics: TopicManager;
  readonly groups: GroupManager;
  readonly clients = new ClientRegistry(BROKER_LIMITS.clientTtlMs);
  readonly hub: LongPollHub;
  readonly pop: PopService;
  readonly timers: TimerService;
  readonly transactions: TransactionService;
  readonly checker: TransactionChecker;
  readonly admin: BrokerAdminApi;
  readonly gauges: BrokerGauges;
  readonly service: v2.MessagingServiceHandlers;
  /** RocketMQ 4.x remoting processors over the same services (the host serves them). */
  remoting!: BrokerRemoting;
  /** Subscriptions -> filters, and the filter servers registered here (filter/). */
  readonly filters: SubscriptionFilters;
  private readonly renewals: AutoRenewSweep;
  private readonly store: StorePort;
  private stopListening: (() => void) | undefined;
  private sendInflight: InflightBytes | undefined;
  private sendHandler: SendHandler | undefined;
  private filterSweep: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: BrokerDeps,
    readonly settings: BrokerSettings,
  ) {
    const { indexes } = deps;
    // A replica serves reads only: every append path (sends, transactions, dead letters, timers) is refused.
    const store = settings.role === 'replica' ? readOnlyStore(deps.store, settings) : deps.store;
    this.store = store;
    const now = Date.now;
    this.topics = new TopicManager(store.metadata, {
      autoCreateTopicEnable: settings.autoCreateTopicEnable,
      defaultTopicQueueNums: settings.defaultTopicQueueNums,
      nowMs: now,
    });
    this.groups = new GroupManager(store.metadata, { autoCreateSubscriptionGroup: settings.autoCreateSubscriptionGroup, nowMs: now });
    this.hub = new LongPollHub(settings.maxLongPollWaiters);
    const deadLetters = new DeadLetterQueue(store, this.topics, (group, letters) =>
      this.events.emit('deadLettered', {
        group,
        letters: letters.map((l) => ({ topic: l.record.topic, messageId: l.record.messageId, attempts: l.attempts })),
      }),
    );
    const popLimits = { maxInflightPerQueue: settings.maxInflightPerQueue, maxScanEntriesPerPop: BROKER_LIMITS.maxScanEntriesPerPop };
    this.pop = new PopService(store, this.groups, settings.brokerName, popLimits, deadLetters.append, Date.now, (group, error) =>
      this.events.emit('backgroundError', { task: `dead-letter append for group ${group}`, error }),
    );
    this.renewals = new AutoRenewSweep(
      this.pop,
      (id) => this.clients.get(id)?.telemetry !== undefined,
      { extendMs: BROKER_LIMITS.autoRenewInvisibleMs, sweepIntervalMs: BROKER_LIMITS.autoRenewSweepMs },
      (error) => this.events.emit('backgroundError', { task: 'auto-renew', error }),
    );
    this.timers = this.createTimerService();
    this.transactions = new TransactionService(store, this.topics, (outcome, half) => {
      this.events.emit('transactionEnded', { outcome, topic: half.topic, messageId: half.messageId });
    });
    this.checker = this.createChecker();
    this.filters = this.createFilters();
    this.admin = new BrokerAdminApi({
      store,
      indexes,
      topics: this.topics,
      groups: this.groups,
      pop: this.pop,
      clients: this.clients,
      hub: this.hub,
      transactions: this.transactions,
      // offsetMsgIds of this broker (4.x) name a record by its log offset (remoting is built later).
      logOffsetOfMessageId: (id) => this.remoting?.logOffsetOf(id),
      filters: this.filters,
      // The send handler is made with the service below; resends wait for it.
      send: { sendMessages: (messages, clientId, queueId) => (this.sendHandler as SendHandler).sendMessages(messages, clientId, queueId) },
    });
    this.gauges = this.createGauges();
    this.service = this.createService();
  }

  private createService(): v2.MessagingServiceHandlers {
    const store = this.store;
    const s = this.settings;
    const events = this.events;
    const delay = { levelsMs: s.delayLevelsMs, maxDelayMs: s.maxDelayMs };
    const inflightLimits = { maxPerConnection: s.maxInflightSendBytesPerConnection, maxTotal: s.maxInflightSendBytes };
    this.sendInflight = new InflightBytes(inflightLimits);
    const send = (this.sendHandler = new SendHandler(
      store,
      this.topics,
      { maxMessageSize: s.maxMessageSize, maxPropertiesBytes: BROKER_LIMITS.maxPropertiesBytes, delay },
      { windowMs: BROKER_LIMITS.dedupWindowMs, maxEntries: BROKER_LIMITS.maxDedupEntries },
      (topic, messages, bytes) => events.emit('messagesStored', { topic, messages, bytes }),
      this.sendInflight,
      this.deps.replication,
    ));
    const receive = new ReceiveHandler(
      this.topics,
      this.groups,
      this.pop,
      this.hub,
      BROKER_LIMITS,
      s.clientEndpoint,
      this.filters,
      (topic, group, messages, bytes, redeliveries) => events.emit('messagesDelivered', { topic, group, messages, bytes, redeliveries }),
    );
    const acks = new AckHandler(this.pop, this.hub, BROKER_LIMITS.maxInvisibleMs, (topic, group, messages) =>
      events.emit('messagesAcked', { topic, group, messages }),
    );
    const telemetryDefaults = {
      maxMessageSize: s.maxMessageSize,
      receiveBatchSize: BROKER_LIMITS.receiveBatchSize,
      longPollingTimeoutMs: s.consumerLongPollingMs,
    };
    const telemetry = new TelemetryHandler(
      this.clients,
      this.groups,
      telemetryDefaults,
      (e) => events.emit('clientSubscribed', e),
      (entries) => this.filters.checkSubscriptions(entries),
    );
    this.remoting = new BrokerRemoting({
      send,
      store,
      topics: this.topics,
      groups: this.groups,
      hub: this.hub,
      filters: this.filters,
      transactions: this.transactions,
      internalEndpoint: s.internalEndpoint,
      delayLevelsMs: s.delayLevelsMs,
      writable: s.role !== 'replica',
      publishRoutes: () => void this.deps.publishRoutes().catch(() => undefined),
      observe: (method, code, durationMs) => events.emit('request', { method, code, durationMs }),
      acl: this.deps.acl,
    });
    return messagingService({
      routes: new RouteResolver(this.deps.routes, this.topics, this.deps.publishRoutes, { ...s, writable: this.deps.writable ?? (() => true) }),
      send,
      receive,
      acks,
      telemetry,
      clients: this.clients,
      events,
      groups: this.groups,
      offsets: new OffsetHandler(store, this.topics, this.groups),
      pull: new PullHandler(store, this.topics, this.hub, BROKER_LIMITS, s.clientEndpoint, this.filters),
      transactions: this.transactions,
      acl: this.deps.acl,
    });
  }

  private createFilters(): SubscriptionFilters {
    const events = this.events;
    return new SubscriptionFilters({ ...DEFAULT_FILTER_SETTINGS, ...this.settings.filter }, this.deps.filterTransport ?? NO_FILTER_TRANSPORT, {
      evaluated: (e) => events.emit('filterEvaluated', e),
      fallback: (e) => events.emit('filterFallback', e),
      serverFailed: (e) => events.emit('filterServerFailed', e),
    });
  }

  /** A filter server's Register (its heartbeat); true when it is new to this broker. */
  registerFilterServer(endpoint: string, instanceId: string): boolean {
    const isNew = this.filters.servers.register(endpoint, instanceId);
    if (isNew) this.events.emit('filterServerRegistered', { endpoint, instanceId });
    return isNew;
  }

  unregisterFilterServer(endpoint: string, instanceId: string): boolean {
    const removed = this.filters.servers.unregister(endpoint, instanceId);
    if (removed) {
      this.deps.filterTransport?.forget(endpoint);
      this.events.emit('filterServerRemoved', { endpoint, reason: 'unregistered' });
    }
    return removed;
  }

  private sweepFilterServers(): void {
    for (const endpoint of this.filters.servers.expire()) {
      this.deps.filterTransport?.forget(endpoint);
      this.events.emit('filterServerRemoved', { endpoint, reason: 'expired' });
    }
  }

  private createTimerService(): TimerService {
    return new TimerService(this.store, this.deps.indexes.timer, this.topics, {
      moved: (topic, latenessMs) => this.events.emit('delayedMoved', { topic, latenessMs }),
      dropped: (reason, topic, messageId) => this.events.emit('delayedDropped', { reason, topic, messageId }),
      error: (error) => this.events.emit('backgroundError', { task: 'delayed-message mover', error }),
    });
  }

  private createChecker(): TransactionChecker {
    const s = this.settings;
    const settings = {
      transactionTimeoutMs: s.transactionTimeoutMs,
      checkIntervalMs: s.transactionCheckIntervalMs,
      checkMax: s.transactionCheckMax,
      storeHost: s.clientEndpoint,
    };
    return new TransactionChecker(
      this.store,
      this.transactions,
      this.clients,
      settings,
      {
        checked: (topic, sent) => this.events.emit('transactionChecked', { topic, sent }),
        discarded: (half, checks, reason) => this.events.emit('halfDiscarded', { topic: half.topic, messageId: half.messageId, checks, reason }),
        error: (error) => this.events.emit('backgroundError', { task: 'transaction check sweep', error }),
      },
      Date.now,
      // 4.x producers are asked over remoting (built later, in createService).
      (half, record, halfLogOffset) => this.remoting?.checkTransaction(half, record, halfLogOffset) ?? false,
    );
  }

  private createGauges(): BrokerGauges {
    const { store, indexes } = this.deps;
    return {
      inflightMessages: () => this.pop.inflightCount(),
      sendInflightBytes: () => this.sendInflight?.bytes ?? 0,
      parkedReceives: () => this.hub.parked,
      clients: () => this.clients.list().length,
      consumerLag: () =>
        this.groups.list().flatMap((g) =>
          this.pop.progress(g.groupName).map((p) => ({
            group: g.groupName,
            topic: p.topic,
            queueId: p.queueId,
            lag: Math.max(0, store.getMaxQueueOffset(p.topic, p.queueId) - p.consumedOffset),
          })),
        ),
      delayedPending: () => indexes.timer.pending(),
      halfPending: () => indexes.transactions.pending(),
    };
  }

  /** Loads topics, groups, in-flight state and the delayed/transaction counts (before serving). */
  async load(): Promise<void> {
    const { store, indexes } = this.deps;
    await this.topics.load();
    await this.groups.load();
    await this.pop.load();
    await indexes.timer.load(store.metadata);
    await indexes.transactions.load(store.metadata);
  }

  /**
   * Reads topics, groups and in-flight state again from the store, dropping what was cached: a
   * replica calls it after its master's state was applied to its store, a master after a
   * replica's (the consumer state the replica changed while it served without a master).
   */
  async reloadState(): Promise<void> {
    const { store, indexes } = this.deps;
    await this.topics.reload();
    await this.groups.reload();
    await this.pop.reload();
    await indexes.timer.load(store.metadata);
    await indexes.transactions.load(store.metadata);
  }

  /**
   * Starts the background services and the dispatch -> long-poll wake-up. A replica runs none of
   * the services that write (delayed-message mover, transaction check-back): its master does.
   */
  start(): void {
    this.stopListening = this.hub.listen(this.deps.store.events);
    if (this.settings.role !== 'replica') {
      this.timers.start();
      this.checker.start();
    }
    this.clients.startSweep(CLIENT_SWEEP_INTERVAL_MS, (clientId) => this.events.emit('clientExpired', { clientId }));
    this.renewals.start();
    this.filterSweep = setInterval(() => this.sweepFilterServers(), FILTER_SWEEP_INTERVAL_MS);
    this.filterSweep.unref();
    this.remoting.start();
  }

  /** Stops the background services and wakes every parked receive (they answer "no message"). */
  stop(): void {
    this.timers.stop();
    this.checker.stop();
    this.clients.stopSweep();
    this.renewals.stop();
    if (this.filterSweep) clearInterval(this.filterSweep);
    this.stopListening?.();
    this.hub.wakeAll();
    void this.remoting.stop();
  }
}
