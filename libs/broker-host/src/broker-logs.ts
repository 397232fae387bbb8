import type { BrokerEvents } from '@orbitmq/broker';
import type { Logger } from '@orbitmq/runtime';

/** Turns the broker's events into log lines (the broker lib has no logger). Returns an unbind. */
export function logBrokerEvents(events: BrokerEvents, logger: Logger): () => void {
  const offs = [
    events.on('deadLettered', (e) => {
      for (const l of e.letters)
        logger.warn('message moved to the dead-letter queue', { group: e.group, topic: l.topic, messageId: l.messageId, attempts: l.attempts });
    }),
    events.on('transactionEnded', (e) => {
      // Discards are logged with their reason by halfDiscarded.
      if (e.outcome !== 'discard')
        logger.info(`transaction ${e.outcome === 'commit' ? 'committed' : 'rolled back'}`, { topic: e.topic, messageId: e.messageId });
    }),
    events.on('halfDiscarded', (e) => logger.warn('half message discarded', e)),
    events.on('delayedDropped', (e) => logger.warn('delayed message dropped when due', e)),
    events.on('clientSubscribed', (e) => logger.info('client subscribed', e)),
    events.on('clientExpired', (e) => logger.info('client expired', e)),
    events.on('filterServerRegistered', (e) => logger.info('filter server registered', e)),
    events.on('filterServerRemoved', (e) => logger.warn(`filter server ${e.reason}`, e)),
    events.on('filterServerFailed', (e) =>
      logger.warn('filter server call failed; circuit open', { endpoint: e.endpoint, error: e.error.message, circuitOpenMs: e.circuitOpenMs }),
    ),
    events.on('backgroundError', (e) => logger.error(`${e.task} failed; retrying`, { task: e.task, error: e.error.message })),
  ];
  return () => {
    for (const off of offs) off();
  };
}
