import type * as grpc from '@grpc/grpc-js';
import { OrbitError, checkGroupName, checkTopicName, type v2 } from '@orbitmq/protocol';
import { type GroupManager, PERM_READ, type TopicManager } from '../meta';
import { type LongPollHub, pollEndMs } from './long-poll';
import type { SubscriptionFilters } from '../filter';
import { durationMs, timestamp, toV2Message } from '../message';
import type { PopService, PoppedMessage } from './pop-service';
import { OK_STATUS, statusFromError, statusOf } from '../status';

export interface ReceiveLimits {
  maxBatchSize: number;
  minInvisibleMs: number;
  maxInvisibleMs: number;
  /** Invisible time for auto-renew receives (PushConsumer), which carry none. */
  autoRenewInvisibleMs: number;
  maxLongPollingMs: number;
  /** Answer this long before the client's deadline, so the answer arrives in time. */
  deadlineMarginMs: number;
}

export interface ReceiveObserver {
  (topic: string, group: string, messages: number, bytes: number, redeliveries: number): void;
}

type ReceiveCall = grpc.ServerWritableStream<v2.ReceiveMessageRequest__Output, v2.ReceiveMessageResponse>;

/**
 * ReceiveMessage ("pop"): deliver what is deliverable now; otherwise park the call (long polling)
 * until a message arrives, an in-flight one becomes visible again, or the polling time ends.
 * Frames as the official clients expect: status, one frame per message, a delivery timestamp,
 * then the end of the call with gRPC OK. Errors are a single status frame.
 */
export class ReceiveHandler {
  private rotation = 0;

  constructor(
    private readonly topics: TopicManager,
    private readonly groups: GroupManager,
    private readonly pop: PopService,
    private readonly hub: LongPollHub,
    private readonly limits: ReceiveLimits,
    private readonly storeHost: string,
    private readonly filters: SubscriptionFilters,
    private readonly observe: ReceiveObserver = () => undefined,
  ) {}

  handle(call: ReceiveCall): void {
    let cancelled = false;
    const cancelCallbacks: (() => void)[] = [];
    call.on('cancelled', () => {
      cancelled = true;
      for (const cb of cancelCallbacks) cb();
    });
    const clientId = call.metadata.get('x-mq-client-id')[0];
    this.receive(
      call.request,
      call.getDeadline(),
      () => cancelled,
      (cb) => cancelCallbacks.push(cb),
      typeof clientId === 'string' ? clientId : undefined,
    )
      .then((messages) => {
        if (cancelled) return; // the deliveries stay in flight and come back after their invisible time
        if (messages.length === 0) {
          call.write({ status: statusOf('MESSAGE_NOT_FOUND', 'no new message') });
        } else {
          call.write({ status: OK_STATUS });
          let bytes = 0;
          let redeliveries = 0;
          for (const m of messages) {
            call.write({ message: m.message });
            bytes += m.bytes;
            if ((m.message.systemProperties?.deliveryAttempt ?? 1) > 1) redeliveries++;
          }
          this.observe(call.request.messageQueue?.topic?.name ?? '', call.request.group?.name ?? '', messages.length, bytes, redeliveries);
        }
        call.write({ deliveryTimestamp: timestamp(Date.now()) });
        call.end();
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        call.write({ status: statusFromError(err) });
        call.end();
      });
  }

  private async receive(
    req: v2.ReceiveMessageRequest__Output,
    deadline: grpc.Deadline,
    isCancelled: () => boolean,
    onCancel: (cb: () => void) => void,
    clientId: string | undefined,
  ): Promise<{ message: v2.Message; bytes: number }[]> {
    const groupName = req.group?.name ?? '';
    checkGroupName(groupName);
    const topicName = req.messageQueue?.topic?.name ?? '';
    checkTopicName(topicName);
    const batch = req.batchSize;
    if (!Number.isInteger(batch) || batch < 1 || batch > this.limits.maxBatchSize) {
      throw new OrbitError('BAD_REQUEST', `batch size ${batch} must be 1-${this.limits.maxBatchSize}`);
    }
    const invisibleMs = req.autoRenew && !req.invisibleDuration ? this.limits.autoRenewInvisibleMs : durationMs(req.invisibleDuration);
    if (invisibleMs === undefined || invisibleMs < this.limits.minInvisibleMs || invisibleMs > this.limits.maxInvisibleMs) {
      throw new OrbitError(
        'ILLEGAL_INVISIBLE_TIME',
        `invisible duration ${invisibleMs ?? 'missing'} ms must be ${this.limits.minInvisibleMs}-${this.limits.maxInvisibleMs} ms`,
      );
    }
    const filter = this.filters.forExpression(req.filterExpression, groupName, topicName);
    const topic = this.topics.get(topicName);
    if (!topic) throw new OrbitError('TOPIC_NOT_FOUND', `topic ${topicName} does not exist`);
    if ((topic.perm & PERM_READ) === 0) throw new OrbitError('FORBIDDEN', `topic ${topicName} is not readable on this broker`);
    const group = await this.groups.ensure(groupName);
    if (!group.consumeEnable) throw new OrbitError('FORBIDDEN', `consumer group ${groupName} is disabled`);

    const pollEnd = pollEndMs(deadline, durationMs(req.longPollingTimeout) ?? this.limits.maxLongPollingMs, this.limits);
    const autoRenewClientId = req.autoRenew ? clientId : undefined;
    const popped = await this.hub.poll(
      topicName,
      { pollEndMs: pollEnd, isCancelled, onCancel, nextWakeAtMs: () => this.pop.earliestExpiry(groupName, topicName) },
      async () => {
        const got = await this.pop.pop(group, topicName, this.rotate(topic.readQueueNums), filter, batch, invisibleMs, autoRenewClientId);
        return got.length > 0 ? got : undefined;
      },
    );
    return (popped ?? []).map((p) => this.render(p, invisibleMs));
  }

  /** All readable queues, starting at a different one each call so no queue starves. */
  private rotate(readQueueNums: number): number[] {
    const start = this.rotation++ % readQueueNums;
    return Array.from({ length: readQueueNums }, (_, i) => (start + i) % readQueueNums);
  }

  private render(p: PoppedMessage, invisibleMs: number): { message: v2.Message; bytes: number } {
    return {
      message: toV2Message(
        { record: p.record, queueId: p.queueId, receiptHandle: p.receiptHandle, deliveryAttempt: p.entry.attempt, invisibleMs },
        this.storeHost,
      ),
      bytes: p.record.body.length,
    };
  }
}
