import { ERROR_TABLE, type ErrorCode, OrbitError } from '@orbitmq/protocol';
import type { FastifyInstance } from 'fastify';
import { type DashboardDeps, adminFor } from '../context';
import { DashboardError } from '../problems';
import { BROKER_NAME, TOPIC, TOPIC_PARAMS, mqadmin } from './schemas';

/** Messages one resend may name (the brokers' bound, ResendMessages). */
export const MAX_RESEND_MESSAGES = 64;

type Body = { broker?: string; queueId: number; offsets: number[]; to?: string };

/** "0,1,2,3,7" -> "0-3,7": the offsets as mqadmin resendMessages takes them. */
export function offsetRanges(offsets: readonly number[]): string {
  const sorted = [...offsets].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const from = sorted[i] as number;
    let to = from;
    while (sorted[i + 1] === to + 1) to = sorted[++i] as number;
    parts.push(from === to ? String(from) : `${from}-${to}`);
  }
  return parts.join(',');
}

/**
 * DLQ resend: each named message of a queue (typically of %DLQ%<group>) is sent again by its
 * broker (ResendMessages, one call) to `to`, or without `to` to the topic it came from, as a new
 * message; the original stays where it is. One result per message.
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
            broker: BROKER_NAME,
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
      const r = await adminFor(deps, req).resend(topic, b.queueId, b.offsets, b.to ?? '', b.broker);
      if (!r) throw new DashboardError('NOT_FOUND', b.broker ? `broker ${b.broker} does not serve topic ${topic}` : `no broker serves topic ${topic}`);
      const cmd = mqadmin(deps.namesrvAddr, 'resendMessages', '-t', topic, '-i', b.queueId, '-o', offsetRanges(b.offsets), ...(b.to ? ['--to', b.to] : []));
      if (!r.ok) {
        deps.audit({ user: req.session?.user ?? '', action: 'resendMessages', target: topic, ok: false, detail: r.error, mqadmin: cmd });
        throw new OrbitError(r.code in ERROR_TABLE ? (r.code as ErrorCode) : 'SERVICE_UNAVAILABLE', `broker ${r.target.brokerName}: ${r.error}`);
      }
      const results = r.res.results.map((x) => ({
        queueOffset: Number(x.queueOffset),
        ok: x.ok,
        to: x.toTopic,
        ...(x.ok ? { messageId: x.messageId } : { code: x.errorCode, error: x.error }),
      }));
      const sent = results.filter((x) => x.ok).length;
      deps.audit({
        user: req.session?.user ?? '',
        action: 'resendMessages',
        target: `${topic}[${r.target.brokerName}:${b.queueId}] -> ${b.to ?? 'origin topics'}`,
        ok: sent === results.length,
        detail: `${sent} of ${results.length} sent`,
        mqadmin: cmd,
      });
      return { from: topic, to: b.to ?? '', broker: r.target.brokerName, sent, results, mqadmin: cmd };
    },
  );
}
