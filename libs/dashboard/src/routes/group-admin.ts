import type { ClusterAdmin, GroupSpec } from '@orbitmq/admin-client';
import type { FastifyInstance } from 'fastify';
import { type DashboardDeps, adminFor } from '../context';
import { DashboardError } from '../problems';
import { GROUP, mqadmin } from './schemas';
import { outcomes } from './topics';

const GROUP_ONLY = { type: 'object', required: ['group'], properties: { group: GROUP } } as const;

/** Topics of one group whose lag in time is looked up (one GetConsumerProgress each on their masters). */
export const MAX_LAG_TIME_TOPICS = 32;

/** How long the oldest message the group has not consumed on `topic` has waited (0: none waiting). */
async function lagMsOf(admin: ClusterAdmin, group: string, topic: string, nowMs: number): Promise<number | undefined> {
  const results = await admin.consumerProgress(group, topic);
  if (results.some((r) => !r.ok)) return undefined;
  let oldest = Infinity;
  const times = results.flatMap((r) => (r.ok ? r.res.queues.map((q) => Number(q.nextStoreTimestampMs)) : [])).filter((ms) => ms > 0);
  for (const ms of times) oldest = Math.min(oldest, ms);
  return Number.isFinite(oldest) ? Math.max(0, nowMs - oldest) : 0;
}

/** What the page may set; absent fields stay as they are (a new group takes the defaults). */
const GROUP_BODY = {
  type: 'object',
  required: ['group'],
  additionalProperties: false,
  properties: {
    group: GROUP,
    maxDeliveryAttempts: { type: 'integer', minimum: 1, maximum: 1_000 },
    ordering: { type: 'string', enum: ['auto', 'ordered', 'unordered'] },
    consumeFromWhere: { type: 'string', enum: ['CONSUME_FROM_LAST_OFFSET', 'CONSUME_FROM_FIRST_OFFSET', 'CONSUME_FROM_TIMESTAMP'] },
    consumeTimestampMs: { type: 'integer', minimum: 0 },
    retryBackoffMs: { type: 'array', maxItems: 32, items: { type: 'integer', minimum: 0, maximum: 86_400_000 } },
    consumeEnable: { type: 'boolean' },
    cluster: { type: 'string', maxLength: 127 },
  },
} as const;

/** The mqadmin line of an update: only the options that were given. */
function updateCommand(namesrvAddr: string, b: GroupSpec): string {
  const opts: (string | number)[] = ['-g', b.group, '-c', b.cluster || 'DefaultCluster'];
  if (b.maxDeliveryAttempts) opts.push('-r', b.maxDeliveryAttempts);
  if (b.ordering) opts.push('--ordering', b.ordering);
  if (b.consumeFromWhere) opts.push('--consumeFromWhere', b.consumeFromWhere);
  if (b.consumeTimestampMs) opts.push('--consumeTimestampMs', b.consumeTimestampMs);
  if (b.retryBackoffMs?.length) opts.push('--retryBackoffMs', b.retryBackoffMs.join(','));
  if (b.consumeEnable === false) opts.push('--no-consumeEnable');
  return mqadmin(namesrvAddr, 'updateSubGroup', ...opts);
}

/** A group's page (configuration, topics with lag, brokers), create / update, delete with a typed confirmation. */
export function groupAdminRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get<{ Params: { group: string } }>('/api/groups/:group', { schema: { params: GROUP_ONLY } }, async (req) => {
    const admin = adminFor(deps, req);
    const { groups, failures } = await admin.groups();
    deps.lagHistory?.record(groups); // a sample like the groups page's (page-driven sampling)
    const g = groups.find((x) => x.group === req.params.group);
    if (!g) throw new DashboardError('NOT_FOUND', `no master that answered knows group ${req.params.group}`);
    const c = g.config;
    const now = Date.now();
    const topics = [...g.topics].map(([topic, lag]) => ({ topic, lag }));
    // Lag in time where there is lag, for the most lagging topics (undefined: a master did not answer).
    const timed = topics.filter((t) => t.lag > 0).sort((a, b) => b.lag - a.lag).slice(0, MAX_LAG_TIME_TOPICS);
    const lagMs = new Map(await Promise.all(timed.map(async (t) => [t.topic, await lagMsOf(admin, g.group, t.topic, now)] as const)));
    const connections = await admin.groupConnections(g.group);
    return {
      group: g.group,
      totalLag: g.totalLag,
      inflight: g.inflight,
      clients: g.clients,
      brokers: g.brokers,
      config: {
        consumeEnable: c?.consumeEnable ?? true,
        maxDeliveryAttempts: c?.maxDeliveryAttempts ?? 0,
        ordering: c?.ordering ?? '',
        consumeFromWhere: c?.consumeFromWhere ?? '',
        consumeTimestampMs: Number(c?.consumeTimestampMs ?? 0),
        retryBackoffMs: (c?.retryBackoffMs ?? []).map(Number),
      },
      topics: topics.map((t) => ({ ...t, lagMs: t.lag === 0 ? 0 : (lagMs.get(t.topic) ?? null) })),
      connections: connections.flatMap((r) =>
        r.ok ? r.res.connections.map((x) => ({ broker: r.target.brokerName, clientId: x.clientId, language: x.language, address: x.remoteAddress })) : [],
      ),
      trend: deps.lagHistory?.trend(g.group),
      history: deps.lagHistory?.series(g.group),
      failures: [...failures, ...connections.flatMap((r) => (r.ok ? [] : [{ broker: r.target.brokerName, code: r.code, error: r.error }]))],
    };
  });

  app.post<{ Body: GroupSpec }>('/api/groups', { schema: { body: GROUP_BODY } }, async (req) => {
    const b = req.body;
    const results = outcomes(await adminFor(deps, req).updateGroup(b));
    const cmd = updateCommand(deps.namesrvAddr, b);
    deps.audit({ user: req.session?.user ?? '', action: 'updateSubGroup', target: b.group, ok: results.every((r) => r.ok), mqadmin: cmd });
    return { results, mqadmin: cmd };
  });

  // Deleting needs the name typed again (confirm), as for topics.
  app.delete<{ Params: { group: string }; Querystring: { confirm: string } }>(
    '/api/groups/:group',
    {
      schema: {
        params: GROUP_ONLY,
        querystring: { type: 'object', required: ['confirm'], additionalProperties: false, properties: { confirm: { type: 'string', maxLength: 127 } } },
      },
    },
    async (req) => {
      const { group } = req.params;
      if (req.query.confirm !== group) throw new DashboardError('BAD_INPUT', `type the group's name (${group}) to confirm its deletion`);
      const results = outcomes(await adminFor(deps, req).deleteGroup(group));
      const cmd = mqadmin(deps.namesrvAddr, 'deleteSubGroup', '-g', group, '-c', 'DefaultCluster');
      deps.audit({ user: req.session?.user ?? '', action: 'deleteSubGroup', target: group, ok: results.every((r) => r.ok), mqadmin: cmd });
      return { results, mqadmin: cmd };
    },
  );
}
