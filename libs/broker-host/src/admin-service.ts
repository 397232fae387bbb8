import { type AdminMessageView, BrokerAdminApi, type BrokerSettings } from '@orbitmq/broker';
import type { MessageStore } from '@orbitmq/storage';
import { OrbitError, type v1 } from '@orbitmq/protocol';
import { type AclGuard, answerCallRefusal } from '@orbitmq/acl';
import { guardHandlers, toServiceError, unary } from '@orbitmq/rpc';
import { BROKER_CONFIG, type BrokerConfig } from './config';
import { type ConfigUpdate, HOT_BROKER_KEYS } from './live-config';
import { changedDefaults, maskSecrets } from '@orbitmq/runtime';

function groupOut(g: {
  groupName: string;
  consumeEnable: boolean;
  maxDeliveryAttempts: number;
  ordering: string;
  consumeFromWhere: string;
  consumeTimestampMs: number;
  retryBackoffMs: number[];
}): v1.SubscriptionGroup {
  return { ...g, consumeTimestampMs: String(g.consumeTimestampMs), retryBackoffMs: g.retryBackoffMs.map(String) };
}

export interface AdminServiceDeps {
  api: BrokerAdminApi;
  store: Pick<MessageStore, 'stats'>;
  settings: BrokerSettings;
  config: BrokerConfig;
  startedAtMs: number;
  /** Replication as this broker sees it (mqadmin haStatus). */
  replication: () => v1.GetHaStatusResponse;
  /** aclEnable: every admin call needs an admin account's signature (mqadmin --accessKey/--secretKey). */
  acl?: AclGuard | undefined;
  /** UpdateBrokerConfig: applies hot keys to the running broker (see live-config); absent: refused. */
  updateConfig?: (properties: Record<string, string>) => ConfigUpdate;
}

/** orbitmq.v1.BrokerAdmin on the internal port: a gRPC skin over BrokerAdminApi. */
export function adminService(deps: AdminServiceDeps): v1.BrokerAdminHandlers {
  const handlers = { ...statusHandlers(deps), ...metadataHandlers(deps.api), ...queryHandlers(deps.api) } as v1.BrokerAdminHandlers;
  // Every call needs an admin account's signature (UNAUTHORIZED / FORBIDDEN).
  const acl = deps.acl;
  return acl
    ? guardHandlers(
        handlers,
        () => true,
        (call) => acl.checkAdmin(call.metadata, call.getPeer()),
        (error, call, answer) => answerCallRefusal(acl, error, call, answer),
      )
    : handlers;
}

function statusHandlers({ api, store, settings, config, startedAtMs, replication, acl, updateConfig }: AdminServiceDeps): Partial<v1.BrokerAdminHandlers> {
  return {
    UpdateBrokerConfig: unary<v1.UpdateBrokerConfigRequest__Output, v1.UpdateBrokerConfigResponse>('UpdateBrokerConfig', (req) => {
      if (!updateConfig) throw new OrbitError('UNSUPPORTED', 'this process does not change its configuration while running');
      return updateConfig(req.properties);
    }),
    GetAclConfig: unary<v1.GetAclConfigRequest__Output, v1.GetAclConfigResponse>('GetAclConfig', () =>
      acl ? { aclEnabled: true, ...acl.describe() } : { aclEnabled: false, globalWhiteRemoteAddresses: [], accounts: [] },
    ),
    GetHaStatus: unary<v1.GetHaStatusRequest__Output, v1.GetHaStatusResponse>('GetHaStatus', () => replication()),
    GetBrokerStatus: unary<v1.GetBrokerStatusRequest__Output, v1.GetBrokerStatusResponse>('GetBrokerStatus', () => {
      const s = store.stats();
      const counts = api.summary();
      return {
        clusterName: settings.clusterName,
        brokerName: settings.brokerName,
        brokerId: settings.brokerId,
        clientEndpoint: settings.clientEndpoint,
        internalEndpoint: settings.internalEndpoint,
        minOffset: String(s.minOffset),
        endOffset: String(s.endOffset),
        flushedOffset: String(s.flushedOffset),
        dispatchedOffset: String(s.dispatchedOffset),
        diskUsedPercent: s.diskUsedPercent,
        diskFull: s.diskFull,
        topics: counts.topics,
        groups: counts.groups,
        clients: counts.clients,
        inflightMessages: String(counts.inflightMessages),
        uptimeMs: String(Date.now() - startedAtMs),
        config: Object.fromEntries(Object.entries(maskSecrets(BROKER_CONFIG, config)).map(([k, v]) => [k, Array.isArray(v) ? v.join(';') : String(v)])),
        configDefaults: changedDefaults(BROKER_CONFIG, config),
        liveKeys: updateConfig ? [...HOT_BROKER_KEYS] : [],
      };
    }),
  };
}

/** Topics, groups and offsets. */
function metadataHandlers(api: BrokerAdminApi): Partial<v1.BrokerAdminHandlers> {
  return {
    UpdateTopic: unary<v1.UpdateTopicRequest__Output, v1.UpdateTopicResponse>('UpdateTopic', async (req) => {
      const t = req.topic;
      await api.updateTopic({
        topicName: t?.topicName ?? '',
        readQueueNums: t?.readQueueNums ?? 0,
        writeQueueNums: t?.writeQueueNums ?? 0,
        perm: t?.perm ?? 6,
        messageType: t?.messageType ?? 'MIXED',
      });
      return {};
    }),
    DeleteTopic: unary<v1.AdminTopicRequest__Output, v1.AdminDeleteTopicResponse>('DeleteTopic', async (req) => {
      await api.deleteTopic(req.topic);
      return {};
    }),
    GetTopicStatus: unary<v1.AdminTopicRequest__Output, v1.GetTopicStatusResponse>('GetTopicStatus', async (req) => {
      const s = await api.topicStatus(req.topic);
      return { topic: s.topic, queues: s.queues.map((q) => ({ queueId: q.queueId, minOffset: String(q.minOffset), maxOffset: String(q.maxOffset) })) };
    }),
    ListTopicStats: unary<v1.ListTopicStatsRequest__Output, v1.ListTopicStatsResponse>('ListTopicStats', (req) => ({
      topics: api.topicStats(req.topics).map((t) => ({ topic: t.topic, messagesWritten: String(t.messagesWritten) })),
    })),
    UpdateSubscriptionGroup: unary<v1.UpdateSubscriptionGroupRequest__Output, v1.UpdateSubscriptionGroupResponse>('UpdateSubscriptionGroup', async (req) => {
      const g = req.group;
      const updated = await api.updateGroup({
        groupName: g?.groupName ?? '',
        consumeEnable: g?.consumeEnable ?? true,
        ...(g?.maxDeliveryAttempts ? { maxDeliveryAttempts: g.maxDeliveryAttempts } : {}),
        ...(g?.ordering ? { ordering: g.ordering as 'auto' } : {}),
        ...(g?.consumeFromWhere ? { consumeFromWhere: g.consumeFromWhere as 'CONSUME_FROM_LAST_OFFSET' } : {}),
        ...(g && Number(g.consumeTimestampMs) > 0 ? { consumeTimestampMs: Number(g.consumeTimestampMs) } : {}),
        ...(g && g.retryBackoffMs.length > 0 ? { retryBackoffMs: g.retryBackoffMs.map(Number) } : {}),
      });
      return { group: groupOut(updated) };
    }),
    ListSubscriptionGroups: unary<v1.ListSubscriptionGroupsRequest__Output, v1.ListSubscriptionGroupsResponse>('ListSubscriptionGroups', async () => ({
      groups: (await api.groupSummaries()).map((g) => ({
        group: groupOut(g.group),
        totalLag: String(g.totalLag),
        inflight: String(g.inflight),
        queues: g.queues,
        clients: g.clients,
        topics: g.topics.map((t) => ({ topic: t.topic, lag: String(t.lag) })),
      })),
    })),
    DeleteSubscriptionGroup: unary<v1.AdminGroupRequest__Output, v1.DeleteSubscriptionGroupResponse>('DeleteSubscriptionGroup', async (req) => {
      await api.deleteGroup(req.group);
      return {};
    }),
    GetConsumerProgress: unary<v1.AdminGroupRequest__Output, v1.GetConsumerProgressResponse>('GetConsumerProgress', async (req) => {
      const p = await api.consumerProgress(req.group, req.topic || undefined);
      return {
        queues: p.queues.map((q) => ({
          ...q,
          brokerOffset: String(q.brokerOffset),
          consumerOffset: String(q.consumerOffset),
          inflight: String(q.inflight),
          lag: String(q.lag),
          nextStoreTimestampMs: String(q.nextStoreTimestampMs),
        })),
        totalLag: String(p.totalLag),
      };
    }),
  };
}

/** Connections, messages, transactions and delayed messages. */
function queryHandlers(api: BrokerAdminApi): Partial<v1.BrokerAdminHandlers> {
  return {
    GetConnections: unary<v1.GetConnectionsRequest__Output, v1.GetConnectionsResponse>('GetConnections', (req) => ({
      connections: api.connections({ group: req.group, topic: req.topic, clientType: req.clientType }).map((c) => ({
        clientId: c.clientId,
        clientType: c.clientType,
        language: c.language,
        version: c.version,
        remoteAddress: c.remoteAddress,
        groups: [...c.groups],
        topics: [...c.topics],
        lastSeenMs: String(c.lastSeenMs),
      })),
    })),
    QueryMessages: unary<v1.QueryMessagesRequest__Output, v1.QueryMessagesResponse>('QueryMessages', async (req) => ({
      messages: (
        await api.queryMessages({
          messageId: req.messageId,
          topic: req.topic,
          key: req.key,
          beginTimestampMs: Number(req.beginTimestampMs),
          endTimestampMs: Number(req.endTimestampMs),
          maxResults: req.maxResults,
        })
      ).map(adminMessage),
    })),
    BrowseMessages: browseHandler(api),
    ResendMessages: unary<v1.ResendMessagesRequest__Output, v1.ResendMessagesResponse>('ResendMessages', async (req) => ({
      results: (await api.resend(req.topic, req.queueId, req.offsets.map(offsetOf), req.toTopic)).map((r) => ({
        queueOffset: String(r.queueOffset),
        ok: r.ok,
        toTopic: r.toTopic,
        messageId: r.messageId ?? '',
        newQueueOffset: String(r.newQueueOffset ?? -1),
        errorCode: r.code ?? '',
        error: r.error ?? '',
      })),
    })),
    GetDeliveryState: unary<v1.GetDeliveryStateRequest__Output, v1.GetDeliveryStateResponse>('GetDeliveryState', async (req) => {
      const r = await api.deliveryState(req.topic, req.queueId, offsetOf(req.queueOffset));
      return {
        message: adminMessage(r.message),
        deliveries: r.deliveries.map((g) => ({
          group: g.group,
          state: g.state,
          attempt: g.attempt,
          untilMs: String(g.untilMs),
          consumerOffset: String(g.consumerOffset),
          copyTopic: g.copy?.topic ?? '',
          copyQueueOffset: String(g.copy?.queueOffset ?? -1),
        })),
        groupsLeftOut: r.groupsLeftOut,
      };
    }),
    ResetOffsetByTime: unary<v1.ResetOffsetByTimeRequest__Output, v1.ResetOffsetByTimeResponse>('ResetOffsetByTime', async (req) => ({
      offsets: (await api.resetOffsetByTime(req.group, req.topic, Number(req.timestampMs), req.dryRun)).map((o) => ({
        queueId: o.queueId,
        offset: String(o.offset),
        previousOffset: String(o.previousOffset),
      })),
    })),
    ListPendingTransactions: unary<v1.ListPendingTransactionsRequest__Output, v1.ListPendingTransactionsResponse>('ListPendingTransactions', async (req) => {
      const r = await api.pendingTransactions(req.topic, req.limit);
      return {
        transactions: r.transactions.map((t) => ({
          topic: t.topic,
          messageId: t.messageId,
          transactionId: t.transactionId,
          producerClientId: t.producerClientId,
          storeTimestampMs: String(t.storeTimestampMs),
        })),
        totalPending: String(r.totalPending),
      };
    }),
    GetScheduleStats: unary<v1.GetScheduleStatsRequest__Output, v1.GetScheduleStatsResponse>('GetScheduleStats', () => {
      const r = api.scheduleStats();
      return { pending: String(r.pending), buckets: r.buckets.map((b) => ({ label: b.label, count: String(b.count) })) };
    }),
  };
}

function adminMessage(m: AdminMessageView): v1.AdminMessage {
  return {
    ...m,
    queueOffset: String(m.queueOffset),
    commitLogOffset: String(m.commitLogOffset),
    bornTimestampMs: String(m.bornTimestampMs),
    storeTimestampMs: String(m.storeTimestampMs),
  };
}

/** A queue offset sent as a decimal string (int64 in proto). */
function offsetOf(text: string): number {
  const n = Number(text);
  if (!/^\d{1,16}$/.test(text) || !Number.isSafeInteger(n)) throw new OrbitError('BAD_REQUEST', `queue_offset '${text}' is not an offset`);
  return n;
}

/** BrowseMessages: the browse's chunks as a server stream, written as the client drains them. */
function browseHandler(api: BrokerAdminApi): v1.BrokerAdminHandlers['BrowseMessages'] {
  return (call) => {
    const r = call.request;
    const run = async () => {
      const type = r.filterType === 'SQL92' || r.filterType === 'SQL' ? 'SQL' : 'TAG';
      if (r.filterType && !['TAG', 'SQL92', 'SQL'].includes(r.filterType))
        throw new OrbitError('BAD_REQUEST', `filter_type '${r.filterType}' must be TAG or SQL92`);
      const chunks = api.browse(
        {
          topic: r.topic,
          queueId: r.queueId,
          ...(r.startOffset ? { startOffset: offsetOf(r.startOffset) } : {}),
          beginTimestampMs: Number(r.beginTimestampMs),
          endTimestampMs: Number(r.endTimestampMs),
          maxMessages: r.maxMessages,
          filter: { type, expression: r.filterExpression },
        },
        () => call.cancelled,
      );
      for await (const c of chunks) {
        const p = c.progress;
        const chunk: v1.BrowseMessagesChunk = {
          messages: c.records.map((m) => adminMessage(BrokerAdminApi.view(m))),
          progress: {
            ...p,
            nextOffset: String(p.nextOffset),
            maxOffset: String(p.maxOffset),
            scanned: String(p.scanned),
            matched: String(p.matched),
            finished: p.finished ?? '',
          },
        };
        if (!call.write(chunk)) await new Promise((resolve) => call.once('drain', resolve));
        if (call.cancelled) return;
      }
      call.end();
    };
    run().catch((e: unknown) => call.emit('error', toServiceError(e)));
  };
}
