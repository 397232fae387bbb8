import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as grpc from '@grpc/grpc-js';
import { OrbitError, checkTopicName, rocketmqV2, type v2 } from '@orbitmq/protocol';
import { CHANNEL_OPTIONS, channelCredentials } from '@orbitmq/rpc';
import { type GlobalOptions, type Output, nameServers } from '../context';
import { formatTable } from '../table';

/** The client endpoints of the masters serving a topic, with their readable queue counts. */
async function topicBrokers(o: GlobalOptions, topic: string): Promise<{ brokerName: string; endpoint: string; readQueues: number }[]> {
  checkTopicName(topic);
  const ns = nameServers(o);
  try {
    const route = await ns.getRoute(topic);
    return route.queueDatas.map((q) => {
      const member = route.brokerGroups.find((g) => g.brokerName === q.brokerName)?.members.find((m) => m.brokerId === 0);
      return { brokerName: q.brokerName, endpoint: member?.endpoints?.clientEndpoint ?? '', readQueues: q.readQueueNums };
    });
  } finally {
    ns.close();
  }
}

function client(endpoint: string): { c: v2.MessagingServiceClient; md: grpc.Metadata } {
  const md = new grpc.Metadata();
  md.set('x-mq-client-id', `mqadmin@${os.hostname()}@${process.pid}`);
  md.set('x-mq-protocol', 'v2');
  return { c: new (rocketmqV2().MessagingService)(endpoint, channelCredentials(), CHANNEL_OPTIONS), md };
}

function statusError(s: v2.Status__Output | null | undefined): OrbitError | undefined {
  const code = String(s?.code ?? 'OK');
  return code === 'OK' ? undefined : new OrbitError('BAD_REQUEST', `broker answered ${code}: ${s?.message ?? ''}`);
}

/** sendMessage: one message through the RocketMQ 5 protocol to the first broker of the topic. */
export async function sendMessage(o: GlobalOptions & { topic: string; body: string; keys?: string; tag?: string }): Promise<Output> {
  const [target] = await topicBrokers(o, o.topic);
  if (!target) throw new OrbitError('TOPIC_NOT_FOUND', `no broker serves topic ${o.topic}`);
  const { c, md } = client(target.endpoint);
  const messageId = `01${randomBytes(16).toString('hex').toUpperCase()}`;
  try {
    const res = await new Promise<v2.SendMessageResponse__Output>((resolve, reject) =>
      c.SendMessage(
        {
          messages: [
            {
              topic: { name: o.topic },
              body: Buffer.from(o.body),
              userProperties: {},
              systemProperties: {
                messageId,
                messageType: 'NORMAL',
                bodyEncoding: 'IDENTITY',
                keys: o.keys ? o.keys.split(',') : [],
                ...(o.tag ? { tag: o.tag } : {}),
                bornHost: os.hostname(),
                bornTimestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
              },
            },
          ],
        },
        md,
        { deadline: Date.now() + o.timeoutMs },
        (err, r) => (err ? reject(err) : resolve(r as v2.SendMessageResponse__Output)),
      ),
    );
    const failed = statusError(res.entries[0]?.status ?? res.status);
    if (failed) throw failed;
    const row = { broker: target.brokerName, messageId: res.entries[0]?.messageId ?? messageId, queueOffset: res.entries[0]?.offset ?? '' };
    return { text: formatTable(['Broker Name', 'Message Id', 'Queue Offset'], [[row.broker, row.messageId, row.queueOffset]]), json: row };
  } finally {
    c.close();
  }
}

/**
 * consumeMessage: reads (without committing anything) up to --count messages of a topic from the
 * beginning of every queue on every broker, with PullMessage.
 */
export async function consumeMessage(o: GlobalOptions & { topic: string; group: string; count: number; tag?: string }): Promise<Output> {
  const rows: { broker: string; queueId: number; offset: string; messageId: string; tag: string; keys: string; body: string }[] = [];
  for (const b of await topicBrokers(o, o.topic)) {
    const { c, md } = client(b.endpoint);
    try {
      for (let q = 0; q < b.readQueues && rows.length < o.count; q++) {
        let offset = 0;
        while (rows.length < o.count) {
          const frames = await new Promise<v2.PullMessageResponse__Output[]>((resolve, reject) => {
            const out: v2.PullMessageResponse__Output[] = [];
            const call = c.PullMessage(
              {
                group: { name: o.group },
                messageQueue: { topic: { name: o.topic }, id: q },
                offset,
                batchSize: Math.min(32, o.count - rows.length),
                filterExpression: { type: 'TAG', expression: o.tag ?? '*' },
              },
              md,
              { deadline: Date.now() + o.timeoutMs },
            );
            call.on('data', (f: v2.PullMessageResponse__Output) => out.push(f));
            call.on('end', () => resolve(out));
            call.on('error', reject);
          });
          const next = frames.find((f) => f.content === 'nextOffset')?.nextOffset;
          for (const f of frames) {
            const m = f.message;
            if (!m) continue;
            rows.push({
              broker: b.brokerName,
              queueId: q,
              offset: String(m.systemProperties?.queueOffset ?? ''),
              messageId: m.systemProperties?.messageId ?? '',
              tag: m.systemProperties?.tag ?? '',
              keys: (m.systemProperties?.keys ?? []).join(' '),
              body: m.body.toString('utf8'),
            });
          }
          if (next === undefined || Number(next) === offset) break;
          offset = Number(next);
        }
      }
    } finally {
      c.close();
    }
  }
  return {
    text: rows.length
      ? formatTable(
          ['Broker Name', 'QID', 'Offset', 'Message Id', 'Tag', 'Keys', 'Body'],
          rows.map((r) => [r.broker, r.queueId, r.offset, r.messageId, r.tag, r.keys, r.body.length > 80 ? `${r.body.slice(0, 77)}...` : r.body]),
        )
      : 'no message',
    json: rows,
  };
}
