import type * as grpc from '@grpc/grpc-js';
import { OrbitError, checkGroupName, checkTopicName, type v2 } from '@orbitmq/protocol';
import type { GroupManager } from './group-manager';
import type { LongPollHub } from './long-poll';
import { durationMs, toV2Message } from './message-codec';
import { parseTagExpression } from './pop-service';
import { OK_STATUS, statusFromError, statusOf } from './status';
import type { StorePort } from './store-port';
import { PERM_READ, type BrokerTopicConfig, type TopicManager } from './topic-manager';

type PullCall = grpc.ServerWritableStream<v2.PullMessageRequest__Output, v2.PullMessageResponse>;

/**
 * Offset-based consumption (clustering and broadcasting consumers that keep their own offsets):
 * QueryOffset (beginning, end, by time), GetOffset / UpdateOffset (the group's committed offset
 * per queue), and PullMessage (read from an offset, long-polling at the end). A group should use
 * either this or receive/ack, not both: receive/ack moves the same committed offset.
 */
export class OffsetHandler {
  constructor(
    private readonly store: StorePort,
    private readonly topics: TopicManager,
    private readonly groups: GroupManager,
    private readonly hub: LongPollHub,
    private readonly limits: { maxBatchSize: number; maxLongPollingMs: number; deadlineMarginMs: number },
    private readonly storeHost: string,
  ) {}

  async queryOffset(req: v2.QueryOffsetRequest__Output): Promise<v2.QueryOffsetResponse> {
    try {
      const { topic, queueId } = this.queue(req.messageQueue);
      const policy = req.queryOffsetPolicy;
      let offset: number;
      if (policy === 'BEGINNING') offset = await this.store.getMinQueueOffset(topic, queueId);
      else if (policy === 'END') offset = this.store.getMaxQueueOffset(topic, queueId);
      else {
        const ts = req.timestamp ? Number(req.timestamp.seconds) * 1000 + Math.floor(req.timestamp.nanos / 1e6) : undefined;
        if (ts === undefined) throw new OrbitError('BAD_REQUEST', 'TIMESTAMP policy needs a timestamp');
        offset = await this.store.getQueueOffsetByTime(topic, queueId, ts);
      }
      return { status: OK_STATUS, offset: String(offset) };
    } catch (err) {
      return { status: statusFromError(err), offset: '0' };
    }
  }

  async getOffset(req: v2.GetOffsetRequest__Output): Promise<v2.GetOffsetResponse> {
    try {
      const group = req.group?.name ?? '';
      checkGroupName(group);
      const { topic, queueId } = this.queue(req.messageQueue);
      const offset = await this.store.getConsumerOffset(group, topic, queueId);
      if (offset === undefined) throw new OrbitError('OFFSET_NOT_FOUND', `group ${group} has no offset for ${topic}/${queueId}`);
      return { status: OK_STATUS, offset: String(offset) };
    } catch (err) {
      return { status: statusFromError(err), offset: '0' };
    }
  }

  async updateOffset(req: v2.UpdateOffsetRequest__Output): Promise<v2.UpdateOffsetResponse> {
    try {
      const group = req.group?.name ?? '';
      await this.groups.ensure(group);
      const { topic, queueId } = this.queue(req.messageQueue);
      const offset = Number(req.offset);
      const max = this.store.getMaxQueueOffset(topic, queueId);
      if (!Number.isSafeInteger(offset) || offset < 0 || offset > max) throw new OrbitError('ILLEGAL_OFFSET', `offset ${req.offset} is outside 0-${max}`);
      await this.store.setConsumerOffset(group, topic, queueId, offset);
      return { status: OK_STATUS };
    } catch (err) {
      return { status: statusFromError(err) };
    }
  }

  /** Frames: status, one frame per message, then next_offset; errors: status and next_offset. */
  pull(call: PullCall): void {
    let cancelled = false;
    call.on('cancelled', () => (cancelled = true));
    this.doPull(call.request, call.getDeadline(), () => cancelled)
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

  private async doPull(req: v2.PullMessageRequest__Output, deadline: grpc.Deadline, isCancelled: () => boolean): Promise<{ status: v2.Status; messages: v2.Message[]; nextOffset: number }> {
    checkGroupName(req.group?.name ?? '');
    const { topic, queueId } = this.queue(req.messageQueue);
    const batch = req.batchSize;
    if (!Number.isInteger(batch) || batch < 1 || batch > this.limits.maxBatchSize) throw new OrbitError('BAD_REQUEST', `batch size ${batch} must be 1-${this.limits.maxBatchSize}`);
    const filter = parseTagExpression(req.filterExpression?.type === 'SQL' ? '*' : (req.filterExpression?.expression ?? '*'));
    if (req.filterExpression?.type === 'SQL') throw new OrbitError('UNSUPPORTED', 'SQL92 filters are served by filter servers, which this deployment does not run');
    const offset = Number(req.offset);
    const deadlineMs = deadline instanceof Date ? deadline.getTime() : Number.isFinite(deadline) ? Number(deadline) : Number.POSITIVE_INFINITY;
    const pollEnd = Math.min(Date.now() + Math.min(durationMs(req.longPollingTimeout) ?? 0, this.limits.maxLongPollingMs), deadlineMs - this.limits.deadlineMarginMs);
    for (;;) {
      const seen = this.hub.arrivalsOf(topic);
      const read = await this.store.readQueue(topic, queueId, offset, batch, filter.all ? {} : { tags: filter.tags });
      if (read.status === 'OFFSET_TOO_SMALL' || read.status === 'OFFSET_OVERFLOW') {
        return { status: statusOf('ILLEGAL_OFFSET', `offset ${offset} is outside ${read.minOffset}-${read.maxOffset}`), messages: [], nextOffset: read.nextOffset };
      }
      if (read.status === 'FOUND') {
        const messages: v2.Message[] = [];
        const records = await this.store.getMessages(read.entries);
        for (const record of records) {
          if (!filter.all && !filter.tags.has(record.tag)) continue;
          messages.push(toV2Message({ record, queueId, receiptHandle: '', deliveryAttempt: 1, invisibleMs: 0 }, this.storeHost));
        }
        if (messages.length > 0 || Date.now() >= pollEnd) return { status: messages.length ? OK_STATUS : statusOf('MESSAGE_NOT_FOUND', 'no matching message'), messages, nextOffset: read.nextOffset };
        return { status: statusOf('MESSAGE_NOT_FOUND', 'no matching message in the scanned range'), messages, nextOffset: read.nextOffset };
      }
      const remaining = pollEnd - Date.now();
      if (remaining <= 0 || isCancelled()) return { status: statusOf('MESSAGE_NOT_FOUND', 'no new message'), messages: [], nextOffset: read.nextOffset };
      if ((await this.hub.wait(topic, remaining, undefined, seen)) === 'cancelled') return { status: statusOf('MESSAGE_NOT_FOUND', 'stopping'), messages: [], nextOffset: read.nextOffset };
    }
  }

  private queue(mq: v2.MessageQueue__Output | null): { topic: string; queueId: number; config: BrokerTopicConfig } {
    const topic = mq?.topic?.name ?? '';
    checkTopicName(topic);
    const config = this.topics.get(topic);
    if (!config) throw new OrbitError('TOPIC_NOT_FOUND', `topic ${topic} does not exist`);
    if ((config.perm & PERM_READ) === 0) throw new OrbitError('FORBIDDEN', `topic ${topic} is not readable on this broker`);
    const queueId = mq?.id ?? -1;
    if (!Number.isInteger(queueId) || queueId < 0 || queueId >= config.readQueueNums) throw new OrbitError('BAD_REQUEST', `queue ${queueId} is not a readable queue of ${topic} (0-${config.readQueueNums - 1})`);
    return { topic, queueId, config };
  }
}
