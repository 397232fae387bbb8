import { MessagingClient, type ReceivedMessage } from '@orbitmq/client';
import { ERROR_TABLE, type ErrorCode, OrbitError, type v1 } from '@orbitmq/protocol';
import type { FastifyInstance } from 'fastify';
import { type DashboardDeps, adminFor, credentialsFor } from '../context';
import { DashboardError } from '../problems';
import { BROKER_NAME, TOPIC, TOPIC_PARAMS, mqadmin } from './schemas';

/** The group browsing pulls with: a pull commits nothing, so no group's progress moves. */
export const BROWSE_GROUP = 'ORBITMQ_DASHBOARD';
/** Body bytes shown per message; longer bodies are flagged truncated. */
const BODY_PREVIEW_BYTES = 4_096;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A body as text when it is UTF-8, else as hex; never more than BODY_PREVIEW_BYTES. */
export function bodyView(body: Buffer): { body: string; encoding: 'utf8' | 'hex'; bytes: number; truncated: boolean } {
  const head = body.subarray(0, BODY_PREVIEW_BYTES);
  const truncated = body.length > head.length;
  try {
    return { body: utf8.decode(head), encoding: 'utf8', bytes: body.length, truncated };
  } catch {
    return { body: head.toString('hex'), encoding: 'hex', bytes: body.length, truncated };
  }
}

export interface MessageView {
  broker: string;
  topic: string;
  queueId: number;
  queueOffset: string;
  messageId: string;
  tag: string;
  keys: string[];
  properties: Record<string, string>;
  bornTimestampMs: number;
  storeTimestampMs: number;
  body: ReturnType<typeof bodyView>;
  /** A dead letter's or retry's original topic ('' otherwise, and for browsed messages). */
  originTopic: string;
}

/** A message the admin API answered, as the pages show it. */
export function fromAdmin(broker: string, m: v1.AdminMessage__Output): MessageView {
  return {
    broker,
    topic: m.topic,
    queueId: m.queueId,
    queueOffset: m.queueOffset,
    messageId: m.messageId,
    tag: m.tag,
    keys: m.keys,
    properties: m.properties,
    bornTimestampMs: Number(m.bornTimestampMs),
    storeTimestampMs: Number(m.storeTimestampMs),
    body: bodyView(m.body),
    originTopic: m.originTopic,
  };
}

/** A client of the first master serving `topic` (or of `broker`), speaking v5 as this request's user. */
export async function topicClient(deps: DashboardDeps, req: Parameters<typeof credentialsFor>[0], topic: string, broker?: string) {
  const masters = await adminFor(deps, req).topicMasters(topic);
  const target = masters.find((m) => !broker || m.brokerName === broker);
  if (!target?.clientEndpoint)
    throw new DashboardError('NOT_FOUND', broker ? `broker ${broker} does not serve topic ${topic}` : `no broker serves topic ${topic}`);
  const credentials = credentialsFor(req);
  return {
    target,
    client: new MessagingClient(target.clientEndpoint, { clientId: `orbitmq-dashboard@${process.pid}`, ...(credentials ? { credentials } : {}) }),
  };
}

export function messageRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  sendRoute(app, deps);
  findRoute(app, deps);
  deliveryRoute(app, deps);
}

function sendRoute(app: FastifyInstance, deps: DashboardDeps): void {
  app.post<{ Params: { topic: string }; Body: { body: string; tag?: string; keys?: string[] } }>(
    '/api/topics/:topic/messages',
    {
      schema: {
        params: TOPIC_PARAMS,
        body: {
          type: 'object',
          required: ['body'],
          additionalProperties: false,
          properties: {
            body: { type: 'string', maxLength: deps.limits.maxTestMessageBytes },
            tag: { type: 'string', pattern: '^[^|\\u0000-\\u001f]{1,127}$' },
            keys: { type: 'array', maxItems: 16, items: { type: 'string', pattern: '^[^\\s]{1,127}$' } },
          },
        },
      },
    },
    async (req) => {
      const { topic } = req.params;
      const { target, client } = await topicClient(deps, req, topic);
      try {
        const [r] = await client.send([{ topic, body: Buffer.from(req.body.body), ...(req.body.tag ? { tag: req.body.tag } : {}), keys: req.body.keys ?? [] }]);
        const cmd = mqadmin(deps.namesrvAddr, 'sendMessage', '-t', topic, '-p', req.body.body, ...(req.body.tag ? ['--tag', req.body.tag] : []));
        const failure = r?.error ? { detail: r.error } : {};
        deps.audit({ user: req.session?.user ?? '', action: 'sendMessage', target: topic, ok: !r?.error, mqadmin: cmd, ...failure });
        if (!r || r.error) throw new DashboardError('BAD_INPUT', `broker ${target.brokerName} refused the message: ${r?.error ?? 'no answer'}`);
        return { broker: target.brokerName, messageId: r.messageId, queueOffset: r.queueOffset, mqadmin: cmd };
      } finally {
        client.close();
      }
    },
  );
}

/**
 * By message id, by topic and key (within a time range), or by topic and time range, asked of
 * every master (each answers the earliest of its messages in the range, at most 64).
 */
function findRoute(app: FastifyInstance, deps: DashboardDeps): void {
  app.get<{ Querystring: { id?: string; topic?: string; key?: string; beginMs?: number; endMs?: number } }>(
    '/api/messages',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            id: { type: 'string', pattern: '^[0-9A-Fa-f]{16,64}$' },
            topic: TOPIC,
            key: { type: 'string', minLength: 1, maxLength: 127 },
            beginMs: { type: 'integer', minimum: 0 },
            endMs: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      if (!q.id && !(q.topic && (q.key || q.beginMs)))
        throw new DashboardError('BAD_INPUT', 'give a message id, a topic and a key, or a topic and a begin time');
      if (q.beginMs !== undefined && q.endMs !== undefined && q.endMs < q.beginMs) throw new DashboardError('BAD_INPUT', 'endMs is before beginMs');
      const results = await adminFor(deps, req).queryMessages({
        ...(q.id ? { messageId: q.id } : { topic: q.topic as string, ...(q.key ? { key: q.key } : {}) }),
        beginTimestampMs: q.beginMs ?? 0,
        endTimestampMs: q.endMs ?? Date.now(),
        maxResults: 64,
      });
      return {
        messages: results.flatMap((r) => (r.ok ? r.res.messages.map((m) => fromAdmin(r.target.brokerName, m)) : [])),
        failures: results.filter((r) => !r.ok).map((r) => ({ broker: r.target.brokerName, code: r.ok ? '' : r.code, error: r.ok ? '' : r.error })),
      };
    },
  );
}

/** One message's delivery state for every group consuming its queue (GetDeliveryState on its master). */
function deliveryRoute(app: FastifyInstance, deps: DashboardDeps): void {
  app.get<{ Params: { topic: string; queueId: number; offset: number }; Querystring: { broker?: string } }>(
    '/api/topics/:topic/messages/:queueId/:offset/delivery',
    {
      schema: {
        params: {
          type: 'object',
          required: ['topic', 'queueId', 'offset'],
          properties: { topic: TOPIC, queueId: { type: 'integer', minimum: 0, maximum: 1023 }, offset: { type: 'integer', minimum: 0 } },
        },
        querystring: { type: 'object', additionalProperties: false, properties: { broker: BROKER_NAME } },
      },
    },
    async (req) => {
      const { topic, queueId, offset } = req.params;
      const admin = adminFor(deps, req);
      const broker = req.query.broker ?? (await admin.topicMasters(topic))[0]?.brokerName;
      const r = broker ? await admin.deliveryState(broker, topic, queueId, offset) : undefined;
      if (!r) throw new DashboardError('NOT_FOUND', broker ? `broker ${broker} does not serve topic ${topic}` : `no broker serves topic ${topic}`);
      // The broker's own code (MESSAGE_NOT_FOUND is a 404), or unavailable when it did not answer.
      if (!r.ok) throw new OrbitError(r.code in ERROR_TABLE ? (r.code as ErrorCode) : 'SERVICE_UNAVAILABLE', `broker ${broker}: ${r.error}`);
      return {
        broker,
        message: r.res.message ? fromAdmin(broker as string, r.res.message) : undefined,
        deliveries: r.res.deliveries.map((d) => ({
          group: d.group,
          state: d.state,
          attempt: d.attempt,
          untilMs: Number(d.untilMs),
          consumerOffset: Number(d.consumerOffset),
          copy: d.copyTopic ? { topic: d.copyTopic, queueOffset: Number(d.copyQueueOffset) } : undefined,
        })),
        groupsLeftOut: r.res.groupsLeftOut,
      };
    },
  );
}

/** A pulled message in the same shape as a queried one. */
export function fromPulled(broker: string, m: ReceivedMessage): MessageView {
  return {
    broker,
    topic: m.topic,
    queueId: m.queueId,
    queueOffset: String(m.queueOffset),
    messageId: m.messageId,
    tag: m.tag,
    keys: m.keys,
    properties: m.properties,
    bornTimestampMs: m.bornTimestampMs,
    storeTimestampMs: m.storeTimestampMs,
    body: bodyView(m.body),
    originTopic: '',
  };
}
