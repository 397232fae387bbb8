import type { LiveBroker, TopicRoute } from './route-table';

/**
 * RocketMQ 4.x's JSON views of the route table, as its name server answers remoting clients:
 * TopicRouteData for GET_ROUTEINFO_BY_TOPIC (105) and ClusterInfo for GET_BROKER_CLUSTER_INFO
 * (106). Broker addresses are the brokers' internal endpoints (their listenPort), which also
 * serve the remoting protocol; brokerAddrs keys are brokerIds ("0" = master). Always standard
 * JSON: Java clients >= 4.9.4 ask for it and older ones and ali-ons parse it leniently.
 */
export interface RocketmqTopicRouteData {
  queueDatas: { brokerName: string; readQueueNums: number; writeQueueNums: number; perm: number; topicSysFlag: number }[];
  brokerDatas: { cluster: string; brokerName: string; brokerAddrs: Record<string, string>; enableActingMaster: boolean }[];
  /** Broker address -> the filter servers registered with it. */
  filterServerTable: Record<string, string[]>;
}

export function topicRouteData(route: TopicRoute): RocketmqTopicRouteData {
  const addrOf = new Map<string, string>();
  const brokerDatas = route.brokerGroups.map((g) => {
    const brokerAddrs: Record<string, string> = {};
    for (const m of g.members) {
      brokerAddrs[String(m.brokerId)] = m.endpoints.internalEndpoint;
      addrOf.set(`${g.brokerName}\u0000${m.brokerId}`, m.endpoints.internalEndpoint);
    }
    return { cluster: g.clusterName, brokerName: g.brokerName, brokerAddrs, enableActingMaster: false };
  });
  const filterServerTable: Record<string, string[]> = {};
  for (const f of route.filterServers) {
    const addr = addrOf.get(`${f.brokerName}\u0000${f.brokerId}`);
    if (addr) filterServerTable[addr] = [...f.endpoints];
  }
  return {
    queueDatas: route.queueDatas.map((q) => ({
      brokerName: q.brokerName,
      readQueueNums: q.readQueueNums,
      writeQueueNums: q.writeQueueNums,
      perm: q.perm,
      topicSysFlag: 0,
    })),
    brokerDatas,
    filterServerTable,
  };
}

export interface RocketmqClusterInfo {
  brokerAddrTable: Record<string, { cluster: string; brokerName: string; brokerAddrs: Record<string, string>; enableActingMaster: boolean }>;
  clusterAddrTable: Record<string, string[]>;
}

export function clusterInfo(clusters: { clusterName: string; brokers: LiveBroker[] }[]): RocketmqClusterInfo {
  const out: RocketmqClusterInfo = { brokerAddrTable: {}, clusterAddrTable: {} };
  for (const c of clusters) {
    const names = new Set<string>();
    for (const b of c.brokers) {
      names.add(b.broker.brokerName);
      const data = (out.brokerAddrTable[b.broker.brokerName] ??= {
        cluster: c.clusterName,
        brokerName: b.broker.brokerName,
        brokerAddrs: {},
        enableActingMaster: false,
      });
      data.brokerAddrs[String(b.broker.brokerId)] = b.endpoints.internalEndpoint;
    }
    out.clusterAddrTable[c.clusterName] = [...names].sort();
  }
  return out;
}
