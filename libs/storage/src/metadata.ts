import { StorageError, StorageErrorCode } from './errors';
import type { Kv } from './kv';
import {
  consumerOffsetGroupPrefix,
  consumerOffsetKey,
  NS,
  cqTopicPrefix,
  decodeConsumerOffsetKey,
  metadataKey,
  metadataPrefix,
  prefixEnd,
  queueOffsetKey,
  u64Value,
} from './keys';
import { Limits } from './limits';
import type { StateOp } from './state-sync';
import { readU64 } from './u64';

export interface ConsumerOffsetEntry {
  topic: string;
  queueId: number;
  offset: number;
}

export type MetadataOp = { type: 'put'; namespace: string; key: Buffer | string; value: Buffer } | { type: 'del'; namespace: string; key: Buffer | string };

function checkName(what: string, s: string): void {
  const n = Buffer.byteLength(s, 'utf8');
  if (n === 0 || n > Limits.maxTopicBytes) {
    throw new StorageError(StorageErrorCode.ILLEGAL_ARGUMENT, `${what} must be 1..${Limits.maxTopicBytes} bytes, got ${n}`);
  }
}

/**
 * The broker's own state in the store's LevelDB: consumer offsets and namespaced metadata (topic
 * and subscription-group configs, in-flight receipts, timers). Keys inside a namespace are the
 * caller's bytes, so callers can design order-preserving keys (e.g. due time first).
 *
 * Every write is reported to `onChanged` as raw-key StateOps once committed (the store turns them
 * into 'stateChanged' events for replication); deleteTopicIndexes touches indexes only, not state.
 */
export class Metadata {
  constructor(
    private readonly kv: Kv,
    private readonly onChanged: (ops: StateOp[]) => void = () => undefined,
  ) {}

  async getConsumerOffset(group: string, topic: string, queueId: number): Promise<number | undefined> {
    checkName('group', group);
    checkName('topic', topic);
    const v = await this.kv.get(consumerOffsetKey(group, topic, queueId));
    return v ? readU64(v, 0) : undefined;
  }

  async setConsumerOffset(group: string, topic: string, queueId: number, offset: number): Promise<void> {
    checkName('group', group);
    checkName('topic', topic);
    const key = consumerOffsetKey(group, topic, queueId);
    const value = u64Value(offset);
    await this.kv.put(key, value);
    this.onChanged([{ kind: 'put', key, value }]);
  }

  async listConsumerOffsets(group: string): Promise<ConsumerOffsetEntry[]> {
    checkName('group', group);
    const prefix = consumerOffsetGroupPrefix(group);
    const out: ConsumerOffsetEntry[] = [];
    await this.kv.forEach({ gte: prefix, lt: prefixEnd(prefix) }, (k, v) => {
      const { topic, queueId } = decodeConsumerOffsetKey(k);
      out.push({ topic, queueId, offset: readU64(v, 0) });
    });
    return out;
  }

  async deleteConsumerOffsets(group: string): Promise<void> {
    checkName('group', group);
    const prefix = consumerOffsetGroupPrefix(group);
    const range = { gte: prefix, lt: prefixEnd(prefix) };
    await this.kv.clear(range);
    this.onChanged([{ kind: 'clear', ...range }]);
  }

  async get(namespace: string, key: Buffer | string): Promise<Buffer | undefined> {
    checkName('namespace', namespace);
    return this.kv.get(metadataKey(namespace, key));
  }

  async put(namespace: string, key: Buffer | string, value: Buffer): Promise<void> {
    checkName('namespace', namespace);
    const k = metadataKey(namespace, key);
    await this.kv.put(k, value);
    this.onChanged([{ kind: 'put', key: k, value }]);
  }

  async delete(namespace: string, key: Buffer | string): Promise<void> {
    checkName('namespace', namespace);
    const k = metadataKey(namespace, key);
    await this.kv.del(k);
    this.onChanged([{ kind: 'del', key: k }]);
  }

  /** Applies several puts and deletes atomically. */
  async batch(ops: readonly MetadataOp[]): Promise<void> {
    const b = this.kv.batch();
    const changes: StateOp[] = [];
    for (const op of ops) {
      checkName('namespace', op.namespace);
      const key = metadataKey(op.namespace, op.key);
      if (op.type === 'put') {
        b.put(key, op.value);
        changes.push({ kind: 'put', key, value: op.value });
      } else {
        b.del(key);
        changes.push({ kind: 'del', key });
      }
    }
    await b.write();
    if (changes.length > 0) this.onChanged(changes);
  }

  /** Entries of a namespace in key order; `from`/`to` bound the caller's key bytes. */
  async list(namespace: string, opts: { from?: Buffer | string; to?: Buffer | string; limit?: number } = {}): Promise<{ key: Buffer; value: Buffer }[]> {
    checkName('namespace', namespace);
    const prefix = metadataPrefix(namespace);
    const entries = await this.kv.entries({
      gte: opts.from !== undefined ? metadataKey(namespace, opts.from) : prefix,
      lt: opts.to !== undefined ? metadataKey(namespace, opts.to) : prefixEnd(prefix),
      ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
    });
    return entries.map(([k, v]) => ({ key: k.subarray(prefix.length), value: v }));
  }

  /** Drops a topic's consume-queue entries, their blocks and the queue counters. */
  async deleteTopicIndexes(topic: string): Promise<void> {
    checkName('topic', topic);
    const cq = cqTopicPrefix(topic);
    await this.kv.clear({ gte: cq, lt: prefixEnd(cq) });
    const blocks = cqTopicPrefix(topic, NS.consumeQueueBlock);
    await this.kv.clear({ gte: blocks, lt: prefixEnd(blocks) });
    const q = queueOffsetKey(topic, 0).subarray(0, cq.length);
    await this.kv.clear({ gte: q, lt: prefixEnd(q) });
  }
}
