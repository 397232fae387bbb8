import type { BrokerResult } from '@orbitmq/admin-client';
import { ERROR_TABLE, type ErrorCode, OrbitError, type v1 } from '@orbitmq/protocol';
import type { FastifyInstance } from 'fastify';
import { type DashboardDeps, adminFor } from '../context';
import { DashboardError } from '../problems';
import { mqadmin } from './schemas';

type Params = { brokerName: string; brokerId: number };

const BROKER_PARAMS = {
  type: 'object',
  required: ['brokerName', 'brokerId'],
  additionalProperties: false,
  properties: { brokerName: { type: 'string', pattern: '^[%|a-zA-Z0-9_-]{1,127}$' }, brokerId: { type: 'integer', minimum: 0, maximum: 1_000_000 } },
} as const;

const failure = (r: { ok: false; code: string; error: string }) => ({ ok: false as const, code: r.code, error: r.error });

/** The configuration as rows, keys that differ from their defaults first. */
function configRows(s: v1.GetBrokerStatusResponse__Output) {
  return Object.keys(s.config)
    .sort()
    .map((key) => ({ key, value: s.config[key] ?? '', ...(key in s.configDefaults ? { default: s.configDefaults[key] ?? '' } : {}) }))
    .sort((a, b) => Number('default' in b) - Number('default' in a));
}

function replication(r: BrokerResult<v1.GetHaStatusResponse__Output>) {
  if (!r.ok) return failure(r);
  const h = r.res;
  const f = h.follower;
  return {
    ok: true as const,
    role: h.role,
    endOffset: h.endOffset,
    confirmOffset: h.confirmOffset,
    epoch: Number(h.epoch),
    replicas: h.replicas.map((x) => ({
      brokerId: x.brokerId,
      address: x.address,
      clientEndpoint: x.clientEndpoint,
      state: x.state,
      inSync: x.inSync,
      reason: x.reason,
      lagBytes: Number(x.lagBytes),
      lagMs: Number(x.lagMs),
      lastAckAgeMs: Number(x.lastAckAgeMs),
    })),
    ...(f
      ? {
          follower: {
            state: f.state,
            reason: f.reason,
            masterAddress: f.masterAddress,
            lagBytes: Number(f.lagBytes),
            lastFrameAgeMs: Number(f.lastFrameAgeMs),
            endOffset: f.endOffset,
            masterEndOffset: f.masterEndOffset,
          },
        }
      : {}),
  };
}

export function brokerRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  // Only members the name servers list are asked: the browser never names an address to call.
  app.get<{ Params: Params }>('/api/brokers/:brokerName/:brokerId', { schema: { params: BROKER_PARAMS } }, async (req) => {
    const { brokerName, brokerId } = req.params;
    const d = await adminFor(deps, req).brokerDetail(brokerName, brokerId);
    if (!d) throw new DashboardError('NOT_FOUND', `no name server lists broker ${brokerName} id ${brokerId}`);
    const s = d.status;
    return {
      cluster: d.target.clusterName ?? '',
      brokerName,
      brokerId,
      address: d.target.address,
      status: s.ok
        ? {
            ok: true as const,
            clientEndpoint: s.res.clientEndpoint,
            minOffset: s.res.minOffset,
            endOffset: s.res.endOffset,
            flushedOffset: s.res.flushedOffset,
            dispatchedOffset: s.res.dispatchedOffset,
            diskUsedPercent: s.res.diskUsedPercent,
            diskFull: s.res.diskFull,
            uptimeMs: Number(s.res.uptimeMs),
            config: configRows(s.res),
            liveKeys: s.res.liveKeys,
          }
        : failure(s),
      replication: replication(d.ha),
    };
  });
}

/** One setting of a running member (UpdateBrokerConfig), with its mqadmin line. */
export function brokerConfigRoute(app: FastifyInstance, deps: DashboardDeps): void {
  app.post<{ Params: Params; Body: { key: string; value: string } }>(
    '/api/brokers/:brokerName/:brokerId/config',
    {
      schema: {
        params: BROKER_PARAMS,
        body: {
          type: 'object',
          required: ['key', 'value'],
          additionalProperties: false,
          properties: { key: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]{0,63}$' }, value: { type: 'string', maxLength: 256 } },
        },
      },
    },
    async (req) => {
      const { brokerName, brokerId } = req.params;
      const { key, value } = req.body;
      const r = await adminFor(deps, req).updateBrokerConfig(brokerName, brokerId, { [key]: value });
      if (!r) throw new DashboardError('NOT_FOUND', `no name server lists broker ${brokerName} id ${brokerId}`);
      const cmd = mqadmin(deps.namesrvAddr, 'updateBrokerConfig', '-b', r.target.address, '-k', key, '-v', value);
      deps.audit({ user: req.session?.user ?? '', action: 'updateBrokerConfig', target: `${brokerName}/${brokerId} ${key}=${value}`, ok: r.ok, mqadmin: cmd, ...(r.ok ? {} : { detail: r.error }) });
      if (!r.ok) throw new OrbitError(r.code in ERROR_TABLE ? (r.code as ErrorCode) : 'SERVICE_UNAVAILABLE', `broker ${brokerName}: ${r.error}`);
      return { applied: r.res.applied, persistedTo: r.res.persistedTo, mqadmin: cmd };
    },
  );
}
