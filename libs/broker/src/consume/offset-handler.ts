import { OrbitError, checkGroupName, type v2 } from '@orbitmq/protocol';
import type { GroupManager, TopicManager } from '../meta';
import { OK_STATUS, statusFromError } from '../status';
import type { StorePort } from '../store-port';
import { readableQueue } from './readable-queue';

/**
 * Offsets of offset-based consumers (see pull-handler.ts): QueryOffset (beginning, end, by time),
 * GetOffset / UpdateOffset (the group's committed offset per queue).
 */
export class OffsetHandler {
  constructor(
    private readonly store: StorePort,
    private readonly topics: TopicManager,
    private readonly groups: GroupManager,
  ) {}

  async queryOffset(req: v2.QueryOffsetRequest__Output): Promise<v2.QueryOffsetResponse> {
    try {
      const { topic, queueId } = readableQueue(this.topics, req.messageQueue);
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
      const { topic, queueId } = readableQueue(this.topics, req.messageQueue);
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
      const { topic, queueId } = readableQueue(this.topics, req.messageQueue);
      const offset = Number(req.offset);
      const max = this.store.getMaxQueueOffset(topic, queueId);
      if (!Number.isSafeInteger(offset) || offset < 0 || offset > max) throw new OrbitError('ILLEGAL_OFFSET', `offset ${req.offset} is outside 0-${max}`);
      await this.store.setConsumerOffset(group, topic, queueId, offset);
      return { status: OK_STATUS };
    } catch (err) {
      return { status: statusFromError(err) };
    }
  }
}
