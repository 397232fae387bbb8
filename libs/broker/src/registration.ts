import type { NameServerClients } from '@orbitmq/namesrv-client';
import type { v1 } from '@orbitmq/protocol';
import type { TopicManager } from './topic-manager';

export interface BrokerIdentityConfig {
  clusterName: string;
  brokerName: string;
  brokerId: number;
  clientEndpoint: string;
  internalEndpoint: string;
}

/**
 * broker -> name server: registers this broker (endpoints, topics, data version) with EVERY name
 * server every registerIntervalMs, at once when topics change, and unregisters on a graceful
 * stop. Name servers never share state, so each must hear from the broker itself.
 */
export class Registration {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly namesrv: NameServerClients,
    private readonly topics: TopicManager,
    private readonly self: BrokerIdentityConfig,
    private readonly intervalMs: number,
    private readonly log: (level: 'info' | 'warn', msg: string, meta: object) => void,
  ) {
    topics.onChange(() => void this.registerNow());
  }

  start(): Promise<void> {
    this.timer = setInterval(() => void this.registerNow(), this.intervalMs);
    this.timer.unref();
    return this.registerNow();
  }

  /** Registers now; concurrent calls share one run plus one follow-up (so no change is missed). */
  registerNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.once().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.registerNow();
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    const res = await this.namesrv.unregisterBroker({ broker: this.identity() });
    for (const r of res) if (r.error) this.log('warn', 'unregister failed', { namesrv: r.address, error: r.error.message });
  }

  private identity(): v1.BrokerIdentity {
    return { clusterName: this.self.clusterName, brokerName: this.self.brokerName, brokerId: this.self.brokerId };
  }

  private async once(): Promise<void> {
    const req: v1.RegisterBrokerRequest = {
      broker: this.identity(),
      endpoints: { clientEndpoint: this.self.clientEndpoint, internalEndpoint: this.self.internalEndpoint },
      dataVersion: this.topics.dataVersion,
      topics: this.topics.list().map((t) => ({ topicName: t.topicName, readQueueNums: t.readQueueNums, writeQueueNums: t.writeQueueNums, perm: t.perm, messageType: t.messageType })),
      filterServerEndpoints: [],
    };
    for (const r of await this.namesrv.registerBroker(req)) {
      if (r.error) this.log('warn', 'registration failed', { namesrv: r.address, code: r.error.code, error: r.error.message });
    }
  }
}
