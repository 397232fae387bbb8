import { PERM_WRITE, type RouteSource } from '@orbitmq/broker';
import type { v1 } from '@orbitmq/protocol';

/**
 * The routes a replica's clients get. The name servers keep a dead master's entry until it expires
 * (brokerNotActiveTimeoutMillis); a replica knows sooner — its stream from the master broke and
 * the master does not answer. While it has no master it answers for its broker group itself: its
 * own endpoint, queues readable and not writable, so consumers whose access point is this replica
 * drain the backlog here at their next route refresh instead of after the name-server expiry.
 */
export function replicaRoutes(
  namesrv: RouteSource,
  self: { brokerName: string; brokerId: number; clientEndpoint: string; internalEndpoint: string },
  hasMaster: () => boolean,
): RouteSource {
  return {
    async getRoute(topic: string): Promise<v1.TopicRoute__Output> {
      const route = await namesrv.getRoute(topic);
      if (hasMaster()) return route;
      const me: v1.BrokerMember__Output = {
        brokerId: self.brokerId,
        endpoints: { clientEndpoint: self.clientEndpoint, internalEndpoint: self.internalEndpoint },
      };
      return {
        ...route,
        queueDatas: route.queueDatas.map((q) => (q.brokerName === self.brokerName ? { ...q, perm: q.perm & ~PERM_WRITE } : q)),
        brokerGroups: route.brokerGroups.map((g) => (g.brokerName === self.brokerName ? { ...g, members: [me] } : g)),
      };
    },
  };
}
