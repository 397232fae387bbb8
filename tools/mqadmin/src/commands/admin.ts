import type { v1 } from '@orbitmq/protocol';
import { decodeOffsetMsgId } from '@orbitmq/remoting';
import { type BrokerTarget, type TargetOptions, callBroker, memberTargets, onEach } from '../brokers';
import type { Output } from '../context';
import { formatTable } from '../table';

const done = (what: string, targets: { target: { brokerName: string } }[]): Output => ({
  text: targets.map((t) => `${what} on ${t.target.brokerName}`).join('\n'),
  json: targets.map((t) => ({ broker: t.target.brokerName, ok: true })),
});

export async function updateTopic(
  o: TargetOptions & { topic: string; readQueueNums: number; writeQueueNums: number; perm: number; messageType: string },
): Promise<Output> {
  const topic: v1.TopicConfig = {
    topicName: o.topic,
    readQueueNums: o.readQueueNums,
    writeQueueNums: o.writeQueueNums,
    perm: o.perm,
    messageType: o.messageType as v1.MessageType,
  };
  return done(
    `topic ${o.topic} updated`,
    await onEach({ ...o, topic: o.brokerAddr || o.cluster ? o.topic : undefined }, (c) => c.UpdateTopic.bind(c), { topic }),
  );
}

export async function deleteTopic(o: TargetOptions & { topic: string }): Promise<Output> {
  return done(`topic ${o.topic} deleted`, await onEach(o, (c) => c.DeleteTopic.bind(c), { topic: o.topic }));
}

export async function topicStatus(o: TargetOptions & { topic: string }): Promise<Output> {
  const res = await onEach(o, (c) => c.GetTopicStatus.bind(c), { topic: o.topic });
  const rows = res.flatMap(({ target, res: r }) =>
    (r as v1.GetTopicStatusResponse__Output).queues.map((q) => [target.brokerName, q.queueId, q.minOffset, q.maxOffset]),
  );
  return {
    text: formatTable(['Broker Name', 'QID', 'Min Offset', 'Max Offset'], rows),
    json: res.map(({ target, res: r }) => ({ broker: target.brokerName, ...(r as object) })),
  };
}

export async function updateSubGroup(
  o: TargetOptions & {
    group: string;
    maxDeliveryAttempts?: number;
    ordering?: string;
    consumeFromWhere?: string;
    consumeTimestampMs?: number;
    retryBackoffMs?: string;
    consumeEnable: boolean;
  },
): Promise<Output> {
  const ladder = o.retryBackoffMs?.split(',').map((x) => Number(x.trim()));
  if (ladder?.some((x) => !Number.isInteger(x) || x < 0)) throw new Error(`retryBackoffMs '${o.retryBackoffMs}' must be comma-separated milliseconds`);
  const group: v1.SubscriptionGroup = {
    groupName: o.group,
    consumeEnable: o.consumeEnable,
    ...(o.maxDeliveryAttempts ? { maxDeliveryAttempts: o.maxDeliveryAttempts } : {}),
    ...(o.ordering ? { ordering: o.ordering } : {}),
    ...(o.consumeFromWhere ? { consumeFromWhere: o.consumeFromWhere } : {}),
    ...(o.consumeTimestampMs ? { consumeTimestampMs: o.consumeTimestampMs } : {}),
    ...(ladder ? { retryBackoffMs: ladder } : {}),
  };
  return done(`subscription group ${o.group} updated`, await onEach(o, (c) => c.UpdateSubscriptionGroup.bind(c), { group }));
}

export async function deleteSubGroup(o: TargetOptions & { group: string }): Promise<Output> {
  return done(`subscription group ${o.group} deleted`, await onEach(o, (c) => c.DeleteSubscriptionGroup.bind(c), { group: o.group, topic: '' }));
}

export async function consumerProgress(o: TargetOptions & { group: string }): Promise<Output> {
  const res = await onEach(o, (c) => c.GetConsumerProgress.bind(c), { group: o.group, topic: o.topic ?? '' });
  const rows = res.flatMap(({ target, res: r }) =>
    (r as v1.GetConsumerProgressResponse__Output).queues.map((q) => [
      q.topic,
      target.brokerName,
      q.queueId,
      q.brokerOffset,
      q.consumerOffset,
      q.inflight,
      q.lag,
      // With -t: the store time of the first message not consumed (how long it has waited).
      Number(q.nextStoreTimestampMs) > 0 ? new Date(Number(q.nextStoreTimestampMs)).toISOString() : '-',
    ]),
  );
  const total = res.reduce((s, { res: r }) => s + Number((r as v1.GetConsumerProgressResponse__Output).totalLag), 0);
  return {
    text: `${formatTable(['Topic', 'Broker Name', 'QID', 'Broker Offset', 'Consumer Offset', 'Inflight', 'Diff', 'Oldest Unconsumed'], rows)}\n\nConsume Diff Total: ${total}`,
    json: {
      queues: res.flatMap(({ target, res: r }) => (r as v1.GetConsumerProgressResponse__Output).queues.map((q) => ({ broker: target.brokerName, ...q }))),
      totalLag: total,
    },
  };
}

export async function connections(o: TargetOptions & { group?: string; clientType?: string }): Promise<Output> {
  const res = await onEach({ ...o, topic: undefined }, (c) => c.GetConnections.bind(c), {
    group: o.group ?? '',
    topic: o.topic ?? '',
    clientType: o.clientType ?? '',
  });
  const rows = res.flatMap(({ target, res: r }) =>
    (r as v1.GetConnectionsResponse__Output).connections.map((c) => [target.brokerName, c.clientId, c.clientType, c.language, c.version, c.remoteAddress]),
  );
  return {
    text: rows.length ? formatTable(['Broker Name', 'Client Id', 'Type', 'Language', 'Version', 'Address'], rows) : 'no connection',
    json: res.flatMap(({ res: r }) => (r as v1.GetConnectionsResponse__Output).connections),
  };
}

type QueryResults = { target: BrokerTarget; res: v1.QueryMessagesResponse__Output }[];

function queryRequest(o: { messageId?: string; topic?: string; key?: string; beginTimestampMs?: number; endTimestampMs?: number; maxResults?: number }) {
  return {
    messageId: o.messageId ?? '',
    topic: o.topic ?? '',
    key: o.key ?? '',
    beginTimestampMs: o.beginTimestampMs ?? 0,
    endTimestampMs: o.endTimestampMs ?? 0,
    maxResults: o.maxResults ?? 64,
  };
}

function messagesOutput(res: QueryResults): Output {
  const msgs = res.flatMap(({ target, res: r }) => r.messages.map((m) => ({ broker: target.brokerName, ...m })));
  const rows = msgs.map((m) => [
    m.broker,
    m.topic,
    m.queueId,
    m.queueOffset,
    m.messageId,
    m.tag,
    m.keys.join(' '),
    new Date(Number(m.storeTimestampMs)).toISOString(),
    m.body.length,
  ]);
  return {
    text: msgs.length
      ? formatTable(['Broker Name', 'Topic', 'QID', 'Offset', 'Message Id', 'Tag', 'Keys', 'Store Time', 'Body Bytes'], rows)
      : 'no message found',
    json: msgs.map((m) => ({ ...m, body: m.body.toString('base64') })),
  };
}

export async function queryMessages(
  o: TargetOptions & { messageId?: string; key?: string; beginTimestampMs?: number; endTimestampMs?: number; maxResults?: number },
): Promise<Output> {
  const res = await onEach(o.messageId ? { ...o, topic: undefined } : o, (c) => c.QueryMessages.bind(c), queryRequest(o));
  return messagesOutput(res as QueryResults);
}

/**
 * The broker a 4.x offsetMsgId names (its store host is the broker's internal endpoint,
 * brokerIP1:listenPort, where the admin API is served too): -b when given, else the registered
 * member with that address. Undefined when the id is not an offsetMsgId or names no known broker.
 */
async function offsetMsgIdOwner(o: TargetOptions, msgId: string): Promise<BrokerTarget | undefined> {
  let id: ReturnType<typeof decodeOffsetMsgId>;
  try {
    id = decodeOffsetMsgId(msgId);
  } catch {
    return undefined;
  }
  if (o.brokerAddr) return { brokerName: o.brokerAddr, address: o.brokerAddr };
  const addresses = new Set([`${id.host}:${id.port}`, `[${id.host}]:${id.port}`]);
  return (await memberTargets(o)).find((t) => addresses.has(t.address));
}

/**
 * queryMsgById, as RocketMQ's mqadmin: a 32 (IPv6: 56) hex-digit offsetMsgId (store host, port,
 * commit-log offset, what 4.x send results and consumers show) is looked up by its log offset on
 * the broker it names; the broker resolves offsetMsgIds of its own by offset. Any other id, or an
 * offsetMsgId with no record there (a message id may look like one), goes to the message-id
 * index of every master.
 */
export async function queryMsgById(o: TargetOptions & { msgId: string }): Promise<Output> {
  const owner = await offsetMsgIdOwner(o, o.msgId);
  if (owner) {
    const res = await callBroker(o, owner.address, (c) => c.QueryMessages.bind(c), queryRequest({ messageId: o.msgId }));
    if (res.messages.length > 0) return messagesOutput([{ target: owner, res }]);
  }
  return queryMessages({ ...o, messageId: o.msgId });
}

export async function resetOffsetByTime(o: TargetOptions & { group: string; topic: string; timestamp: string; dryRun?: boolean }): Promise<Output> {
  const ts = /^\d+$/.test(o.timestamp) ? Number(o.timestamp) : Date.parse(o.timestamp);
  if (!Number.isFinite(ts)) throw new Error(`timestamp '${o.timestamp}' is neither milliseconds nor a date`);
  const res = await onEach(o, (c) => c.ResetOffsetByTime.bind(c), { group: o.group, topic: o.topic, timestampMs: ts, dryRun: o.dryRun ?? false });
  const rows = res.flatMap(({ target, res: r }) =>
    (r as v1.ResetOffsetByTimeResponse__Output).offsets.map((q) => [target.brokerName, q.queueId, q.previousOffset, q.offset]),
  );
  return {
    text: `${formatTable(['Broker Name', 'QID', 'Before', o.dryRun ? 'Would Be' : 'Offset'], rows)}${o.dryRun ? '\n\n(dry run: nothing moved)' : ''}`,
    json: res.flatMap(({ target, res: r }) => (r as v1.ResetOffsetByTimeResponse__Output).offsets.map((q) => ({ broker: target.brokerName, ...q }))),
  };
}

export async function brokerStatus(o: TargetOptions): Promise<Output> {
  const res = await onEach(o, (c) => c.GetBrokerStatus.bind(c), {});
  const text = res
    .map(({ target, res: r }) => {
      const s = r as v1.GetBrokerStatusResponse__Output;
      const fields: [string, string | number | boolean][] = [
        ['brokerName', s.brokerName],
        ['clientEndpoint', s.clientEndpoint],
        ['minOffset', s.minOffset],
        ['endOffset', s.endOffset],
        ['flushedOffset', s.flushedOffset],
        ['dispatchedOffset', s.dispatchedOffset],
        ['diskUsedPercent', s.diskUsedPercent.toFixed(1)],
        ['diskFull', s.diskFull],
        ['writable', !s.diskFull],
        ['diskGuard', diskGuardLine(s)],
        ['diskMaxUsedSpaceRatio', `${s.config.diskMaxUsedSpaceRatio ?? '?'} %`],
        ['cleanFileForcibly', s.config.cleanFileForciblyEnable ?? '?'],
        ['topics', s.topics],
        ['groups', s.groups],
        ['clients', s.clients],
        ['inflightMessages', s.inflightMessages],
        ['uptimeMs', s.uptimeMs],
      ];
      return `${target.brokerName}\n${fields.map(([k, v]) => `  ${k.padEnd(20)}: ${String(v)}`).join('\n')}`;
    })
    .join('\n\n');
  return { text, json: res.map(({ res: r }) => r) };
}

/** The disk guard's state and limits, from the status and the broker's effective configuration. */
function diskGuardLine(s: v1.GetBrokerStatusResponse__Output): string {
  const c = s.config;
  const reserveMiB = c.diskReserveBytes !== undefined ? `${(Number(c.diskReserveBytes) / 1024 / 1024).toFixed(1)} MiB` : '?';
  return `${s.diskFull ? 'REFUSING sends' : 'accepting'} (limit ${c.diskSpaceWarningLevelRatio ?? '?'} %, reserve ${reserveMiB})`;
}

/** getBrokerConfig: a broker's effective configuration (RocketMQ's command name). */
export async function getBrokerConfig(o: TargetOptions): Promise<Output> {
  const res = await onEach(o, (c) => c.GetBrokerStatus.bind(c), {});
  const rows = res.flatMap(({ target, res: r }) =>
    Object.entries((r as v1.GetBrokerStatusResponse__Output).config)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [target.brokerName, k, v]),
  );
  return {
    text: formatTable(['Broker Name', 'Key', 'Value'], rows),
    json: res.map(({ target, res: r }) => ({ broker: target.brokerName, config: (r as v1.GetBrokerStatusResponse__Output).config })),
  };
}

/**
 * updateBrokerConfig, as RocketMQ's: one key of the running brokers (-b one, -c a cluster's, else
 * every master), kept across restarts in the properties file each was started with.
 */
export async function updateBrokerConfig(o: TargetOptions & { key: string; value: string }): Promise<Output> {
  const res = await onEach(o, (c) => c.UpdateBrokerConfig.bind(c), { properties: { [o.key]: o.value } });
  const rows = res.flatMap(({ target, res: r }) => {
    const u = r as v1.UpdateBrokerConfigResponse__Output;
    return Object.entries(u.applied).map(([k, v]) => [target.brokerName, k, v, u.persistedTo || '(not persisted: started without -c)']);
  });
  return {
    text: formatTable(['Broker Name', 'Key', 'Value', 'Persisted To'], rows),
    json: res.map(({ target, res: r }) => ({ broker: target.brokerName, ...(r as object) })),
  };
}

export async function pendingTransactions(o: TargetOptions & { limit: number }): Promise<Output> {
  const res = await onEach(o, (c) => c.ListPendingTransactions.bind(c), { topic: o.topic ?? '', limit: o.limit });
  const all = res.flatMap(({ target, res: r }) =>
    (r as v1.ListPendingTransactionsResponse__Output).transactions.map((t) => ({ broker: target.brokerName, ...t })),
  );
  const rows = all.map((t) => [t.broker, t.topic, t.messageId, t.transactionId, t.producerClientId, new Date(Number(t.storeTimestampMs)).toISOString()]);
  const totals = res.map(({ target, res: r }) => `${target.brokerName}: ${(r as v1.ListPendingTransactionsResponse__Output).totalPending} pending`).join('\n');
  return {
    text: `${rows.length ? formatTable(['Broker Name', 'Topic', 'Message Id', 'Transaction Id', 'Producer', 'Stored'], rows) : 'no pending transaction'}\n\n${totals}`,
    json: res.map(({ target, res: r }) => ({ broker: target.brokerName, ...(r as object) })),
  };
}

export async function scheduleStats(o: TargetOptions): Promise<Output> {
  const res = await onEach({ ...o, topic: undefined }, (c) => c.GetScheduleStats.bind(c), {});
  const rows = res.flatMap(({ target, res: r }) => (r as v1.GetScheduleStatsResponse__Output).buckets.map((b) => [target.brokerName, b.label, b.count]));
  const totals = res
    .map(({ target, res: r }) => `${target.brokerName}: ${(r as v1.GetScheduleStatsResponse__Output).pending} delayed messages pending`)
    .join('\n');
  return {
    text: `${formatTable(['Broker Name', 'Due Within', 'Messages'], rows)}\n\n${totals}`,
    json: res.map(({ target, res: r }) => ({ broker: target.brokerName, ...(r as object) })),
  };
}
