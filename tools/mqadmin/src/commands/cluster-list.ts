import { type GlobalOptions, type Output, nameServers } from '../context';
import { formatTable } from '../table';

/** A member's role as RocketMQ names it: brokerId 0 is the master, any other a replica. */
export const role = (brokerId: number): 'MASTER' | 'SLAVE' => (brokerId === 0 ? 'MASTER' : 'SLAVE');

/** clusterList: every cluster, broker group and live member (with its filter servers), as the name servers see them. */
export async function clusterList(opts: GlobalOptions): Promise<Output> {
  const ns = nameServers(opts);
  try {
    const info = await ns.getClusterInfo();
    const now = Date.now();
    const rows = info.clusters.flatMap((c) =>
      c.brokers.map((b) => [
        c.clusterName,
        b.broker?.brokerName ?? '',
        b.broker?.brokerId ?? 0,
        b.endpoints?.clientEndpoint ?? '',
        b.endpoints?.internalEndpoint ?? '',
        b.topicCount,
        b.dataVersion,
        `${Math.max(0, Math.round((now - Number(b.lastHeartbeatMs)) / 1000))}s`,
        role(b.broker?.brokerId ?? 0),
        b.filterServerEndpoints.join(',') || '-',
      ]),
    );
    return {
      text:
        rows.length > 0
          ? formatTable(
              ['Cluster Name', 'Broker Name', 'BID', 'Client Addr', 'Internal Addr', 'Topics', 'Version', 'Heartbeat', 'Role', 'Filter Servers'],
              rows,
            )
          : 'no brokers registered',
      json: info.clusters.map((c) => ({
        clusterName: c.clusterName,
        brokers: c.brokers.map((b) => ({ ...b, role: role(b.broker?.brokerId ?? 0), lastHeartbeatMs: Number(b.lastHeartbeatMs), ttlMs: Number(b.ttlMs) })),
      })),
    };
  } finally {
    ns.close();
  }
}
