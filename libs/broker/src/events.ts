import { TypedEvents } from '@orbitmq/events';

/**
 * What the broker reports, kafkajs-style: typed instrumentation events. The broker lib has no
 * logger and no metrics registry; apps subscribe and turn these into log lines and Prometheus
 * series (apps/broker-store/src/broker-metrics.ts, broker-logs.ts).
 */
export interface BrokerEventMap {
  /** A SendMessage request stored `messages` messages of `topic` (body bytes). */
  messagesStored: { topic: string; messages: number; bytes: number };
  /** A ReceiveMessage call delivered messages; `redeliveries` of them were not first attempts. */
  messagesDelivered: { topic: string; group: string; messages: number; bytes: number; redeliveries: number };
  messagesAcked: { topic: string; group: string; messages: number };
  /** Messages appended to %DLQ%<group> after their last delivery attempt (or a client's forward). */
  deadLettered: { group: string; letters: { topic: string; messageId: string; attempts: number }[] };
  /** One client-protocol request answered; `code` is the error table's name, or OK. */
  request: { method: string; code: string; durationMs: number };
  transactionEnded: { outcome: 'commit' | 'rollback' | 'discard'; topic: string; messageId: string };
  /** A check-back was sent to a producer of the topic, or none was connected. */
  transactionChecked: { topic: string; sent: boolean };
  halfDiscarded: { topic: string; messageId: string; checks: number; reason: string };
  /** A delayed message became visible in its topic, `latenessMs` after its delivery time. */
  delayedMoved: { topic: string; latenessMs: number };
  delayedDropped: { reason: string; topic: string; messageId: string };
  clientSubscribed: { clientId: string; clientType: string; group: string; topics: string[] };
  clientExpired: { clientId: string };
  /** A SQL92 scan window was evaluated, by a filter server or (fallback) by this broker. */
  filterEvaluated: { group: string; topic: string; evaluated: number; matched: number; via: 'server' | 'local'; durationMs: number; endpoint?: string };
  /** No filter server answered for a window: evaluated here, or refused (filterServerFallback). */
  filterFallback: { group: string; topic: string; reason: 'none-registered' | 'all-failed' | 'all-busy'; messages: number };
  /** A Match call failed; the server gets no work for circuitOpenMs. */
  filterServerFailed: { endpoint: string; error: Error; circuitOpenMs: number };
  filterServerRegistered: { endpoint: string; instanceId: string };
  /** Unregistered (graceful stop) or expired (silent past filterServerExpiryMs). */
  filterServerRemoved: { endpoint: string; reason: 'unregistered' | 'expired' };
  /** A background task failed; it retries on its next round. */
  backgroundError: { task: string; error: Error };
}

export type BrokerEventName = keyof BrokerEventMap;

/** The broker's event channel (see @orbitmq/events). */
export class BrokerEvents extends TypedEvents<BrokerEventMap> {}
