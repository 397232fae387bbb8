import { OrbitError, type v2 } from '@orbitmq/protocol';
import {
  SYSFLAG_TYPE,
  completingProperties,
  copyRecord,
  encodeProperties,
  OP_TAG_DISCARD,
  OP_TAG_ROLLBACK,
  OP_TOPIC,
  SYSFLAG_TXN_END,
  readU64,
} from '../message';
import { QueueSelector, type TopicManager, scanNamespace } from '../meta';
import type { StoreAppend, StorePort, StoreRecord } from '../store-port';
import { type HalfEntry, TXN_HALF_NS, decodeHalfEntry, halfKey, parseTransactionId, transactionIdOf } from './transaction-index';

export type TransactionOutcome = 'commit' | 'rollback' | 'discard';

export interface PendingTransaction extends HalfEntry {
  transactionId: string;
}

/** Most pending transactions one admin listing returns. */
export const MAX_PENDING_LISTED = 1_000;

/**
 * Ends half messages. A commit appends the message to a queue of its real topic (same id,
 * properties and body, type TRANSACTION); a rollback or discard appends a small record to
 * OP_TOPIC. Either record carries the half's log offset, and its dispatch deletes the pending
 * entry (transaction-index), so the outcome is as durable as any message and happens once. While
 * an outcome is being written the half is in `resolving`, so a second EndTransaction, a check-back
 * answer or the checker's discard racing with it gets INVALID_TRANSACTION_ID instead of a
 * duplicate.
 */
export class TransactionService {
  private readonly resolving = new Set<number>();
  private readonly selector = new QueueSelector();

  constructor(
    private readonly store: StorePort,
    private readonly topics: TopicManager,
    private readonly onOutcome: (outcome: TransactionOutcome, half: HalfEntry) => void,
  ) {}

  /** EndTransaction from a producer (its own decision or its answer to a check-back). */
  async end(req: v2.EndTransactionRequest__Output): Promise<void> {
    const outcome = req.resolution === 'COMMIT' ? 'commit' : req.resolution === 'ROLLBACK' ? 'rollback' : undefined;
    if (!outcome) throw new OrbitError('BAD_REQUEST', `resolution must be COMMIT or ROLLBACK, got ${String(req.resolution)}`);
    const halfLogOffset = parseTransactionId(req.transactionId);
    if (halfLogOffset === undefined)
      throw new OrbitError('INVALID_TRANSACTION_ID', `'${req.transactionId.slice(0, 40)}' is not a transaction id of this broker`);
    const half = await this.pending(halfLogOffset);
    if (!half || half.messageId !== req.messageId || half.topic !== (req.topic?.name ?? '')) {
      throw new OrbitError('INVALID_TRANSACTION_ID', `transaction ${req.transactionId} of message ${req.messageId} is unknown or already resolved`);
    }
    await this.resolve(halfLogOffset, half, outcome);
  }

  /** The checker gave up on a half message (transactionCheckMax reached, or its record is gone). */
  async discard(halfLogOffset: number, half: HalfEntry): Promise<boolean> {
    if (this.resolving.has(halfLogOffset)) return false;
    await this.resolve(halfLogOffset, half, 'discard');
    return true;
  }

  isResolving(halfLogOffset: number): boolean {
    return this.resolving.has(halfLogOffset);
  }

  async pending(halfLogOffset: number): Promise<HalfEntry | undefined> {
    if (this.resolving.has(halfLogOffset)) return undefined;
    const v = await this.store.metadata.get(TXN_HALF_NS, halfKey(halfLogOffset));
    return v && !this.resolving.has(halfLogOffset) ? decodeHalfEntry(v) : undefined;
  }

  /** Pending transactions of a topic (all topics when empty), oldest first. */
  async list(topic: string, limit: number): Promise<PendingTransaction[]> {
    const max = Math.min(Math.max(1, limit), MAX_PENDING_LISTED);
    const out: PendingTransaction[] = [];
    await scanNamespace(this.store.metadata, TXN_HALF_NS, (key, value) => {
      const e = decodeHalfEntry(value);
      if (!topic || e.topic === topic) out.push({ ...e, transactionId: transactionIdOf(readU64(key, 0)) });
      return out.length < max;
    });
    return out;
  }

  private async resolve(halfLogOffset: number, half: HalfEntry, outcome: TransactionOutcome): Promise<void> {
    if (this.resolving.has(halfLogOffset)) throw new OrbitError('INVALID_TRANSACTION_ID', `transaction ${transactionIdOf(halfLogOffset)} is being resolved`);
    this.resolving.add(halfLogOffset);
    try {
      const append = outcome === 'commit' ? await this.committedCopy(halfLogOffset, half) : this.opRecord(halfLogOffset, half, outcome);
      const [r] = await this.store.appendBatch([append]);
      if (r) await this.store.whenDispatched(r.logOffset + r.size);
    } finally {
      this.resolving.delete(halfLogOffset);
    }
    this.onOutcome(outcome, half);
  }

  private async committedCopy(halfLogOffset: number, half: HalfEntry): Promise<StoreAppend> {
    const topic = this.topics.get(half.topic);
    if (!topic) throw new OrbitError('TOPIC_NOT_FOUND', `topic ${half.topic} of transaction ${transactionIdOf(halfLogOffset)} no longer exists`);
    const r: StoreRecord = await this.store.getMessage(halfLogOffset, half.size);
    const queueId = this.selector.select(half.topic, topic.writeQueueNums);
    return copyRecord(r, {
      topic: half.topic,
      queueId,
      sysFlag: SYSFLAG_TYPE.TRANSACTION | SYSFLAG_TXN_END,
      properties: completingProperties(r, halfLogOffset),
    });
  }

  private opRecord(halfLogOffset: number, half: HalfEntry, outcome: 'rollback' | 'discard'): StoreAppend {
    return {
      topic: OP_TOPIC,
      queueId: 0,
      sysFlag: SYSFLAG_TYPE.NORMAL | SYSFLAG_TXN_END,
      bornTimestampMs: Date.now(),
      messageId: half.messageId,
      tag: outcome === 'rollback' ? OP_TAG_ROLLBACK : OP_TAG_DISCARD,
      properties: encodeProperties({ realTopic: half.topic, originOffset: String(halfLogOffset) }, undefined),
      body: Buffer.alloc(0),
    };
  }
}
