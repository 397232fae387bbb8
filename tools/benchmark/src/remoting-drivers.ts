import { RemotingClient, type RemotingCommand, RequestCode, ResponseCode, createRequest, encodeBatch, encodeProperties } from '@orbitmq/remoting';
import { nextMessageId } from '@orbitmq/client';

/*
 * The benchmark's RocketMQ 4.x remoting path (--protocol remoting): what a 4.x producer and a
 * lite-pull consumer put on the wire, without a client library between (so the tool measures the
 * broker, not a client): routes from the name server (--endpoint is the name server then), a
 * SEND_BATCH_MESSAGE of --batch messages per request round-robin over the queues, and per-queue
 * PULL_MESSAGE loops with long polling.
 */

/** A topic's queues on its master brokers, from GET_ROUTEINFO_BY_TOPIC. */
export interface RemotingQueue {
  brokerAddr: string;
  brokerName: string;
  queueId: number;
}

const RPC_TIMEOUT_MS = 10_000;
/** How long a pull may park on the broker when the queue has nothing new. */
const SUSPEND_MS = 1_000;
const PULL_SYS_FLAG_SUSPEND = 0x2;

function check(res: RemotingCommand, what: string): RemotingCommand {
  if (res.code !== ResponseCode.SUCCESS) throw new Error(`${what}: code ${res.code} ${res.remark ?? ''}`);
  return res;
}

interface RouteData {
  queueDatas: { brokerName: string; readQueueNums: number; writeQueueNums: number }[];
  brokerDatas: { brokerName: string; brokerAddrs: Record<string, string> }[];
}

/**
 * The topic's queues (writable or readable ones). A topic without a route is created the way a
 * 4.x producer creates it: a send to a master (its broker auto-creates topics), then the route.
 */
export async function remotingQueues(client: RemotingClient, namesrv: string, topic: string, kind: 'write' | 'read'): Promise<RemotingQueue[]> {
  const until = Date.now() + RPC_TIMEOUT_MS;
  for (let created = false; ;) {
    const res = await client.invoke(namesrv, createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), RPC_TIMEOUT_MS);
    if (res.code === ResponseCode.SUCCESS && res.body) {
      const route = JSON.parse(res.body.toString()) as RouteData;
      const masters = new Map(route.brokerDatas.map((b) => [b.brokerName, b.brokerAddrs['0']]));
      return route.queueDatas.flatMap((q) => {
        const brokerAddr = masters.get(q.brokerName);
        const n = kind === 'write' ? q.writeQueueNums : q.readQueueNums;
        return brokerAddr ? Array.from({ length: n }, (_, queueId) => ({ brokerAddr, brokerName: q.brokerName, queueId })) : [];
      });
    }
    if (res.code !== ResponseCode.TOPIC_NOT_EXIST || Date.now() > until) throw new Error(`route of ${topic}: code ${res.code} ${res.remark ?? ''}`);
    if (!created) {
      await createTopic(client, namesrv, topic);
      created = true;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function createTopic(client: RemotingClient, namesrv: string, topic: string): Promise<void> {
  const info = check(await client.invoke(namesrv, createRequest(RequestCode.GET_BROKER_CLUSTER_INFO, {}), RPC_TIMEOUT_MS), 'cluster info');
  const table =
    (JSON.parse(info.body?.toString() ?? '{}') as { brokerAddrTable?: Record<string, { brokerAddrs: Record<string, string> }> }).brokerAddrTable ?? {};
  const master = Object.values(table).map((b) => b.brokerAddrs['0'])[0];
  if (!master) throw new Error('no master broker is registered');
  await sendBatch(client, { brokerAddr: master, brokerName: '', queueId: 0 }, 'BenchProducer', topic, [Buffer.from('create')]);
}

/** One SEND_BATCH_MESSAGE of `bodies` to one queue; resolves when the broker stored them. */
export async function sendBatch(client: RemotingClient, q: RemotingQueue, group: string, topic: string, bodies: Buffer[]): Promise<void> {
  const body = encodeBatch(bodies.map((b) => ({ body: b, properties: encodeProperties({ UNIQ_KEY: nextMessageId() }) })));
  const header = { a: group, b: topic, c: 'TBW102', d: '8', e: String(q.queueId), f: '0', g: String(Date.now()), h: '0', i: '', j: '0', k: 'false', m: 'true' };
  check(await client.invoke(q.brokerAddr, createRequest(RequestCode.SEND_BATCH_MESSAGE, header, body), RPC_TIMEOUT_MS), 'send');
}

/** The queue's first or next offset (GET_MIN_OFFSET / GET_MAX_OFFSET). */
export async function queueOffset(client: RemotingClient, q: RemotingQueue, topic: string, end: 'min' | 'max'): Promise<number> {
  const code = end === 'min' ? RequestCode.GET_MIN_OFFSET : RequestCode.GET_MAX_OFFSET;
  const res = check(await client.invoke(q.brokerAddr, createRequest(code, { topic, queueId: String(q.queueId) }), RPC_TIMEOUT_MS), 'offset');
  return Number(res.extFields.offset);
}

/** One PULL_MESSAGE from `offset`: the records found (none when the wait ran out) and where to go on. */
export async function pull(
  client: RemotingClient,
  q: RemotingQueue,
  group: string,
  topic: string,
  offset: number,
  maxNums: number,
  longPoll = true,
): Promise<{ bodies: Buffer[]; nextOffset: number }> {
  const header = {
    consumerGroup: group,
    topic,
    queueId: String(q.queueId),
    queueOffset: String(offset),
    maxMsgNums: String(maxNums),
    sysFlag: String(longPoll ? PULL_SYS_FLAG_SUSPEND : 0),
    commitOffset: '0',
    suspendTimeoutMillis: String(SUSPEND_MS),
    subVersion: '0',
  };
  const res = await client.invoke(q.brokerAddr, createRequest(RequestCode.PULL_MESSAGE, header), SUSPEND_MS + RPC_TIMEOUT_MS);
  const nextOffset = Number(res.extFields.nextBeginOffset ?? offset);
  if (res.code === ResponseCode.SUCCESS) return { bodies: res.body ? bodiesOf(res.body) : [], nextOffset };
  if (res.code === ResponseCode.PULL_NOT_FOUND || res.code === ResponseCode.PULL_RETRY_IMMEDIATELY || res.code === ResponseCode.PULL_OFFSET_MOVED)
    return { bodies: [], nextOffset };
  throw new Error(`pull: code ${res.code} ${res.remark ?? ''}`);
}

/*
 * The bodies of a pull response's MessageExt records (layout: libs/remoting/src/message-ext.ts),
 * as views. The tool only needs each body's send stamp; decoding every field and property of
 * every record (decodeMessageExts) made the tool, not the broker, the bottleneck of W3.
 */
const SYSFLAG_AT = 36;
const BORN_HOST_AT = 48;
const BORN_HOST_V6 = 0x10;
const STORE_HOST_V6 = 0x20;

function bodiesOf(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let p = 0; p + BORN_HOST_AT <= buf.length;) {
    const total = buf.readInt32BE(p);
    if (total <= 0 || p + total > buf.length) throw new Error(`pull body: bad record size ${total} at ${p}`);
    const sysFlag = buf.readInt32BE(p + SYSFLAG_AT);
    // born host, store timestamp, store host, reconsume times, prepared transaction offset
    const bodyLenAt = p + BORN_HOST_AT + (sysFlag & BORN_HOST_V6 ? 20 : 8) + 8 + (sysFlag & STORE_HOST_V6 ? 20 : 8) + 4 + 8;
    const bodyLen = buf.readInt32BE(bodyLenAt);
    out.push(buf.subarray(bodyLenAt + 4, bodyLenAt + 4 + bodyLen));
    p += total;
  }
  return out;
}
