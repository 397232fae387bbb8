import { OrbitError, checkGroupName } from '@orbitmq/protocol';
import type { StoreMetadata } from '../store-port';
import { METADATA_NS } from './namespaces';

/** Where a group that has never consumed a queue starts. */
export type ConsumeFromWhere = 'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP';

export interface SubscriptionGroupConfig {
  groupName: string;
  consumeEnable: boolean;
  /** A message delivered this many times without an ack goes to %DLQ%<group>. */
  maxDeliveryAttempts: number;
  /**
   * Message-group order: 'auto' (default) keeps send order for messages that carry a message
   * group; 'ordered' does too and tells PushConsumers to consume one at a time (Settings fifo);
   * 'unordered' delivers them like normal messages.
   */
  ordering: 'auto' | 'ordered' | 'unordered';
  consumeFromWhere: ConsumeFromWhere;
  /**
   * How long a nacked delivery (PushConsumer) stays invisible before it comes back, by attempt:
   * entry i after the i+1-th failed delivery, the last entry for every later one. RocketMQ's
   * ladder by default. (A SimpleConsumer chooses its own invisible time, which is its retry delay.)
   */
  retryBackoffMs: number[];
  /** For CONSUME_FROM_TIMESTAMP; for CONSUME_FROM_LAST_OFFSET the group's creation time. */
  consumeTimestampMs: number;
  createdAtMs: number;
}

export const DEFAULT_MAX_DELIVERY_ATTEMPTS = 16;
const S = 1_000;
const M = 60 * S;
/** RocketMQ's retry ladder (delay levels 3..18): 10s 30s 1m 2m ... 10m 20m 30m 1h 2h. */
export const DEFAULT_RETRY_BACKOFF_MS = [10 * S, 30 * S, M, 2 * M, 3 * M, 4 * M, 5 * M, 6 * M, 7 * M, 8 * M, 9 * M, 10 * M, 20 * M, 30 * M, 60 * M, 120 * M];
const MAX_RETRY_BACKOFF_STEPS = 32;
const MAX_RETRY_BACKOFF_MS = 24 * 60 * M;

/** The back-off before delivery number `attempt + 1`, after `attempt` failed deliveries. */
export function retryBackoff(g: SubscriptionGroupConfig, attempt: number): number {
  const ladder = g.retryBackoffMs?.length ? g.retryBackoffMs : DEFAULT_RETRY_BACKOFF_MS; // groups stored before the ladder existed
  return ladder[Math.min(Math.max(attempt, 1), ladder.length) - 1] as number;
}
const NS = METADATA_NS.group;

/**
 * Subscription groups: persisted, auto-created on first use when enabled. A new group starts at
 * the end of each queue as of the moment the group was first seen (RocketMQ's
 * CONSUME_FROM_LAST_OFFSET), so messages sent after a consumer started are never skipped even if
 * its first receive comes later.
 */
export class GroupManager {
  private readonly groups = new Map<string, SubscriptionGroupConfig>();

  constructor(
    private readonly metadata: StoreMetadata,
    private readonly defaults: { autoCreateSubscriptionGroup: boolean; nowMs: () => number },
  ) {}

  /** Whether unknown groups are created on first use (mqadmin updateBrokerConfig); the next lookup uses it. */
  setAutoCreate(autoCreateSubscriptionGroup: boolean): void {
    this.defaults.autoCreateSubscriptionGroup = autoCreateSubscriptionGroup;
  }

  /** Drops the cache and loads again (after replicated state was applied to the store). */
  async reload(): Promise<void> {
    this.groups.clear();
    await this.load();
  }

  async load(): Promise<void> {
    for (const { value } of await this.metadata.list(NS)) {
      const g = JSON.parse(value.toString('utf8')) as SubscriptionGroupConfig;
      this.groups.set(g.groupName, g);
    }
  }

  get(group: string): SubscriptionGroupConfig | undefined {
    return this.groups.get(group);
  }

  list(): SubscriptionGroupConfig[] {
    return [...this.groups.values()].sort((a, b) => a.groupName.localeCompare(b.groupName));
  }

  async ensure(group: string): Promise<SubscriptionGroupConfig> {
    const existing = this.groups.get(group);
    if (existing) return existing;
    checkGroupName(group);
    if (!this.defaults.autoCreateSubscriptionGroup) {
      throw new OrbitError('CONSUMER_GROUP_NOT_FOUND', `consumer group ${group} does not exist and autoCreateSubscriptionGroup is false`);
    }
    return this.upsert({ groupName: group });
  }

  async upsert(cfg: Partial<SubscriptionGroupConfig> & { groupName: string }): Promise<SubscriptionGroupConfig> {
    checkGroupName(cfg.groupName);
    const prev = this.groups.get(cfg.groupName);
    const now = this.defaults.nowMs();
    const g: SubscriptionGroupConfig = {
      consumeEnable: true,
      maxDeliveryAttempts: DEFAULT_MAX_DELIVERY_ATTEMPTS,
      ordering: 'auto',
      consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
      retryBackoffMs: DEFAULT_RETRY_BACKOFF_MS,
      consumeTimestampMs: now,
      createdAtMs: now,
      ...prev,
      ...cfg,
    };
    if (!Number.isInteger(g.maxDeliveryAttempts) || g.maxDeliveryAttempts < 1 || g.maxDeliveryAttempts > 1000) {
      throw new OrbitError('BAD_REQUEST', `maxDeliveryAttempts ${g.maxDeliveryAttempts} must be 1-1000`);
    }
    if (
      !Array.isArray(g.retryBackoffMs) ||
      g.retryBackoffMs.length === 0 ||
      g.retryBackoffMs.length > MAX_RETRY_BACKOFF_STEPS ||
      g.retryBackoffMs.some((ms) => !Number.isInteger(ms) || ms < 0 || ms > MAX_RETRY_BACKOFF_MS)
    ) {
      throw new OrbitError('BAD_REQUEST', `retryBackoffMs must be 1-${MAX_RETRY_BACKOFF_STEPS} steps of 0-${MAX_RETRY_BACKOFF_MS} ms`);
    }
    await this.metadata.put(NS, g.groupName, Buffer.from(JSON.stringify(g)));
    this.groups.set(g.groupName, g);
    return g;
  }

  async delete(group: string): Promise<boolean> {
    if (!this.groups.delete(group)) return false;
    await this.metadata.delete(NS, group);
    return true;
  }
}
