import type { BrokerResult, ClusterAdmin } from '@orbitmq/admin-client';
import type { v1 } from '@orbitmq/protocol';
import type { FastifyInstance } from 'fastify';
import { type DashboardDeps, adminFor } from '../context';
import { OverviewHub } from '../overview-hub';
import { DashboardError } from '../problems';

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

/** The overview as the page shows it. */
async function overviewOf(admin: ClusterAdmin) {
  const o = await admin.overview();
  return {
    nameServers: o.nameServers.map((n) => ({ address: n.address, ok: n.ok, ...(n.error ? { error: n.error } : {}), brokers: n.members })),
    nameServersAgree: o.nameServersAgree,
    brokers: o.brokers.map(brokerRow),
  };
}

/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

export function clusterRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/api/overview', (req) => overviewOf(adminFor(deps, req)));

  // Live: server-sent `overview` events from one shared poll per credential (see OverviewHub).
  const hub = new OverviewHub<Awaited<ReturnType<typeof overviewOf>>>(deps.limits.overviewIntervalMs, deps.limits.maxOverviewStreams);
  app.addHook('onClose', async () => hub.close());
  app.get('/api/overview/stream', async (req, reply) => {
    const admin = adminFor(deps, req);
    let closed = false;
    const write = (event: string, data: unknown): void => {
      // A viewer still draining the last sample skips this one: only the newest matters.
      if (!closed && reply.raw.writableNeedDrain === false) reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    if (hub.openStreams >= deps.limits.maxOverviewStreams)
      throw new DashboardError('TOO_MANY', `${deps.limits.maxOverviewStreams} overview streams are open already (maxOverviewStreams)`);
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    // Checked above, and nothing awaits in between: subscribe cannot refuse here.
    const leave = hub.subscribe(req.session?.credentials?.accessKey ?? '', () => overviewOf(admin), (s) => ('error' in s ? write('problem', s) : write('overview', s))) as () => void;
    const heartbeat = setInterval(() => !closed && reply.raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
    req.raw.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      leave();
    });
  });
}
