import type { FastifyInstance } from 'fastify';
import { type DashboardDeps, adminFor } from '../context';
import { TOPIC } from './schemas';

type Query = { topic?: string; limit?: number };

/** ListPendingTransactions answers at most this many per broker. */
const MAX_TRANSACTIONS = 1_000;

const QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { topic: TOPIC, limit: { type: 'integer', minimum: 1, maximum: MAX_TRANSACTIONS, default: 100 } },
} as const;

type Failed = { ok: false; target: { brokerName: string }; code: string; error: string };
const failed = (r: Failed) => ({ broker: r.target.brokerName, code: r.code, error: r.error });

export function pendingRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  // Delayed messages by when they are due, and pending transactions oldest first, per master.
  app.get<{ Querystring: Query }>('/api/pending', { schema: { querystring: QUERY } }, async (req) => {
    const { schedule, transactions } = await adminFor(deps, req).pending(req.query.topic ?? '', req.query.limit ?? 100);
    const now = Date.now();
    return {
      delayed: schedule.flatMap((r) => {
        if (!r.ok) return [];
        const buckets = r.res.buckets.map((b) => ({ label: b.label, count: Number(b.count) }));
        return [{ broker: r.target.brokerName, pending: Number(r.res.pending), buckets }];
      }),
      transactions: transactions
        .flatMap((r) =>
          r.ok
            ? r.res.transactions.map((t) => ({
                broker: r.target.brokerName,
                topic: t.topic,
                messageId: t.messageId,
                transactionId: t.transactionId,
                producerClientId: t.producerClientId,
                storeTimestampMs: Number(t.storeTimestampMs),
                ageMs: Math.max(0, now - Number(t.storeTimestampMs)),
              }))
            : [],
        )
        .sort((a, b) => a.storeTimestampMs - b.storeTimestampMs),
      transactionsPending: transactions.reduce((s, r) => s + (r.ok ? Number(r.res.totalPending) : 0), 0),
      failures: [...schedule, ...transactions].flatMap((r) => (r.ok ? [] : [failed(r)])),
    };
  });
}
