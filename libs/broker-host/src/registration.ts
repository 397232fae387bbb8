import { type Broker, type BrokerSettings, PERM_WRITE } from '@orbitmq/broker';
import { type NameServerClients, Registration } from '@orbitmq/namesrv-client';
import type { Logger } from '@orbitmq/runtime';

/** A name server that stays down is retried every few seconds; log its failure every this many attempts. */
const FAILURE_LOG_EVERY_ATTEMPTS = 10;

/**
 * broker -> name server: registers this broker's topics (and its live filter servers) with every name server every period, at
 * once when topics change, retrying a failed name server on its own with back-off; logs the
 * outcome (first failure, every tenth retry, recovery). While `writable()` is false (the disk
 * guard refuses appends) the topics are registered without PERM_WRITE, as RocketMQ registers a
 * broker whose disk is full read-only, so producers route to other brokers; the data version
 * differs in that state so the name servers take the change.
 */
export function createRegistration(
  namesrv: NameServerClients,
  settings: BrokerSettings,
  broker: Pick<Broker, 'topics' | 'filters'>,
  logger: Logger,
  writable: () => boolean = () => true,
  ttlMs = 0,
): Registration {
  const registration = new Registration({
    namesrv,
    identity: settings,
    endpoints: settings,
    periodMs: settings.registerIntervalMs,
    ttlMs,
    snapshot: () => {
      const t = broker.topics;
      const w = writable();
      const list = t.list().map((c) => ({
        topicName: c.topicName,
        readQueueNums: c.readQueueNums,
        writeQueueNums: c.writeQueueNums,
        perm: w ? c.perm : c.perm & ~PERM_WRITE,
        messageType: c.messageType,
      }));
      const dataVersion = String(BigInt(t.dataVersion) * 2n + (w ? 0n : 1n));
      return { dataVersion, topics: list, filterServerEndpoints: broker.filters.servers.live() };
    },
  });
  const e = registration.events;
  e.on('registrationFailed', (f) => {
    if (f.attempt === 1 || f.attempt % FAILURE_LOG_EVERY_ATTEMPTS === 0)
      logger.warn('registration failed', { namesrv: f.address, attempt: f.attempt, code: f.code, error: f.message, retryInMs: f.retryInMs });
  });
  e.on('registered', (r) => {
    if (r.attempt > 1) logger.info('registered again after failures', { namesrv: r.address, attempts: r.attempt });
  });
  e.on('unregisterFailed', (f) => logger.warn('unregister failed', { namesrv: f.address, code: f.code, error: f.message }));
  return registration;
}
