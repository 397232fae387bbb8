import type { BrokerResult, TopicSpec } from '@orbitmq/admin-client';
import type { FastifyInstance } from 'fastify';
import { type DashboardDeps, adminFor } from '../context';
import { DashboardError } from '../problems';
import { type PageQuery, TOPIC, TOPIC_PARAMS, mqadmin, pageOf, pageQuerySchema } from './schemas';

/** Per-broker outcome of a write, as the UI lists it. */
export function outcomes(results: BrokerResult<unknown>[]) {
  return results.map((r) => ({ broker: r.target.brokerName, ok: r.ok, ...(r.ok ? {} : { code: r.code, error: r.error }) }));
}

const TOPIC_BODY = {
  type: 'object',
  required: ['topic'],
  additionalProperties: false,
  properties: {
    topic: TOPIC,
    readQueueNums: { type: 'integer', minimum: 1, maximum: 1024, default: 8 },
    writeQueueNums: { type: 'integer', minimum: 1, maximum: 1024, default: 8 },
    perm: { type: 'integer', enum: [2, 4, 6], default: 6 },
    messageType: { type: 'string', enum: ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED'], default: 'NORMAL' },
    cluster: { type: 'string', maxLength: 127 },
  },
} as const;

export function topicRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  // Paged on the server: 10k topics cost one name-server call and one page of JSON.
  app.get<{ Querystring: PageQuery }>('/api/topics', { schema: { querystring: pageQuerySchema(deps.limits.maxPageSize) } }, async (req) => {
    const { total, offset, page } = pageOf(await adminFor(deps, req).topicNames(), req.query, (t) => t);
    return { total, offset, topics: page };
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
              config: r.res.topic
                ? { readQueueNums: r.res.topic.readQueueNums, writeQueueNums: r.res.topic.writeQueueNums, perm: r.res.topic.perm, messageType: r.res.topic.messageType }
                : undefined,
              queues: r.res.queues.map((q) => ({ queueId: q.queueId, minOffset: q.minOffset, maxOffset: q.maxOffset })),
            }
          : { broker: r.target.brokerName, address: r.target.address, ok: false, code: r.code, error: r.error },
      ),
    };
  });
}
