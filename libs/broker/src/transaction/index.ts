/**
 * transaction/: half messages. The index kept by dispatch (open halves, check times), commit and
 * rollback (transaction-service), and check-backs to producers (transaction-checker).
 */
export { type RemoteCheckBack, TransactionChecker } from './transaction-checker';
export { TransactionIndex, transactionIdOf } from './transaction-index';
export { MAX_PENDING_LISTED, type PendingTransaction, TransactionService } from './transaction-service';
