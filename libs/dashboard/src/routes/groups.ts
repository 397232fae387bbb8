import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type DashboardDeps, adminFor } from '../context';
import { DashboardError } from '../problems';
import { GROUP_PARAMS, type PageQuery, TOPIC_PARAMS, mqadmin, pageOf, pageQuerySchema } from './schemas';

type Params = { topic: string; group: string };
type ResetTo = { to: 'earliest' | 'latest' | 'time'; timestampMs?: number };

const RESET_TO = {
  type: 'object',
  required: ['to'],
  additionalProperties: false,
  properties: { to: { type: 'string', enum: ['earliest', 'latest', 'time'] }, timestampMs: { type: 'integer', minimum: 0 } },
} as const;

/** earliest: the first message stored at or after 0; latest: at or after now (the queue's end). */
function timestampOf(r: ResetTo): number {
  if (r.to === 'earliest') return 0;
  if (r.to === 'latest') return Date.now();
  if (r.timestampMs === undefined) throw new DashboardError('BAD_INPUT', 'to=time needs timestampMs');
  return r.timestampMs;
}

/** One ResetOffsetByTime on every master of the topic: dry (the preview) or for real. */
async function reset(deps: DashboardDeps, req: FastifyRequest<{ Params: Params }>, to: ResetTo, dryRun: boolean) {
  const { topic, group } = req.params;
  const timestampMs = timestampOf(to);
  const results = await adminFor(deps, req).resetOffsetByTime(group, topic, timestampMs, dryRun);
  const queues = results.flatMap((r) =>
    r.ok
      ? r.res.offsets.map((q) => ({ broker: r.target.brokerName, queueId: q.queueId, before: Number(q.previousOffset), after: Number(q.offset) }))
      : [],
  );
  return {
    dryRun,
    timestampMs,
    queues,
    movedMessages: queues.reduce((s, q) => s + (q.before - q.after), 0),
    failures: results.flatMap((r) => (r.ok ? [] : [{ broker: r.target.brokerName, code: r.code, error: r.error }])),
    mqadmin: mqadmin(deps.namesrvAddr, 'resetOffsetByTime', '-g', group, '-t', topic, '-s', timestampMs),
  };
}

/** Samples a groups page row carries for its sparkline (15 min at the default 15 s). */
const TREND_SAMPLES_PER_ROW = 60;

function trendOf(deps: DashboardDeps, group: string) {
  const t = deps.lagHistory?.trend(group);
  if (!t) return undefined;
  return { ...t, lags: t.lags.slice(-TREND_SAMPLES_PER_ROW) };
}

export function groupRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  // Every group with its lag, paged on the server (one ListSubscriptionGroups per master).
  app.get<{ Querystring: PageQuery }>('/api/groups', { schema: { querystring: pageQuerySchema(deps.limits.maxPageSize) } }, async (req) => {
    const { groups, failures } = await adminFor(deps, req).groups();
    deps.lagHistory?.record(groups);
    const { total, offset, page } = pageOf(groups, req.query, (g) => g.group);
    return {
      total,
      offset,
      failures,
      groups: page.map((g) => ({
        group: g.group,
        totalLag: g.totalLag,
        inflight: g.inflight,
        clients: g.clients,
        brokers: g.brokers,
        maxDeliveryAttempts: g.config?.maxDeliveryAttempts ?? 0,
        ordering: g.config?.ordering ?? '',
        consumeFromWhere: g.config?.consumeFromWhere ?? '',
        retryBackoffMs: (g.config?.retryBackoffMs ?? []).map(Number),
        trend: trendOf(deps, g.group),
      })),
    };
  });

  // The groups that consume a topic, with their lag on it (from the same one call per master).
  app.get<{ Params: { topic: string } }>('/api/topics/:topic/groups', { schema: { params: TOPIC_PARAMS } }, async (req) => {
    const { groups, failures } = await adminFor(deps, req).groups();
    const { topic } = req.params;
    return {
      groups: groups
        .filter((g) => g.topics.has(topic))
        .map((g) => ({ group: g.group, lag: g.topics.get(topic) ?? 0, clients: g.clients, inflight: g.inflight })),
      failures,
    };
  });

  app.get<{ Params: Params }>('/api/topics/:topic/groups/:group', { schema: { params: GROUP_PARAMS } }, async (req) => {
    const admin = adminFor(deps, req);
    const { topic, group } = req.params;
    const [progress, connections] = await Promise.all([admin.consumerProgress(group, topic), admin.connections(group, topic)]);
    const queues = progress.flatMap((r) =>
      r.ok ? r.res.queues.map((q) => ({ broker: r.target.brokerName, ...q, lag: Number(q.lag), nextStoreTimestampMs: Number(q.nextStoreTimestampMs) })) : [],
    );
    // Lag in time: how long the oldest message the group has not consumed has been waiting.
    const oldest = Math.min(...queues.map((q) => q.nextStoreTimestampMs || Infinity));
    return {
      queues,
      totalLag: progress.reduce((s, r) => s + (r.ok ? Number(r.res.totalLag) : 0), 0),
      lagMs: Number.isFinite(oldest) ? Math.max(0, Date.now() - oldest) : 0,
      clients: connections.flatMap((r) => (r.ok ? r.res.connections : [])),
      failures: progress.flatMap((r) => (r.ok ? [] : [{ broker: r.target.brokerName, code: r.code, error: r.error }])),
    };
  });

  // The preview: what a reset would do, per queue, before and after; nothing moves.
  app.get<{ Params: Params; Querystring: ResetTo }>(
    '/api/topics/:topic/groups/:group/reset-preview',
    { schema: { params: GROUP_PARAMS, querystring: RESET_TO } },
    (req) => reset(deps, req, req.query, true),
  );

  app.post<{ Params: Params; Body: ResetTo }>('/api/topics/:topic/groups/:group/reset', { schema: { params: GROUP_PARAMS, body: RESET_TO } }, async (req) => {
    const done = await reset(deps, req, req.body, false);
    deps.audit({
      user: req.session?.user ?? '',
      action: 'resetOffsetByTime',
      target: `${req.params.group}@${req.params.topic}`,
      ok: done.failures.length === 0,
      mqadmin: done.mqadmin,
    });
    return done;
  });
}
