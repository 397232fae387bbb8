import type { Logger } from '@orbitmq/runtime';
import type { MessageStore } from '@orbitmq/storage';

/** Turns the store's events into log lines (the store itself has no logger). */
export function logStoreEvents(store: MessageStore, logger: Logger): () => void {
  let diskFull = false;
  const offs = [
    store.events.on('segmentRolled', (e) => logger.info('commit-log segment created', e)),
    store.events.on('segmentDeleted', (e) => logger.info('commit-log segment deleted', e)),
    store.events.on('indexesPruned', (e) => logger.info('indexes pruned below the new minimum offset', e)),
    store.events.on('backgroundError', (e) =>
      logger.error('store background task failed', { task: e.task, error: e.error.message, code: (e.error as { code?: string }).code }),
    ),
    store.events.on('diskUsage', (e) => {
      if (e.diskFull !== diskFull) {
        diskFull = e.diskFull;
        if (diskFull) logger.error('disk nearly full: sends are refused until retention frees space', e);
        else logger.info('disk usage back below the limit: sends accepted again', e);
      }
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
