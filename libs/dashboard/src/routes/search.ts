import { type BrokerStream, browseBroker } from '@orbitmq/admin-client';
import { toOrbitError, type v1 } from '@orbitmq/protocol';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type DashboardDeps, adminFor } from '../context';
import { DashboardError } from '../problems';
import { fromAdmin } from './messages';
import { BROKER_NAME, TOPIC_PARAMS } from './schemas';

type Query = { broker?: string; queueId: number; offset?: number; beginMs?: number; endMs?: number; max: number; tags?: string; sql?: string };

/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/** Writes one event, waiting while the viewer's socket drains: a slow page slows the brokers' scan, never buffers it. */
async function send(reply: FastifyReply, event: string, data: unknown): Promise<void> {
  if (reply.raw.destroyed) return;
  if (!reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)) await new Promise((resolve) => reply.raw.once('drain', resolve));
}

/**
 * A topic's stored messages found by a server-side scan (BrowseMessages on every master serving
 * it, or one), streamed as server-sent events: ready {brokers}, messages {broker, messages},
 * progress {broker, queueId, nextOffset, maxOffset, scanned, matched, queuesDone, queues,
 * finished}, problem {broker, code, message}, end. Closing the page cancels the scans.
 */
export function searchRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  let open = 0;
  const querystring = {
    type: 'object',
    additionalProperties: false,
    properties: {
      broker: BROKER_NAME,
      queueId: { type: 'integer', minimum: -1, maximum: 1023, default: -1 },
      offset: { type: 'integer', minimum: 0 },
      beginMs: { type: 'integer', minimum: 0 },
      endMs: { type: 'integer', minimum: 0 },
      max: { type: 'integer', minimum: 1, maximum: deps.limits.maxSearchMessages, default: 64 },
      tags: { type: 'string', maxLength: 512 },
      sql: { type: 'string', maxLength: 2048 },
    },
  } as const;
  app.get<{ Params: { topic: string }; Querystring: Query }>('/api/topics/:topic/search', { schema: { params: TOPIC_PARAMS, querystring } }, async (req, reply) => {
    const q = req.query;
    if (q.offset !== undefined && q.queueId < 0) throw new DashboardError('BAD_INPUT', 'a start offset needs a queue (queueId)');
    if (q.beginMs !== undefined && q.endMs !== undefined && q.endMs < q.beginMs) throw new DashboardError('BAD_INPUT', 'endMs is before beginMs');
    if (open >= deps.limits.maxOpenSearches) throw new DashboardError('TOO_MANY', `${deps.limits.maxOpenSearches} searches are running already (maxOpenSearches)`);
    const admin = adminFor(deps, req);
    const masters = (await admin.topicMasters(req.params.topic)).filter((m) => !q.broker || m.brokerName === q.broker);
    if (masters.length === 0) throw new DashboardError('NOT_FOUND', `no broker${q.broker ? ` named ${q.broker}` : ''} serves topic ${req.params.topic}`);
    const browse: v1.BrowseMessagesRequest = {
      topic: req.params.topic,
      queueId: q.queueId,
      startOffset: q.offset === undefined ? '' : String(q.offset),
      beginTimestampMs: q.beginMs ?? 0,
      endTimestampMs: q.endMs ?? 0,
      maxMessages: q.max,
      filterType: q.sql ? 'SQL92' : 'TAG',
      filterExpression: q.sql || q.tags || '*',
    };
    open++;
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    const streams: BrokerStream<v1.BrowseMessagesChunk__Output>[] = [];
    const heartbeat = setInterval(() => reply.raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
    req.raw.on('close', () => {
      clearInterval(heartbeat);
      for (const s of streams) s.cancel();
    });
    try {
      await send(reply, 'ready', { brokers: masters.map((m) => m.brokerName) });
      await Promise.all(
        masters.map(async (m) => {
          const stream = browseBroker(admin.opts, m.address, browse);
          streams.push(stream);
          try {
            for await (const c of stream.chunks) {
              if (c.messages.length) await send(reply, 'messages', { broker: m.brokerName, messages: c.messages.map((x) => fromAdmin(m.brokerName, x)) });
              await send(reply, 'progress', { broker: m.brokerName, ...c.progress });
            }
          } catch (e) {
            const err = toOrbitError(e);
            if (!reply.raw.destroyed) await send(reply, 'problem', { broker: m.brokerName, code: err.code, message: err.message });
          }
        }),
      );
      await send(reply, 'end', {});
    } finally {
      open--;
      clearInterval(heartbeat);
      reply.raw.end();
    }
  });
}
