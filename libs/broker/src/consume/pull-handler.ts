import type * as grpc from '@grpc/grpc-js';
import { OrbitError, checkGroupName, type v2 } from '@orbitmq/protocol';
import type { SubscriptionFilters } from '../filter';
import { durationMs, toV2Message } from '../message';
import type { TopicManager } from '../meta';
import { OK_STATUS, statusFromError, statusOf } from '../status';
import type { StorePort } from '../store-port';
import { type LongPollHub, pollEndMs } from './long-poll';
import { readableQueue } from './readable-queue';

type PullCall = grpc.ServerWritableStream<v2.PullMessageRequest__Output, v2.PullMessageResponse>;

export interface PullLimits {
  maxBatchSize: number;
  maxLongPollingMs: number;
  deadlineMarginMs: number;
}

interface PullResult {
  status: v2.Status;
  messages: v2.Message[];
  nextOffset: number;
}

/**
 * PullMessage: read a queue from an offset the consumer keeps (clustering and broadcasting
 * consumers), filtered by tag or SQL92, long-polling when the queue has nothing past the offset. A group
 * should pull or receive/ack, not both: receive/ack moves the same committed offset.
 */
export class PullHandler {
  constructor(
    private readonly store: StorePort,
    private readonly topics: TopicManager,
    private readonly hub: LongPollHub,
    private readonly limits: PullLimits,
    private readonly storeHost: string,
    private readonly filters: SubscriptionFilters,
  ) {}

  /** Frames: status, one frame per message, then next_offset; errors: status and next_offset. */
  handle(call: PullCall): void {
    let cancelled = false;
    call.on('cancelled', () => (cancelled = true));
    this.pull(call.request, call.getDeadline(), () => cancelled)
      .then(({ status, messages, nextOffset }) => {
        if (cancelled) return;
        call.write({ status });
        for (const message of messages) call.write({ message });
        call.write({ nextOffset: String(nextOffset) });
        call.end();
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        call.write({ status: statusFromError(err) });
        call.end();
      });
  }

  private async pull(req: v2.PullMessageRequest__Output, deadline: grpc.Deadline, isCancelled: () => boolean): Promise<PullResult> {
    const group = req.group?.name ?? '';
    checkGroupName(group);
    const { topic, queueId } = readableQueue(this.topics, req.messageQueue);
    const batch = req.batchSize;
    if (!Number.isInteger(batch) || batch < 1 || batch > this.limits.maxBatchSize)
      throw new OrbitError('BAD_REQUEST', `batch size ${batch} must be 1-${this.limits.maxBatchSize}`);
    const filter = this.filters.forExpression(req.filterExpression, group, topic);
    const offset = Number(req.offset);
    if (!Number.isSafeInteger(offset) || offset < 0) {
      // Answered like an offset past either end: ILLEGAL_OFFSET and where to start instead.
      const min = await this.store.getMinQueueOffset(topic, queueId);
      return { status: statusOf('ILLEGAL_OFFSET', `offset '${req.offset}' is not a queue offset (the queue starts at ${min})`), messages: [], nextOffset: min };
    }
    const pollEnd = pollEndMs(deadline, durationMs(req.longPollingTimeout) ?? 0, this.limits);
    let nextOffset = offset;
    const found = await this.hub.poll(topic, { queueId, pollEndMs: pollEnd, isCancelled }, async (): Promise<PullResult | undefined> => {
      const read = await this.store.readQueue(topic, queueId, offset, batch, filter.tags ? { tags: filter.tags } : {});
      nextOffset = read.nextOffset;
      if (read.status === 'OFFSET_TOO_SMALL' || read.status === 'OFFSET_OVERFLOW') {
        return { status: statusOf('ILLEGAL_OFFSET', `offset ${offset} is outside ${read.minOffset}-${read.maxOffset}`), messages: [], nextOffset };
      }
      if (read.status !== 'FOUND') return undefined;
      const messages: v2.Message[] = [];
      const records = await this.store.getMessages(read.entries);
      // The consume queue matched the tag's hash; the filter decides per record (hashes collide).
      const pass = await filter.select(records);
      records.forEach((record, i) => {
        if (pass[i]) messages.push(toV2Message({ record, queueId, receiptHandle: '', deliveryAttempt: 1, invisibleMs: 0 }, this.storeHost));
      });
      // Entries that all failed the exact check still move the offset on: answer, do not park.
      return { status: messages.length ? OK_STATUS : statusOf('MESSAGE_NOT_FOUND', 'no matching message in the scanned range'), messages, nextOffset };
    });
    return found ?? { status: statusOf('MESSAGE_NOT_FOUND', isCancelled() ? 'stopping' : 'no new message'), messages: [], nextOffset };
  }
}
