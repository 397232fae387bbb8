import type { ClientInfo, ClientRegistry } from '../clients';
import { toCheckMessage } from '../message';
import type { StorePort, StoreRecord } from '../store-port';
import { TXN_CHECK_NS, checkKey, checksValue, decodeCheckKey, transactionIdOf, type HalfEntry } from './transaction-index';
import type { TransactionService } from './transaction-service';

export interface TransactionCheckSettings {
  /** First check no sooner than this after the half message was stored (transactionTimeOut). */
  transactionTimeoutMs: number;
  /** Between checks of the same half message (transactionCheckInterval). */
  checkIntervalMs: number;
  /** Checks before the half message is discarded (transactionCheckMax). */
  checkMax: number;
  storeHost: string;
}

const CHECK_LIMITS = {
  /** Check entries handled per sweep; the rest wait for the next sweep. */
  maxChecksPerSweep: 1_000,
  /** Longest and shortest pause between sweeps (derived from the settings in between). */
  maxSweepIntervalMs: 1_000,
  minSweepIntervalMs: 50,
};

/**
 * A check-back over another protocol (RocketMQ 4.x remoting: CHECK_TRANSACTION_STATE to the half
 * message's producer group); true when it was sent.
 */
export type RemoteCheckBack = (half: HalfEntry, record: StoreRecord, halfLogOffset: number) => boolean;

export interface CheckObserver {
  checked(topic: string, sent: boolean): void;
  discarded(half: HalfEntry, checksDone: number, reason: 'check-max' | 'record-gone'): void;
  error(err: Error): void;
}

/**
 * Transaction check-back (RocketMQ's TransactionalMessageCheckService): every sweep reads the
 * check entries that are due, in due order, and for each half message still pending asks a
 * producer over its Telemetry stream (recover_orphaned_transaction_command): the client that sent
 * it if it is still connected, otherwise a producer that declared the topic. The producer answers
 * with EndTransaction. A half message from a 4.x producer is checked over remoting instead
 * (`remoteCheckBack`) when its sender has no Telemetry stream. Each check is counted durably; after transactionCheckMax checks the half
 * message is discarded. A check with no producer online still counts, so a half message whose
 * producer is gone for good ends too.
 */
export class TransactionChecker {
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;
  private rotation = 0;

  constructor(
    private readonly store: StorePort,
    private readonly txns: TransactionService,
    private readonly clients: ClientRegistry,
    private readonly settings: TransactionCheckSettings,
    private readonly observer: CheckObserver,
    private readonly nowMs: () => number = Date.now,
    private readonly remoteCheckBack?: RemoteCheckBack,
  ) {}

  start(): void {
    const s = this.settings;
    const everyMs = Math.max(
      CHECK_LIMITS.minSweepIntervalMs,
      Math.min(CHECK_LIMITS.maxSweepIntervalMs, Math.floor(Math.min(s.transactionTimeoutMs, s.checkIntervalMs) / 4)),
    );
    this.timer = setInterval(() => void this.sweep(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass over the due check entries (public for tests and the admin "check now"). */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const due = await this.store.metadata.list(TXN_CHECK_NS, { to: checkKey(this.nowMs() + 1, 0), limit: CHECK_LIMITS.maxChecksPerSweep });
      for (const { key, value } of due) await this.checkOne(key, value.readUInt16BE(0));
    } catch (err) {
      this.observer.error(err as Error);
    } finally {
      this.sweeping = false;
    }
  }

  private async checkOne(key: Buffer, checksDone: number): Promise<void> {
    const { halfLogOffset } = decodeCheckKey(key);
    if (this.txns.isResolving(halfLogOffset)) return; // its outcome is being written right now
    const half = await this.txns.pending(halfLogOffset);
    if (!half) {
      await this.store.metadata.delete(TXN_CHECK_NS, key); // resolved since: the entry is stale
      return;
    }
    if (checksDone >= this.settings.checkMax) {
      if (await this.txns.discard(halfLogOffset, half)) {
        await this.store.metadata.delete(TXN_CHECK_NS, key);
        this.observer.discarded(half, checksDone, 'check-max');
      }
      return;
    }
    const record = await this.store.getMessage(halfLogOffset, half.size).catch(() => undefined);
    if (!record) {
      // Retention removed the segment: nothing left to commit, so end it.
      if (await this.txns.discard(halfLogOffset, half)) {
        await this.store.metadata.delete(TXN_CHECK_NS, key);
        this.observer.discarded(half, checksDone, 'record-gone');
      }
      return;
    }
    const sent = this.sendCheck(half, record, halfLogOffset);
    await this.store.metadata.batch([
      { type: 'del', namespace: TXN_CHECK_NS, key },
      { type: 'put', namespace: TXN_CHECK_NS, key: checkKey(this.nowMs() + this.settings.checkIntervalMs, halfLogOffset), value: checksValue(checksDone + 1) },
    ]);
    this.observer.checked(half.topic, sent);
  }

  /**
   * To the sending v5 client if its Telemetry stream is open, else over remoting to the 4.x
   * producer group, else to a v5 producer of the topic (rotating). False when nobody was asked.
   */
  private sendCheck(half: HalfEntry, record: StoreRecord, halfLogOffset: number): boolean {
    const sender = half.producerClientId ? this.clients.get(half.producerClientId) : undefined;
    let producer = sender?.telemetry ? sender : undefined;
    if (!producer && this.remoteCheckBack?.(half, record, halfLogOffset)) return true;
    producer ??= this.pickProducer(half);
    if (!producer?.telemetry) return false;
    producer.telemetry.write({
      recoverOrphanedTransactionCommand: { message: toCheckMessage(record, this.settings.storeHost), transactionId: transactionIdOf(halfLogOffset) },
    });
    return true;
  }

  /** A v5 producer that declared the topic, rotating. */
  private pickProducer(half: HalfEntry): ClientInfo | undefined {
    const candidates = this.clients.list().filter((c) => c.telemetry && c.clientType === 'PRODUCER' && c.topics.has(half.topic));
    if (candidates.length === 0) return undefined;
    this.rotation = (this.rotation + 1) % 0x7fff_ffff;
    return candidates[this.rotation % candidates.length];
  }
}
