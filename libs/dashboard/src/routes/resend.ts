import type { FastifyInstance } from 'fastify';
import type { DashboardDeps } from '../context';
import { BROWSE_GROUP, topicClient } from './messages';
import { TOPIC, TOPIC_PARAMS } from './schemas';

/** Messages one resend may name (each is a pull and a send). */
export const MAX_RESEND_MESSAGES = 64;

type Body = { broker?: string; queueId: number; offsets: number[]; to: string };

export interface ResendResult {
  queueOffset: number;
  ok: boolean;
  /** The id of the new message in the target topic. */
  messageId?: string;
  error?: string;
}

/**
 * DLQ resend: each named message of a queue (typically of %DLQ%<group>) is sent again to `to`
 * (typically the topic it failed on) with its body, tag, keys and properties, as a new message;
 * the original stays where it is. One result per message. RocketMQ's mqadmin has no equivalent.
 */
export function resendRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.post<{ Params: { topic: string }; Body: Body }>(
    '/api/topics/:topic/resend',
    {
      schema: {
        params: TOPIC_PARAMS,
        body: {
          type: 'object',
          required: ['offsets', 'to'],
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
      const target = await topicClient(deps, req, b.to).catch((e: unknown) => {
        source.client.close();
        throw e;
      });
      try {
        const results: ResendResult[] = [];
        for (const queueOffset of b.offsets) results.push(await resendOne(source.client, target.client, { topic, queueId: b.queueId, queueOffset, to: b.to }));
        const sent = results.filter((r) => r.ok).length;
        deps.audit({
          user: req.session?.user ?? '',
          action: 'resendMessages',
          target: `${topic}[${source.target.brokerName}:${b.queueId}] -> ${b.to}`,
          ok: sent === results.length,
          detail: `${sent} of ${results.length} sent`,
        });
        return { from: topic, to: b.to, broker: source.target.brokerName, sent, results };
      } finally {
        source.client.close();
        target.client.close();
      }
    },
  );
}

type Client = Awaited<ReturnType<typeof topicClient>>['client'];

async function resendOne(from: Client, to: Client, at: { topic: string; queueId: number; queueOffset: number; to: string }): Promise<ResendResult> {
  const { queueOffset } = at;
  try {
    // A pull commits nothing: the DLQ's consumers (if any) are not moved.
    const pulled = await from.pull({ group: BROWSE_GROUP, topic: at.topic, queueId: at.queueId, offset: queueOffset, batchSize: 1, longPollMs: 0, tags: '*' });
    const m = pulled.messages.find((x) => x.queueOffset === queueOffset);
    if (!m) return { queueOffset, ok: false, error: `no message at offset ${queueOffset} of queue ${at.queueId} (removed by retention, or not written yet)` };
    const [r] = await to.send([{ topic: at.to, body: m.body, ...(m.tag ? { tag: m.tag } : {}), keys: m.keys, properties: m.properties }]);
    if (!r || r.error) return { queueOffset, ok: false, error: r?.error ?? 'no answer' };
    return { queueOffset, ok: true, messageId: r.messageId };
  } catch (e) {
    return { queueOffset, ok: false, error: (e as Error).message };
  }
}
