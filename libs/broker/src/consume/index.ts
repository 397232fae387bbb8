/**
 * consume/: from the store to consumers. Receive/ack ("pop": pop-service, pop-state,
 * receipt-handle, receive-handler, ack-handler), offset pull (pull-handler, offset-handler),
 * long polling (long-poll: the dispatch wake-up and the wait loop both paths use), retries and
 * dead letters (dead-letter), auto-renew for PushConsumers.
 */
export { AckHandler, MAX_ACK_ENTRIES } from './ack-handler';
export { AutoRenewSweep } from './auto-renew';
export { type DeadLetter, DeadLetterQueue, deadLetterTopic } from './dead-letter';
export { LongPollHub, type WakeReason } from './long-poll';
export { OffsetHandler } from './offset-handler';
export { PopService, type PoppedMessage } from './pop-service';
export type { InflightEntry } from './pop-state';
export { PullHandler } from './pull-handler';
export { ReceiveHandler } from './receive-handler';
