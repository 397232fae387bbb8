import { v2Signature } from '@orbitmq/acl';
import { OrbitError, orbitmqV1, type v1 } from '@orbitmq/protocol';
import { callUnary, createClient } from '@orbitmq/rpc';
import { type GlobalOptions, nameServers } from './context';

export interface BrokerTarget {
  brokerName: string;
  address: string;
  /** Known when the target came from the name servers (0 = master). */
  brokerId?: number;
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
          brokerName: b.broker?.brokerName ?? '',
          brokerId: b.broker?.brokerId ?? 0,
          address: b.endpoints?.internalEndpoint ?? '',
        })),
      )
      .sort((a, b) => a.brokerName.localeCompare(b.brokerName) || a.brokerId - b.brokerId);
    if (out.length === 0) throw new OrbitError('BROKER_NOT_FOUND', opts.cluster ? `no broker in cluster ${opts.cluster}` : 'no broker is registered');
    return out;
  } finally {
    ns.close();
  }
}

type AdminClient = v1.BrokerAdminClient;
type Method<Req, Res> = (c: AdminClient) => (req: Req, cb: (e: import('@grpc/grpc-js').ServiceError | null, r?: Res) => void) => unknown;

/**
 * With --accessKey/--secretKey: the v5 clients' signature (MQv2-HMAC-SHA1 over x-mq-date-time),
 * made afresh for each attempt, which a broker with aclEnable checks for an admin account.
 */
function signing(opts: GlobalOptions): { metadata?: () => Record<string, string> } {
  const { accessKey, secretKey } = opts;
  if (!accessKey || !secretKey) return {};
  return {
    metadata: () => {
      const dateTime = `${new Date().toISOString().split('.')[0]?.replace(/[-:]/g, '')}Z`;
      return {
        'x-mq-date-time': dateTime,
        authorization: `MQv2-HMAC-SHA1 Credential=${accessKey}, SignedHeaders=x-mq-date-time, Signature=${v2Signature(secretKey, dateTime)}`,
      };
    },
  };
}

/** Calls one BrokerAdmin method on one broker, with the --timeoutMs deadline and one retry. */
export async function callBroker<Req, Res>(opts: GlobalOptions, address: string, method: Method<Req, Res>, req: Req): Promise<Res> {
  const client = createClient(orbitmqV1().BrokerAdmin, address);
  try {
    return (await callUnary(client, method(client) as never, req, { deadlineMs: opts.timeoutMs, retries: 1, ...signing(opts) })) as Res;
  } finally {
    client.close();
  }
}

/** Calls one BrokerAdmin method on every target broker, in order. */
export async function onEach<Req, Res>(opts: TargetOptions, method: Method<Req, Res>, req: Req): Promise<{ target: BrokerTarget; res: Res }[]> {
  const out: { target: BrokerTarget; res: Res }[] = [];
  for (const target of await targets(opts)) out.push({ target, res: await callBroker(opts, target.address, method, req) });
  return out;
}
