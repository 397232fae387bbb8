import { OrbitError, checkGroupName, toOrbitError } from '@orbitmq/protocol';
import { type RemotingCommand, ResponseCode, createResponse } from '@orbitmq/remoting';
import type { GroupManager, TopicManager } from '../meta';
import type { StorePort } from '../store-port';
import { errorResponse, headerInt, requireField } from './remoting-headers';

export interface OffsetProcessorDeps {
  store: StorePort;
  topics: TopicManager;
  groups: GroupManager;
  acceptsCommits: boolean;
}

/** The queue a header names, which must exist on this broker. */
function queueOf(deps: OffsetProcessorDeps, h: Record<string, string>): { topic: string; queueId: number } {
  const topic = requireField(h, 'topic');
  const config = deps.topics.get(topic);
  if (!config) throw new OrbitError('TOPIC_NOT_FOUND', `topic ${topic} does not exist on this broker`);
  const queues = Math.max(config.readQueueNums, config.writeQueueNums);
  return { topic, queueId: headerInt(h, 'queueId', 0, Math.max(0, queues - 1)) };
}

const ok = (cmd: RemotingCommand, fields: Record<string, string> = {}): RemotingCommand => createResponse(cmd, ResponseCode.SUCCESS, undefined, fields);

/**
 * Offsets for 4.x consumers and admin tools: QUERY_CONSUMER_OFFSET (14), UPDATE_CONSUMER_OFFSET
 * (15), SEARCH_OFFSET_BY_TIMESTAMP (29), GET_MAX_OFFSET (30), GET_MIN_OFFSET (31). A group's
 * committed offsets are the same ones v5 consumers move: one group, one position per queue.
 */
export async function processOffset(deps: OffsetProcessorDeps, cmd: RemotingCommand, code: 14 | 15 | 29 | 30 | 31): Promise<RemotingCommand> {
  try {
    const h = cmd.extFields;
    const { topic, queueId } = queueOf(deps, h);
    switch (code) {
      case 30:
        return ok(cmd, { offset: String(deps.store.getMaxQueueOffset(topic, queueId)) });
      case 31:
        return ok(cmd, { offset: String(await deps.store.getMinQueueOffset(topic, queueId)) });
      case 29: {
        const ts = headerInt(h, 'timestamp', 0, Number.MAX_SAFE_INTEGER);
        return ok(cmd, { offset: String(await deps.store.getQueueOffsetByTime(topic, queueId, ts)) });
      }
      case 14:
        return await queryConsumerOffset(deps, cmd, topic, queueId);
      case 15: {
        const group = requireField(h, 'consumerGroup');
        checkGroupName(group);
        const offset = headerInt(h, 'commitOffset', 0, Number.MAX_SAFE_INTEGER);
        // Beyond the queue's end is refused, as v5 UpdateOffset refuses it; replicas take no commits.
        const max = deps.store.getMaxQueueOffset(topic, queueId);
        if (offset > max) throw new OrbitError('ILLEGAL_OFFSET', `offset ${offset} is past the end ${max} of ${topic}/${queueId}`);
        if (deps.acceptsCommits) {
          await deps.groups.ensure(group);
          await deps.store.setConsumerOffset(group, topic, queueId, offset);
        }
        return ok(cmd);
      }
    }
  } catch (err) {
    return errorResponse(cmd, toOrbitError(err));
  }
}

/**
 * A group with no offset in a queue gets 22 QUERY_NOT_FOUND (the client then starts where its
 * consumeFromWhere says), except in a queue that still starts at 0: there RocketMQ answers 0, so
 * a new group reads a young topic from its first message.
 */
async function queryConsumerOffset(deps: OffsetProcessorDeps, cmd: RemotingCommand, topic: string, queueId: number): Promise<RemotingCommand> {
  const group = requireField(cmd.extFields, 'consumerGroup');
  checkGroupName(group);
  const offset = await deps.store.getConsumerOffset(group, topic, queueId);
  if (offset !== undefined) return ok(cmd, { offset: String(offset) });
  if (cmd.extFields.setZeroIfNotFound === 'true' || (await deps.store.getMinQueueOffset(topic, queueId)) === 0) return ok(cmd, { offset: '0' });
  return createResponse(cmd, ResponseCode.QUERY_NOT_FOUND, `no offset of group ${group} in ${topic}/${queueId}`);
}
