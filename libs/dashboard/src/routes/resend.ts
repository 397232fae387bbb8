import type { FastifyInstance } from 'fastify';
import { type DashboardDeps, adminFor } from '../context';
import { BROWSE_GROUP, topicClient } from './messages';
import { TOPIC, TOPIC_PARAMS } from './schemas';

/** Messages one resend may name (each is a pull and a send). */
export const MAX_RESEND_MESSAGES = 64;

type Body = { broker?: string; queueId: number; offsets: number[]; to?: string };
type Req = Parameters<typeof topicClient>[1];

export interface ResendResult {
  queueOffset: number;
  ok: boolean;
  /** The id of the new message in the target topic. */
  messageId?: string;
  /** Where it was sent. */
  to?: string;
  error?: string;
}

/**
 * DLQ resend: each named message of a queue (typically of %DLQ%<group>) is sent again to `to`,
 * or without `to` to the topic it came from (its RETRY_TOPIC, which dead letters carry), with its
 * body, tag, keys and properties, as a new message; the original stays where it is. One result
 * per message. RocketMQ's mqadmin has no equivalent.
 */
export function resendRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.post<{ Params: { topic: string }; Body: Body }>(
    '/api/topics/:topic/resend',
    {
      schema: {
        params: TOPIC_PARAMS,
        body: {
          type: 'object',
          required: ['offsets'],
          additionalProperties: false,
          properties: {
            broker: { type: 'string', maxLength: 127 },
            queueId: { type: 'integer', minimum: 0, maximum: 1023, default: 0 },
            offsets: { type: 'array', minItems: 1, maxItems: MAX_RESEND_MESSAGES, uniqueItems: true, items: { type: 'integer', minimum: 0 } },
            to: TOPIC,
          },
        },
      },
    },
    async (req) => {
      const { topic } = req.params;
      const b = req.body;
      const source = await topicClient(deps, req, topic, b.broker);
      const targets = new Map<string, Promise<Awaited<ReturnType<typeof topicClient>>>>();
      const clientOf = (to: string) => {
        if (!targets.has(to)) targets.set(to, topicClient(deps, req, to));
        return targets.get(to) as Promise<Awaited<ReturnType<typeof topicClient>>>;
      };
      try {
        // A named target that no broker serves fails the request before anything is sent.
        if (b.to) await clientOf(b.to);
        const results: ResendResult[] = [];
        for (const queueOffset of b.offsets) {
          const at = { topic, broker: source.target.brokerName, queueId: b.queueId, queueOffset };
          results.push(await resendOne(source.client, at, b.to ?? ((id) => originTopic(deps, req, at, id)), clientOf));
        }
        const sent = results.filter((r) => r.ok).length;
        deps.audit({
          user: req.session?.user ?? '',
          action: 'resendMessages',
          target: `${topic}[${source.target.brokerName}:${b.queueId}] -> ${b.to ?? 'origin topics'}`,
          ok: sent === results.length,
          detail: `${sent} of ${results.length} sent`,
        });
        return { from: topic, to: b.to ?? '', broker: source.target.brokerName, sent, results };
      } finally {
        source.client.close();
        for (const t of targets.values()) void t.then((c) => c.client.close()).catch(() => undefined);
      }
    },
  );
}

interface At {
  topic: string;
  broker: string;
  queueId: number;
  queueOffset: number;
}

/** The topic a dead letter came from (AdminMessage.origin_topic), asked of the broker that holds it. */
async function originTopic(deps: DashboardDeps, req: Req, at: At, messageId: string): Promise<string> {
  const results = await adminFor(deps, req).queryMessages({ messageId, maxResults: 64 });
  const r = results.find((x) => x.target.brokerName === at.broker);
  if (!r?.ok) throw new Error(`broker ${at.broker} did not answer the query by id: ${r && !r.ok ? r.error : 'not asked'}`);
  const copy = r.res.messages.find((m) => m.topic === at.topic && m.queueId === at.queueId && Number(m.queueOffset) === at.queueOffset);
  if (!copy?.originTopic) throw new Error(`message ${messageId} names no topic it came from (not a dead letter or retry): give a target topic`);
  return copy.originTopic;
}

type Client = Awaited<ReturnType<typeof topicClient>>['client'];

async function resendOne(
  from: Client,
  at: At,
  to: string | ((messageId: string) => Promise<string>),
  clientOf: (topic: string) => Promise<{ client: Client }>,
): Promise<ResendResult> {
  const { queueOffset } = at;
  try {
    // A pull commits nothing: the DLQ's consumers (if any) are not moved.
    const pulled = await from.pull({ group: BROWSE_GROUP, topic: at.topic, queueId: at.queueId, offset: queueOffset, batchSize: 1, longPollMs: 0, tags: '*' });
    const m = pulled.messages.find((x) => x.queueOffset === queueOffset);
    if (!m) return { queueOffset, ok: false, error: `no message at offset ${queueOffset} of queue ${at.queueId} (removed by retention, or not written yet)` };
    const topic = typeof to === 'string' ? to : await to(m.messageId);
    const { client } = await clientOf(topic);
    const [r] = await client.send([{ topic, body: m.body, ...(m.tag ? { tag: m.tag } : {}), keys: m.keys, properties: m.properties }]);
    if (!r || r.error) return { queueOffset, ok: false, to: topic, error: r?.error ?? 'no answer' };
    return { queueOffset, ok: true, to: topic, messageId: r.messageId };
  } catch (e) {
    return { queueOffset, ok: false, error: (e as Error).message };
  }
}
