import { OrbitError, checkGroupName, checkTopicName, type v2 } from '@orbitmq/protocol';
import type { LongPollHub } from './long-poll';
import { durationMs } from '../message';
import type { PopService } from './pop-service';
import { decodeReceiptHandle } from './receipt-handle';
import { OK_STATUS, statusFromError } from '../status';

/** Most entries one AckMessage may carry. */
export const MAX_ACK_ENTRIES = 1_024;

/**
 * AckMessage and ChangeInvisibleDuration. A handle must be the current one for its delivery and
 * not expired; otherwise INVALID_RECEIPT_HANDLE (accepting it could ack a message another
 * consumer now holds). Every response carries an explicit status: PushConsumers retry anything
 * that is not OK.
 */
export class AckHandler {
  constructor(
    private readonly pop: PopService,
    private readonly hub: LongPollHub,
    private readonly maxInvisibleMs: number,
    private readonly onAck: (topic: string, group: string, n: number) => void = () => undefined,
  ) {}

  async ack(req: v2.AckMessageRequest__Output): Promise<v2.AckMessageResponse> {
    try {
      const { group, topic } = groupAndTopic(req);
      if (req.entries.length === 0 || req.entries.length > MAX_ACK_ENTRIES) throw new OrbitError('BAD_REQUEST', `ack needs 1-${MAX_ACK_ENTRIES} entries`);
      // Handles that do not even decode fail alone; the rest are acked together.
      const errors = new Array<unknown>(req.entries.length);
      const decoded: { index: number; handle: ReturnType<typeof decodeReceiptHandle> }[] = [];
      req.entries.forEach((e, index) => {
        try {
          decoded.push({ index, handle: decodeReceiptHandle(e.receiptHandle) });
        } catch (err) {
          errors[index] = err;
        }
      });
      const acked = await this.pop.ackMany(
        group,
        topic,
        decoded.map((d) => d.handle),
      );
      decoded.forEach((d, k) => (errors[d.index] = acked.errors[k]));
      if (acked.released) this.hub.notify(topic, 'expiry'); // the next message of a FIFO group may go
      let failed: v2.Status | undefined;
      const entries: v2.AckMessageResultEntry[] = req.entries.map((e, i) => {
        const status = errors[i] === undefined ? OK_STATUS : statusFromError(errors[i]);
        if (errors[i] !== undefined) failed ??= status;
        return { messageId: e.messageId, receiptHandle: e.receiptHandle, status };
      });
      this.onAck(topic, group, entries.filter((x) => x.status === OK_STATUS).length);
      return { status: failed ?? OK_STATUS, entries };
    } catch (err) {
      return { status: statusFromError(err), entries: [] };
    }
  }

  /** PushConsumer (FIFO) after its local retries: the message goes to %DLQ%<group>, the group moves on. */
  async forwardToDeadLetter(req: v2.ForwardMessageToDeadLetterQueueRequest__Output): Promise<v2.ForwardMessageToDeadLetterQueueResponse> {
    try {
      const { group, topic } = groupAndTopic(req);
      await this.pop.forwardToDeadLetter(group, topic, decodeReceiptHandle(req.receiptHandle));
      this.hub.notify(topic, 'expiry'); // the next message of its message group may go now
      return { status: OK_STATUS };
    } catch (err) {
      return { status: statusFromError(err) };
    }
  }

  async changeInvisible(req: v2.ChangeInvisibleDurationRequest__Output): Promise<v2.ChangeInvisibleDurationResponse> {
    try {
      const { group, topic } = groupAndTopic(req);
      const ms = durationMs(req.invisibleDuration);
      // Tiny and zero durations are legal: the Node PushConsumer nacks with 0-few ms.
      if (ms === undefined || ms < 0 || ms > this.maxInvisibleMs) {
        throw new OrbitError('ILLEGAL_INVISIBLE_TIME', `invisible duration ${ms ?? 'missing'} ms must be 0-${this.maxInvisibleMs} ms`);
      }
      const applied = await this.pop.changeInvisible(group, topic, decodeReceiptHandle(req.receiptHandle), ms);
      if (applied.invisibleMs === 0) this.hub.notify(topic, 'expiry');
      else setTimeout(() => this.hub.notify(topic, 'expiry'), applied.invisibleMs).unref();
      return { status: OK_STATUS, receiptHandle: applied.receiptHandle };
    } catch (err) {
      return { status: statusFromError(err), receiptHandle: '' };
    }
  }
}

/** The group and topic every ack-side request names, checked. */
function groupAndTopic(req: { group: v2.Resource__Output | null; topic: v2.Resource__Output | null }): { group: string; topic: string } {
  const group = req.group?.name ?? '';
  const topic = req.topic?.name ?? '';
  checkGroupName(group);
  checkTopicName(topic);
  return { group, topic };
}
