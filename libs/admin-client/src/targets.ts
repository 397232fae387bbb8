import { OrbitError } from '@orbitmq/protocol';
import { type AdminOptions, nameServers } from './options';

export interface BrokerTarget {
  brokerName: string;
  address: string;
  /** Known when the target came from the name servers (0 = master). */
  brokerId?: number;
  clusterName?: string;
  /** The broker's client (v5) endpoint, when it came from the name servers. */
  clientEndpoint?: string;
}

export interface TargetOptions extends AdminOptions {
  brokerAddr?: string;
  cluster?: string;
  topic?: string;
}

/**
 * Which brokers a command talks to, as mqadmin decides: -b (one broker's internal address), -c
 * (every master of a cluster), else the masters serving -t, else every master.
 */
export async function targets(opts: TargetOptions): Promise<BrokerTarget[]> {
  if (opts.brokerAddr) return [{ brokerName: opts.brokerAddr, address: opts.brokerAddr }];
  if (opts.topic && !opts.cluster) {
    const ns = nameServers(opts);
    try {
      const route = await ns.getRoute(opts.topic);
      return route.brokerGroups.flatMap((g) =>
        g.members
          .filter((m) => m.brokerId === 0)
          .map((m) => ({ brokerName: g.brokerName, brokerId: 0, address: m.endpoints?.internalEndpoint ?? '', clientEndpoint: m.endpoints?.clientEndpoint ?? '' })),
      );
    } finally {
      ns.close();
    }
  }
  const out = (await memberTargets(opts)).filter((t) => t.brokerId === 0);
  if (out.length === 0) throw new OrbitError('BROKER_NOT_FOUND', opts.cluster ? `no master broker in cluster ${opts.cluster}` : 'no master broker is registered');
  return out;
}

/**
 * Every live member (masters and replicas) of every broker group of -c's cluster (all clusters
 * without -c), as the name servers list them, ordered by broker name then brokerId.
 */
export async function memberTargets(opts: TargetOptions): Promise<BrokerTarget[]> {
  const ns = nameServers(opts);
  try {
    const info = await ns.getClusterInfo();
    const out = info.clusters
      .filter((c) => !opts.cluster || c.clusterName === opts.cluster)
      .flatMap((c) =>
        c.brokers.map((b) => ({
          clusterName: c.clusterName,
          brokerName: b.broker?.brokerName ?? '',
          brokerId: b.broker?.brokerId ?? 0,
          address: b.endpoints?.internalEndpoint ?? '',
          clientEndpoint: b.endpoints?.clientEndpoint ?? '',
        })),
      )
      .sort((a, b) => a.brokerName.localeCompare(b.brokerName) || a.brokerId - b.brokerId);
    if (out.length === 0) throw new OrbitError('BROKER_NOT_FOUND', opts.cluster ? `no broker in cluster ${opts.cluster}` : 'no broker is registered');
    return out;
  } finally {
    ns.close();
  }
}
