import type { FastifyInstance } from 'fastify';
import { type DashboardDeps, adminFor } from '../context';

/**
 * The ACL accounts the brokers enforce (never a secret: the brokers do not send them), grouped by
 * identical configuration, so a broker whose plain_acl.yml differs from the others stands out.
 */
export function aclRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/api/acl', async (req) => {
    const results = await adminFor(deps, req).aclConfig();
    const groups = new Map<string, { brokers: string[]; aclEnabled: boolean; globalWhiteRemoteAddresses: string[]; accounts: unknown[] }>();
    for (const r of results) {
      if (!r.ok) continue;
      const { aclEnabled, globalWhiteRemoteAddresses, accounts } = r.res;
      const key = JSON.stringify({ aclEnabled, globalWhiteRemoteAddresses, accounts });
      const g = groups.get(key) ?? { brokers: [], aclEnabled, globalWhiteRemoteAddresses, accounts };
      g.brokers.push(`${r.target.brokerName}/${r.target.brokerId ?? 0}`);
      groups.set(key, g);
    }
    return {
      configs: [...groups.values()],
      brokersAgree: groups.size <= 1,
      failures: results.flatMap((r) => (r.ok ? [] : [{ broker: `${r.target.brokerName}/${r.target.brokerId ?? 0}`, code: r.code, error: r.error }])),
    };
  });
}
