import type { Logger } from '@orbitmq/runtime';
import type { MessageStore } from '@orbitmq/storage';

/** Turns the store's events into log lines (the store itself has no logger). */
export function logStoreEvents(store: MessageStore, logger: Logger): () => void {
  let blockedAt: number | undefined;
  const offs = [
    store.events.on('segmentRolled', (e) => logger.info('commit-log segment created', e)),
    store.events.on('segmentDeleted', (e) => logger.info('commit-log segment deleted', e)),
    store.events.on('indexesPruned', (e) => logger.info('indexes pruned below the new minimum offset', e)),
    store.events.on('backgroundError', (e) =>
      logger.error('store background task failed', { task: e.task, error: e.error.message, code: (e.error as { code?: string }).code }),
    ),
    store.events.on('diskGuard', (e) => {
      const fields = { usedPercent: e.usedPercent, limitPercent: e.limitPercent, freeBytes: e.freeBytes, reserveBytes: e.reserveBytes };
      if (e.state === 'refusing') logger.warn(`${e.message}; broker registered read-only`, fields);
      else logger.info('disk guard: space is back, sends accepted and broker writable again', fields);
    }),
    // Once per blocked segment, not on every retention pass.
    store.events.on('pressureDeletionBlocked', (e) => {
      if (blockedAt === e.startOffset) return;
      blockedAt = e.startOffset;
      logger.warn(
        `disk ${e.usedPercent.toFixed(1)} % used (diskMaxUsedSpaceRatio ${e.limitPercent} %) but the oldest segment holds unconsumed messages: ` +
          'kept (cleanFileForciblyEnable=false); sends are refused when the disk guard limit is reached',
        { startOffset: e.startOffset, unconsumedByGroup: e.unconsumedByGroup },
      );
    }),
    store.events.on('forcedDeletion', (e) => {
      const total = Object.values(e.unconsumedByGroup).reduce((a, b) => a + b, 0);
      logger.warn(`disk pressure forced deletion (cleanFileForciblyEnable=true): ${total} unconsumed messages dropped`, {
        startOffset: e.startOffset,
        endOffset: e.endOffset,
        usedPercent: e.usedPercent,
        unconsumedByGroup: e.unconsumedByGroup,
      });
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
