import { OrbitError, orbitmqV1, type v1 } from '@orbitmq/protocol';
import { callUnary, createClient } from '@orbitmq/rpc';
import { type GlobalOptions, nameServers } from './context';

export interface BrokerTarget {
  brokerName: string;
  address: string;
}

export interface TargetOptions extends GlobalOptions {
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
  const ns = nameServers(opts);
  try {
    if (opts.topic && !opts.cluster) {
      const route = await ns.getRoute(opts.topic);
      return route.brokerGroups.flatMap((g) =>
        g.members.filter((m) => m.brokerId === 0).map((m) => ({ brokerName: g.brokerName, address: m.endpoints?.internalEndpoint ?? '' })),
      );
    }
    const info = await ns.getClusterInfo();
    const out = info.clusters
      .filter((c) => !opts.cluster || c.clusterName === opts.cluster)
      .flatMap((c) =>
        c.brokers
          .filter((b) => b.broker?.brokerId === 0)
          .map((b) => ({ brokerName: b.broker?.brokerName ?? '', address: b.endpoints?.internalEndpoint ?? '' })),
      );
    if (out.length === 0)
      throw new OrbitError('BROKER_NOT_FOUND', opts.cluster ? `no master broker in cluster ${opts.cluster}` : 'no master broker is registered');
    return out;
  } finally {
    ns.close();
  }
}

type AdminClient = v1.BrokerAdminClient;
type Method<Req, Res> = (c: AdminClient) => (req: Req, cb: (e: import('@grpc/grpc-js').ServiceError | null, r?: Res) => void) => unknown;

/** Calls one BrokerAdmin method on every target broker, in order. */
export async function onEach<Req, Res>(opts: TargetOptions, method: Method<Req, Res>, req: Req): Promise<{ target: BrokerTarget; res: Res }[]> {
  const out: { target: BrokerTarget; res: Res }[] = [];
  for (const target of await targets(opts)) {
    const client = createClient(orbitmqV1().BrokerAdmin, target.address);
    try {
      out.push({ target, res: (await callUnary(client, method(client) as never, req, { deadlineMs: opts.timeoutMs, retries: 1 })) as Res });
    } finally {
      client.close();
    }
  }
  return out;
}
