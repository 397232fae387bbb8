import { OrbitError, checkTopicName } from '@orbitmq/protocol';
import type { StoreMetadata } from '../store-port';
import { METADATA_NS } from './namespaces';

export type TopicMessageType = 'NORMAL' | 'FIFO' | 'DELAY' | 'TRANSACTION' | 'MIXED';

export interface BrokerTopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  /** RocketMQ bits: 2 writable, 4 readable. */
  perm: number;
  messageType: TopicMessageType;
  createdAtMs: number;
}

export const PERM_WRITE = 2;
export const PERM_READ = 4;
export const MAX_QUEUE_NUMS = 1_024;
const NS = METADATA_NS.topic;

/**
 * The broker's topics: persisted in the store's metadata, held in memory, versioned. Every
 * change bumps the data version that the registration loop sends to the name servers.
 */
export class TopicManager {
  private readonly topics = new Map<string, BrokerTopicConfig>();
  private version = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly metadata: StoreMetadata,
    private readonly defaults: { autoCreateTopicEnable: boolean; defaultTopicQueueNums: number; nowMs: () => number },
  ) {}

  /** Changes how unknown topics are treated (mqadmin updateBrokerConfig); the next lookup uses it. */
  setDefaults(change: { autoCreateTopicEnable?: boolean; defaultTopicQueueNums?: number }): void {
    if (change.autoCreateTopicEnable !== undefined) this.defaults.autoCreateTopicEnable = change.autoCreateTopicEnable;
    if (change.defaultTopicQueueNums !== undefined) this.defaults.defaultTopicQueueNums = change.defaultTopicQueueNums;
  }

  /** Drops the cache and loads again (after replicated state was applied to the store). */
  async reload(): Promise<void> {
    this.topics.clear();
    await this.load();
  }

  async load(): Promise<void> {
    for (const { value } of await this.metadata.list(NS)) {
      const t = JSON.parse(value.toString('utf8')) as BrokerTopicConfig;
      this.topics.set(t.topicName, t);
    }
    this.bump();
  }

  /** Decimal, increasing across restarts (time-based), as the name server expects. */
  get dataVersion(): string {
    return String(this.version);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  get(topic: string): BrokerTopicConfig | undefined {
    return this.topics.get(topic);
  }

  list(): BrokerTopicConfig[] {
    return [...this.topics.values()].sort((a, b) => a.topicName.localeCompare(b.topicName));
  }

  /** The topic, auto-created (MIXED, defaultTopicQueueNums) when that is enabled; else TOPIC_NOT_FOUND. */
  async ensure(topic: string): Promise<BrokerTopicConfig> {
    const existing = this.topics.get(topic);
    if (existing) return existing;
    checkTopicName(topic);
    if (!this.defaults.autoCreateTopicEnable) throw new OrbitError('TOPIC_NOT_FOUND', `topic ${topic} does not exist and autoCreateTopicEnable is false`);
    const n = this.defaults.defaultTopicQueueNums;
    return this.upsert({ topicName: topic, readQueueNums: n, writeQueueNums: n, perm: PERM_READ | PERM_WRITE, messageType: 'MIXED' });
  }

  async upsert(cfg: Omit<BrokerTopicConfig, 'createdAtMs'> & { createdAtMs?: number }): Promise<BrokerTopicConfig> {
    checkTopicName(cfg.topicName);
    for (const [k, n] of [
      ['readQueueNums', cfg.readQueueNums],
      ['writeQueueNums', cfg.writeQueueNums],
    ] as const) {
      if (!Number.isInteger(n) || n < 1 || n > MAX_QUEUE_NUMS) throw new OrbitError('BAD_REQUEST', `${k} ${n} must be 1-${MAX_QUEUE_NUMS}`);
    }
    if (!Number.isInteger(cfg.perm) || cfg.perm < 0 || cfg.perm > 7) throw new OrbitError('BAD_REQUEST', `perm ${cfg.perm} must be 0-7`);
    const prev = this.topics.get(cfg.topicName);
    const t: BrokerTopicConfig = { ...cfg, createdAtMs: cfg.createdAtMs ?? prev?.createdAtMs ?? this.defaults.nowMs() };
    await this.metadata.put(NS, t.topicName, Buffer.from(JSON.stringify(t)));
    this.topics.set(t.topicName, t);
    this.changed();
    return t;
  }

  async delete(topic: string): Promise<boolean> {
    if (!this.topics.has(topic)) return false;
    await this.metadata.delete(NS, topic);
    this.topics.delete(topic);
    this.changed();
    return true;
  }

  private changed(): void {
    this.bump();
    for (const l of this.listeners) l();
  }

  private bump(): void {
    this.version = Math.max(this.version + 1, this.defaults.nowMs() * 1000);
  }
}

/** Which v2 message types a topic accepts. */
export function acceptedTypes(t: TopicMessageType): ('NORMAL' | 'FIFO' | 'DELAY' | 'TRANSACTION')[] {
  return t === 'MIXED' ? ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION'] : [t];
}
