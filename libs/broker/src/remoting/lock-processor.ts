import { OrbitError, checkGroupName, checkTopicName, toOrbitError } from '@orbitmq/protocol';
import { type RemotingCommand, ResponseCode, createResponse } from '@orbitmq/remoting';
import { parseJson } from './client-processor';
import { QUEUE_LOCK_LIMITS, type QueueLocks } from './queue-locks';
import { errorResponse } from './remoting-headers';

/** Largest LOCK_BATCH_MQ / UNLOCK_BATCH_MQ body (maxQueuesPerRequest queues with long names fit). */
export const MAX_LOCK_BODY_BYTES = 2 * 1024 * 1024;

/** A MessageQueue as the Java client serializes it. */
interface WireQueue {
  topic: string;
  brokerName: string;
  queueId: number;
}

/** LockBatchRequestBody / UnlockBatchRequestBody. */
interface LockBatchBody {
  consumerGroup?: unknown;
  clientId?: unknown;
  onlyThisBroker?: unknown;
  mqSet?: unknown;
}

function parseLockBody(cmd: RemotingCommand, what: string): { group: string; clientId: string; queues: WireQueue[] } {
  const body = parseJson<LockBatchBody>(cmd.body, what, MAX_LOCK_BODY_BYTES);
  const group = typeof body.consumerGroup === 'string' ? body.consumerGroup : '';
  checkGroupName(group);
  const clientId = typeof body.clientId === 'string' ? body.clientId : '';
  if (!clientId) throw new OrbitError('CLIENT_ID_REQUIRED', `${what} names no clientId`);
  const set = Array.isArray(body.mqSet) ? (body.mqSet as unknown[]) : [];
  if (set.length > QUEUE_LOCK_LIMITS.maxQueuesPerRequest)
    throw new OrbitError('BAD_REQUEST', `${what} names ${set.length} queues, limit ${QUEUE_LOCK_LIMITS.maxQueuesPerRequest}`);
  const queues = set.map((raw) => {
    const q = (raw ?? {}) as Partial<Record<keyof WireQueue, unknown>>;
    const topic = typeof q.topic === 'string' ? q.topic : '';
    checkTopicName(topic);
    const queueId = Number(q.queueId);
    if (!Number.isInteger(queueId) || queueId < 0 || queueId > 65_535)
      throw new OrbitError('BAD_REQUEST', `queueId ${String(q.queueId)} of topic ${topic} is invalid`);
    return { topic, brokerName: typeof q.brokerName === 'string' ? q.brokerName : '', queueId };
  });
  return { group, clientId, queues };
}

/**
 * LOCK_BATCH_MQ (41): an orderly consumer asks for the queues it was assigned; the response's
 * lockOKMQSet holds those it now owns (new, renewed, or taken over from an expired lock). The
 * lock is this broker's alone (onlyThisBroker is implied: replicas serve no orderly consumers).
 */
export function processLockBatch(locks: QueueLocks, cmd: RemotingCommand): RemotingCommand {
  try {
    const { group, clientId, queues } = parseLockBody(cmd, 'LOCK_BATCH_MQ');
    const lockOKMQSet = locks.tryLockBatch(group, clientId, queues);
    return createResponse(cmd, ResponseCode.SUCCESS, undefined, {}, Buffer.from(JSON.stringify({ lockOKMQSet })));
  } catch (err) {
    return errorResponse(cmd, toOrbitError(err));
  }
}

/** UNLOCK_BATCH_MQ (42): releases the named queues this client holds (others' locks stay). */
export function processUnlockBatch(locks: QueueLocks, cmd: RemotingCommand): RemotingCommand {
  try {
    const { group, clientId, queues } = parseLockBody(cmd, 'UNLOCK_BATCH_MQ');
    locks.unlockBatch(group, clientId, queues);
    return createResponse(cmd, ResponseCode.SUCCESS);
  } catch (err) {
    return errorResponse(cmd, toOrbitError(err));
  }
}
