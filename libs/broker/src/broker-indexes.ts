import type { StoreDispatchExtension } from './store-port';
// This module is the package's './indexes' entry point (for the replica): it and what it loads
// must stay free of client-protocol handlers (test/entry-points.test.ts).
import { TimerIndex } from './schedule';
import { TransactionIndex } from './transaction';

/**
 * The broker's own indexes over the commit log, maintained by the store's dispatcher in the same
 * LevelDB batches as the consume queues. They must exist before the store opens (recovery
 * re-dispatches through them), so the app creates them, passes `extensions` to the store, and then
 * hands them to the Broker.
 */
export interface BrokerIndexes {
  timer: TimerIndex;
  transactions: TransactionIndex;
  extensions: StoreDispatchExtension[];
}

export function createBrokerIndexes(settings: { transactionTimeoutMs: number }): BrokerIndexes {
  const timer = new TimerIndex();
  const transactions = new TransactionIndex(settings.transactionTimeoutMs);
  return { timer, transactions, extensions: [timer, transactions] };
}
