import { OrbitError, checkGroupName, toOrbitError } from '@orbitmq/protocol';
import {
  type BufferPool,
  type HostAddress,
  type MessageExtFields,
  PullSysFlag,
  type RemotingCommand,
  type RemotingConnection,
  ResponseCode,
  createResponse,
  encodeMessageExts,
} from '@orbitmq/remoting';
import type { MessageFilter, SubscriptionFilters } from '../filter';
import { PERM_READ, type TopicManager } from '../meta';
import type { LongPollHub } from '../consume';
import { BROKER_LIMITS } from '../settings';
import type { StoreQueueEntry, StorePort } from '../store-port';
import { toMessageExt } from './message-mapping';
import type { RemotingClients } from './remoting-clients';
import { errorResponse, headerInt, requireField } from './remoting-headers';

/**
 * Bounds of a 4.x pull. Messages: the v5 PullMessage's bound (BROKER_LIMITS.maxBatchSize), so
 * both protocols serve the same batches (Java's push consumer asks 32, lite pull 10; a client may
 * ask more, as RocketMQ allows with maxTransferCountOnMessageInMemory raised). Bytes: the records
 * of one response, so a frame stays far below the 16 MiB frame limit (at least one record goes).
 */
export const REMOTING_PULL_LIMITS = {
  maxMessagesPerPull: BROKER_LIMITS.maxBatchSize,
  maxBytesPerPull: 4 * 1024 * 1024,
  /** Longest a pull may park (Java asks 15 s; its RPC timeout is 30 s). */
  maxSuspendMs: 30_000,
  /**
   * Pooled buffers for reads and response bodies (buffer-pool.ts): a 256-message pull of 1 KiB
   * bodies fits one; larger ones are allocated as before.
   */
  bufferChunkBytes: 512 * 1024,
  /**
   * Free pooled buffers kept (bufferChunkBytes each, 32 MiB in all). Each pull in flight holds one
   * or two, and responses wait for their socket: with 64, a W3 read with 32 pulls in flight (8
   * queues, 4 deep) allocated one chunk after the first; with 16 it dropped chunks after each burst
   * only to allocate them again.
   */
  maxFreeBuffers: 64,
} as const;

export interface PullProcessorDeps {
  store: StorePort;
  topics: TopicManager;
  hub: LongPollHub;
  filters: SubscriptionFilters;
  clients: RemotingClients;
  storeHost: HostAddress;
  /** Masters keep consumers' offsets; a replica serves reads without taking commits. */
  acceptsCommits: boolean;
  /** Read buffers and response bodies, reused (REMOTING_PULL_LIMITS.bufferChunkBytes). */
  buffers: BufferPool;
}

interface PullFound {
  code: number;
  nextOffset: number;
  minOffset: number;
  maxOffset: number;
  /** The MessageExt records, back to back (a pooled buffer: given back once written). */
  body?: Buffer;
}

/**
 * PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361): read up to maxMsgNums records of a queue from
 * the consumer's offset, filtered by its subscription (tags, or SQL92 through the filter
 * servers), parking the request while the queue has nothing new when the consumer allows it
 * (the suspend bit). The records go back in one frame, MessageExt after MessageExt. The
 * consumer's committed offset rides along (the commitOffset bit) and is stored here.
 *
 * Codes: 0 FOUND (body), 19 PULL_NOT_FOUND (nothing new after the wait), 20
 * PULL_RETRY_IMMEDIATELY (records read but none matched: nextBeginOffset moved on), 21
 * PULL_OFFSET_MOVED (offset outside the queue: nextBeginOffset says where it is).
 */
export async function processPull(deps: PullProcessorDeps, cmd: RemotingCommand, conn: RemotingConnection): Promise<RemotingCommand> {
  try {
    const h = cmd.extFields;
    const group = requireField(h, 'consumerGroup');
    checkGroupName(group);
    const topic = requireField(h, 'topic');
    const config = deps.topics.get(topic);
    if (!config) throw new OrbitError('TOPIC_NOT_FOUND', `topic ${topic} does not exist on this broker`);
    if ((config.perm & PERM_READ) === 0) throw new OrbitError('FORBIDDEN', `topic ${topic} is not readable on this broker`);
    const queueId = headerInt(h, 'queueId', 0, Math.max(0, config.readQueueNums - 1));
    const offset = headerInt(h, 'queueOffset', 0, Number.MAX_SAFE_INTEGER);
    const maxMsgNums = Math.min(headerInt(h, 'maxMsgNums', 1, 0x7fffffff), REMOTING_PULL_LIMITS.maxMessagesPerPull);
    const sysFlag = headerInt(h, 'sysFlag', 0, 0x7fffffff, 0);
    const commitOffset = headerInt(h, 'commitOffset', -1, Number.MAX_SAFE_INTEGER, -1);
    if ((sysFlag & PullSysFlag.COMMIT_OFFSET) !== 0 && commitOffset >= 0 && deps.acceptsCommits) {
      await commit(deps, group, topic, queueId, commitOffset);
    }
    const suspendMs = (sysFlag & PullSysFlag.SUSPEND) !== 0 ? headerInt(h, 'suspendTimeoutMillis', 0, 0x7fffffff, 15_000) : 0;
    const subscription =
      (sysFlag & PullSysFlag.SUBSCRIPTION) !== 0 && h.subscription !== undefined
        ? { subString: h.subscription, expressionType: h.expressionType }
        : deps.clients.subscription(group, topic);
    const expression = subscription?.subString || '*';
    const filter = deps.filters.forExpression({ type: subscription?.expressionType === 'SQL92' ? 'SQL' : 'TAG', expression }, group, topic);
    const pollEnd = Date.now() + Math.min(suspendMs, REMOTING_PULL_LIMITS.maxSuspendMs);
    let last: PullFound | undefined;
    const found = await deps.hub.poll(topic, { queueId, pollEndMs: pollEnd, isCancelled: () => conn.closed }, async (): Promise<PullFound | undefined> => {
      const read = await deps.store.readQueue(topic, queueId, offset, maxMsgNums, filter.tags ? { tags: filter.tags } : {});
      const base = { nextOffset: read.nextOffset, minOffset: read.minOffset, maxOffset: read.maxOffset };
      if (read.status === 'OFFSET_TOO_SMALL' || read.status === 'OFFSET_OVERFLOW') {
        // Where to go instead: the queue's start (too small) or its end (past it).
        const next = read.status === 'OFFSET_TOO_SMALL' ? read.minOffset : read.maxOffset;
        return { ...base, code: ResponseCode.PULL_OFFSET_MOVED, nextOffset: next };
      }
      last = { ...base, code: ResponseCode.PULL_NOT_FOUND, nextOffset: read.status === 'FOUND' ? read.nextOffset : offset };
      if (read.status !== 'FOUND') return undefined;
      const entries = withinBytes(read.entries, REMOTING_PULL_LIMITS.maxBytesPerPull);
      // Cut short by bytes: go on right after the last record sent.
      const nextOffset = entries.length < read.entries.length ? (entries[entries.length - 1] as StoreQueueEntry).queueOffset + 1 : read.nextOffset;
      const body = await readAndEncode(deps, entries, filter);
      // Records read but none matched: answer at once so the consumer moves on.
      return { ...base, nextOffset, code: body ? ResponseCode.SUCCESS : ResponseCode.PULL_RETRY_IMMEDIATELY, body };
    });
    const result = found ?? last ?? { code: ResponseCode.PULL_NOT_FOUND, nextOffset: offset, minOffset: 0, maxOffset: offset };
    const response = createResponse(
      cmd,
      result.code,
      undefined,
      {
        suggestWhichBrokerId: '0',
        nextBeginOffset: String(result.nextOffset),
        minOffset: String(result.minOffset),
        maxOffset: String(result.maxOffset),
      },
      result.body,
    );
    const body = result.body;
    if (body) response.releaseBody = () => deps.buffers.give(body);
    return response;
  } catch (err) {
    return errorResponse(cmd, toOrbitError(err));
  }
}

/**
 * The records of `entries` that pass the filter, as MessageExt records in one pooled buffer
 * (undefined when none passes). The records are read into pooled buffers too; those go back as
 * soon as the records are copied out, so nothing may keep a view of them past this call.
 */
async function readAndEncode(deps: PullProcessorDeps, entries: StoreQueueEntry[], filter: MessageFilter): Promise<Buffer | undefined> {
  const reads = deps.buffers.lease();
  try {
    const records = await deps.store.getMessages(entries, { allocate: reads.allocate });
    const pass = await filter.select(records);
    const messages: MessageExtFields[] = [];
    records.forEach((r, i) => {
      if (pass[i]) messages.push(toMessageExt(r, deps.storeHost));
    });
    return messages.length > 0 ? encodeMessageExts(messages, (bytes) => deps.buffers.take(bytes)) : undefined;
  } finally {
    reads.release();
  }
}

/** The first entries whose records fit in maxBytes (the first always does). */
function withinBytes(entries: StoreQueueEntry[], maxBytes: number): StoreQueueEntry[] {
  let bytes = 0;
  for (let i = 0; i < entries.length; i++) {
    bytes += (entries[i] as StoreQueueEntry).size;
    if (bytes > maxBytes && i > 0) return entries.slice(0, i);
  }
  return entries;
}

/** A committed offset within the queue is stored; RocketMQ ignores one beyond the queue's end. */
async function commit(deps: PullProcessorDeps, group: string, topic: string, queueId: number, offset: number): Promise<void> {
  if (offset > deps.store.getMaxQueueOffset(topic, queueId)) return;
  await deps.store.setConsumerOffset(group, topic, queueId, offset);
}
