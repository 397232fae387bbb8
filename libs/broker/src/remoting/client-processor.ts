import { OrbitError, checkGroupName, toOrbitError } from '@orbitmq/protocol';
import { type RemotingCommand, type RemotingConnection, ResponseCode, createResponse } from '@orbitmq/remoting';
import type { SubscriptionFilters } from '../filter';
import { PERM_READ, PERM_WRITE, type GroupManager, type TopicManager } from '../meta';
import { type HeartbeatData, type RemotingClients } from './remoting-clients';
import { errorResponse, requireField } from './remoting-headers';
import { retryTopic } from './retry-processor';

/** Largest heartbeat body accepted (a client with many groups and subscriptions stays far below). */
export const MAX_HEARTBEAT_BYTES = 4 * 1024 * 1024;

export interface ClientProcessorDeps {
  clients: RemotingClients;
  topics: TopicManager;
  groups: GroupManager;
  /** A replica creates nothing (its master does). */
  writable: boolean;
  publishRoutes?: () => void;
}

export function parseJson<T>(body: Buffer | undefined, what: string, maxBytes: number): T {
  if (!body || body.length === 0) throw new OrbitError('BAD_REQUEST', `${what} has no body`);
  if (body.length > maxBytes) throw new OrbitError('BAD_REQUEST', `${what} body is ${body.length} bytes, limit ${maxBytes}`);
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch (e) {
    throw new OrbitError('BAD_REQUEST', `${what} body is not JSON: ${(e as Error).message}`);
  }
}

/**
 * HEART_BEAT (34): who the client is, its producer and consumer groups, and each consumer
 * group's subscriptions. A consumer group new to this broker gets its subscription group and
 * its retry topic %RETRY%<group> (consumers pull it alongside their topics; send-backs land there).
 */
export async function processHeartbeat(deps: ClientProcessorDeps, cmd: RemotingCommand, conn: RemotingConnection): Promise<RemotingCommand> {
  try {
    const data = parseJson<HeartbeatData>(cmd.body, 'HEART_BEAT', MAX_HEARTBEAT_BYTES);
    for (const c of data.consumerDataSet ?? []) if (c.groupName) checkGroupName(c.groupName);
    const joined = deps.clients.heartbeat(conn, data);
    if (deps.writable) {
      for (const group of joined) {
        await deps.groups.ensure(group);
        const topic = retryTopic(group);
        if (deps.topics.get(topic)) continue;
        await deps.topics.upsert({ topicName: topic, readQueueNums: 1, writeQueueNums: 1, perm: PERM_READ | PERM_WRITE, messageType: 'MIXED' });
        deps.publishRoutes?.();
      }
    }
    return createResponse(cmd, ResponseCode.SUCCESS);
  } catch (err) {
    return errorResponse(cmd, toOrbitError(err));
  }
}

/** UNREGISTER_CLIENT (35): a client leaving a producer and/or consumer group. */
export function processUnregister(deps: ClientProcessorDeps, cmd: RemotingCommand): RemotingCommand {
  try {
    const h = cmd.extFields;
    deps.clients.unregister(requireField(h, 'clientID'), h.consumerGroup || undefined, h.producerGroup || undefined);
    return createResponse(cmd, ResponseCode.SUCCESS);
  } catch (err) {
    return errorResponse(cmd, toOrbitError(err));
  }
}

/** GET_CONSUMER_LIST_BY_GROUP (38): the group's members, for the clients' own rebalancing. */
export function processConsumerList(deps: ClientProcessorDeps, cmd: RemotingCommand): RemotingCommand {
  try {
    const group = requireField(cmd.extFields, 'consumerGroup');
    const ids = deps.clients.consumerIds(group);
    if (ids.length === 0) return createResponse(cmd, ResponseCode.SYSTEM_ERROR, `no consumer of group ${group} is connected to this broker`);
    return createResponse(cmd, ResponseCode.SUCCESS, undefined, {}, Buffer.from(JSON.stringify({ consumerIdList: ids })));
  } catch (err) {
    return errorResponse(cmd, toOrbitError(err));
  }
}

/** Largest CHECK_CLIENT_CONFIG body (one subscription). */
export const MAX_CHECK_CONFIG_BYTES = 256 * 1024;

/** CheckClientRequestBody: {clientId, group, subscriptionData: SubscriptionData, namespace}. */
interface CheckClientBody {
  clientId?: string;
  group?: string;
  subscriptionData?: { topic?: string; subString?: string; expressionType?: string } | null;
}

/**
 * CHECK_CLIENT_CONFIG (46): a consumer asks, before it starts, whether its subscription works
 * here. TAG (or no type): the tag expression must parse; SQL92: it must compile with SQL92
 * filtering enabled; anything else is refused. SUCCESS, SUBSCRIPTION_PARSE_FAILED (23) with the
 * parser's message, or SYSTEM_ERROR (1) when SQL92 filtering is off (ClientManageProcessor).
 */
export function processCheckClientConfig(filters: Pick<SubscriptionFilters, 'checkSubscriptions'>, cmd: RemotingCommand): RemotingCommand {
  try {
    const sub = parseJson<CheckClientBody>(cmd.body, 'CHECK_CLIENT_CONFIG', MAX_CHECK_CONFIG_BYTES).subscriptionData;
    if (!sub) return createResponse(cmd, ResponseCode.SUCCESS);
    const type = sub.expressionType || 'TAG';
    if (type !== 'TAG' && type !== 'SQL92')
      return createResponse(cmd, ResponseCode.SUBSCRIPTION_PARSE_FAILED, `expression type ${String(type).slice(0, 40)} is not supported (TAG or SQL92)`);
    try {
      filters.checkSubscriptions([{ expression: { type: type === 'SQL92' ? 'SQL' : 'TAG', expression: sub.subString ?? '*' } }]);
    } catch (e) {
      const err = toOrbitError(e);
      if (err.code === 'UNSUPPORTED') return createResponse(cmd, ResponseCode.SYSTEM_ERROR, err.message);
      return createResponse(cmd, ResponseCode.SUBSCRIPTION_PARSE_FAILED, err.message);
    }
    return createResponse(cmd, ResponseCode.SUCCESS);
  } catch (err) {
    return errorResponse(cmd, toOrbitError(err));
  }
}
