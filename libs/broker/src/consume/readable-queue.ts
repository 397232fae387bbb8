import { OrbitError, checkTopicName, type v2 } from '@orbitmq/protocol';
import { type BrokerTopicConfig, PERM_READ, type TopicManager } from '../meta';

/** The queue a pull or offset request names: the topic exists here, is readable, the id is in range. */
export function readableQueue(topics: TopicManager, mq: v2.MessageQueue__Output | null): { topic: string; queueId: number; config: BrokerTopicConfig } {
  const topic = mq?.topic?.name ?? '';
  checkTopicName(topic);
  const config = topics.get(topic);
  if (!config) throw new OrbitError('TOPIC_NOT_FOUND', `topic ${topic} does not exist`);
  if ((config.perm & PERM_READ) === 0) throw new OrbitError('FORBIDDEN', `topic ${topic} is not readable on this broker`);
  const queueId = mq?.id ?? -1;
  if (!Number.isInteger(queueId) || queueId < 0 || queueId >= config.readQueueNums) {
    throw new OrbitError('BAD_REQUEST', `queue ${queueId} is not a readable queue of ${topic} (0-${config.readQueueNums - 1})`);
  }
  return { topic, queueId, config };
}
