/**
 * Every namespace the broker keeps in the store's metadata (LevelDB, key prefix 'x'), in one
 * table. None of these can be rebuilt from the commit log alone except where noted: a replica
 * must be sent them (or rebuild the derived ones through dispatch).
 */
export const METADATA_NS = {
  /** Topic configs (topic-manager.ts). Operator state. */
  topic: 'topic',
  /** Subscription group configs (group-manager.ts). Operator state. */
  group: 'group',
  /** Pop scan offset per group and queue (consume/pop-state.ts). Consumer state. */
  popScan: 'popscan',
  /** Pop in-flight entries per group, queue and offset (consume/pop-state.ts). Consumer state. */
  popInflight: 'pop',
  /** Delayed messages by due time (schedule/timer-index.ts). Derived: written by dispatch. */
  timer: 'timer',
  /** Open half messages (transaction/transaction-index.ts). Derived: written by dispatch. */
  txnHalf: 'txn-half',
  /** Next check-back time of each half message (transaction/transaction-index.ts). */
  txnCheck: 'txn-check',
} as const;
