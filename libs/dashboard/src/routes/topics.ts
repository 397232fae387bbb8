import type { BrokerResult, TopicSpec } from '@orbitmq/admin-client';
import type { v1 } from '@orbitmq/protocol';
import type { FastifyInstance } from 'fastify';
import { type DashboardDeps, adminFor } from '../context';
import { DashboardError } from '../problems';
import { TopicRates } from '../topic-rates';
import { type PageQuery, TOPIC, TOPIC_PARAMS, mqadmin, pageOf, pageQuerySchema } from './schemas';

/** Per-broker outcome of a write, as the UI lists it. */
export function outcomes(results: BrokerResult<unknown>[]) {
  return results.map((r) => ({ broker: r.target.brokerName, ok: r.ok, ...(r.ok ? {} : { code: r.code, error: r.error }) }));
}

const MESSAGE_TYPES = ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED'];
/** Topics whose last message count is kept for rates, and how old a count may be to give one. */
const TOPIC_RATES_MAX_TOPICS = 100_000;
const TOPIC_RATES_MAX_AGE_MS = 600_000;

const TOPIC_BODY = {
  type: 'object',
  required: ['topic'],
  additionalProperties: false,
  properties: {
    topic: TOPIC,
    readQueueNums: { type: 'integer', minimum: 1, maximum: 1024, default: 8 },
    writeQueueNums: { type: 'integer', minimum: 1, maximum: 1024, default: 8 },
    perm: { type: 'integer', enum: [2, 4, 6], default: 6 },
    messageType: { type: 'string', enum: MESSAGE_TYPES, default: 'NORMAL' },
    cluster: { type: 'string', maxLength: 127 },
  },
} as const;

export function topicRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  // Paged on the server: 10k topics cost one name-server call and one page of JSON.
  // The masters' stats come in one ListTopicStats each; a type filter needs them for every topic.
  const listQuery = pageQuerySchema(deps.limits.maxPageSize);
  const rates = new TopicRates({ maxTopics: TOPIC_RATES_MAX_TOPICS, maxAgeMs: TOPIC_RATES_MAX_AGE_MS });
  const querystring = { ...listQuery, properties: { ...listQuery.properties, type: { type: 'string', enum: MESSAGE_TYPES } } };
  app.get<{ Querystring: PageQuery & { type?: string } }>('/api/topics', { schema: { querystring } }, async (req) => {
    const admin = adminFor(deps, req);
    const { type } = req.query;
    // Without a type filter only the page's topics are asked about (10k topics: 100 rows of stats).
    const [names, all] = await Promise.all([admin.topicNames(), type ? admin.topicStats() : undefined]);
    const listed = all ? names.filter((n) => all.topics.get(n)?.messageType === type) : names;
    const { total, offset, page } = pageOf(listed, req.query, (t) => t);
    const stats = all ?? (await admin.topicStats(page));
    const rows = page.map((n) => {
      const t = stats.topics.get(n);
      // A topic some master did not report has a partial count: no rate from it.
      return t ? { ...t, ratePerSecond: stats.failures.length === 0 ? (rates.observe(n, t.messagesWritten) ?? null) : null } : null;
    });
    return { total, offset, topics: page, stats: rows, failures: stats.failures };
  });

  app.post<{ Body: TopicSpec }>('/api/topics', { schema: { body: TOPIC_BODY } }, async (req) => {
    const b = req.body;
    const results = outcomes(await adminFor(deps, req).updateTopic(b));
    const cmd = mqadmin(
      deps.namesrvAddr,
      'updateTopic',
      ...['-t', b.topic, '-c', b.cluster || 'DefaultCluster', '-r', b.readQueueNums, '-w', b.writeQueueNums, '-p', b.perm, '-a', b.messageType],
    );
    deps.audit({ user: req.session?.user ?? '', action: 'updateTopic', target: b.topic, ok: results.every((r) => r.ok), mqadmin: cmd });
    return { results, mqadmin: cmd };
  });

  // Deleting needs the name typed again (confirm), so a slip of the mouse deletes nothing.
  app.delete<{ Params: { topic: string }; Querystring: { confirm: string } }>(
    '/api/topics/:topic',
    { schema: { params: TOPIC_PARAMS, querystring: { type: 'object', required: ['confirm'], properties: { confirm: { type: 'string', maxLength: 127 } } } } },
    async (req) => {
      const { topic } = req.params;
      if (req.query.confirm !== topic) throw new DashboardError('BAD_INPUT', `type the topic's name (${topic}) to confirm its deletion`);
      const results = outcomes(await adminFor(deps, req).deleteTopic(topic));
      const cmd = mqadmin(deps.namesrvAddr, 'deleteTopic', '-t', topic);
      deps.audit({ user: req.session?.user ?? '', action: 'deleteTopic', target: topic, ok: results.every((r) => r.ok), mqadmin: cmd });
      return { results, mqadmin: cmd };
    },
  );

  app.get<{ Params: { topic: string } }>('/api/topics/:topic', { schema: { params: TOPIC_PARAMS } }, async (req) => {
    const status = await adminFor(deps, req).topicStatus(req.params.topic);
    return {
      topic: req.params.topic,
      brokers: status.map((r) =>
        r.ok
          ? {
              broker: r.target.brokerName,
              address: r.target.address,
              ok: true,
              config: configOf(r.res.topic),
              queues: r.res.queues.map((q) => ({ queueId: q.queueId, minOffset: q.minOffset, maxOffset: q.maxOffset })),
            }
          : { broker: r.target.brokerName, address: r.target.address, ok: false, code: r.code, error: r.error },
      ),
    };
  });
}

function configOf(t: v1.TopicConfig__Output | null) {
  return t ? { readQueueNums: t.readQueueNums, writeQueueNums: t.writeQueueNums, perm: t.perm, messageType: t.messageType } : undefined;
}
