import type { BrokerResult } from '@orbitmq/admin-client';
import type { v1 } from '@orbitmq/protocol';
import type { FastifyInstance } from 'fastify';
import { type DashboardDeps, adminFor } from '../context';

/** A broker that did not answer stays in the list, marked failed with the reason: never zeros. */
export function brokerRow(r: BrokerResult<v1.GetBrokerStatusResponse__Output>) {
  const base = { cluster: r.target.clusterName ?? '', brokerName: r.target.brokerName, brokerId: r.target.brokerId ?? 0, address: r.target.address };
  if (!r.ok) return { ...base, ok: false as const, code: r.code, error: r.error };
  const s = r.res;
  return {
    ...base,
    ok: true as const,
    status: {
      clientEndpoint: s.clientEndpoint,
      minOffset: s.minOffset,
      endOffset: s.endOffset,
      flushedOffset: s.flushedOffset,
      dispatchedOffset: s.dispatchedOffset,
      diskUsedPercent: s.diskUsedPercent,
      diskFull: s.diskFull,
      topics: s.topics,
      groups: s.groups,
      clients: s.clients,
      inflightMessages: Number(s.inflightMessages),
      uptimeMs: Number(s.uptimeMs),
    },
  };
}

export function clusterRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/api/overview', async (req) => {
    const o = await adminFor(deps, req).overview();
    return {
      nameServers: o.nameServers.map((n) => ({ address: n.address, ok: n.ok, ...(n.error ? { error: n.error } : {}), brokers: n.members })),
      nameServersAgree: o.nameServersAgree,
      brokers: o.brokers.map(brokerRow),
    };
  });
}
