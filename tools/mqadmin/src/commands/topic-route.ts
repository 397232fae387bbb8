import { checkTopicName } from '@orbitmq/protocol';
import { type GlobalOptions, type Output, nameServers } from '../context';
import { formatTable } from '../table';

const PERM_NAMES: Record<number, string> = { 0: '---', 2: '-W-', 4: 'R--', 6: 'RW-' };

/** topicRoute -t: queue data and broker groups serving one topic. */
export async function topicRoute(opts: GlobalOptions & { topic: string }): Promise<Output> {
  checkTopicName(opts.topic);
  const ns = nameServers(opts);
  try {
    const route = await ns.getRoute(opts.topic);
    const queues = formatTable(
      ['Broker Name', 'Read Queues', 'Write Queues', 'Perm', 'Message Type'],
      route.queueDatas.map((q) => [q.brokerName, q.readQueueNums, q.writeQueueNums, PERM_NAMES[q.perm] ?? String(q.perm), q.messageType]),
    );
    const members = formatTable(
      ['Cluster Name', 'Broker Name', 'BID', 'Client Addr', 'Internal Addr'],
      route.brokerGroups.flatMap((g) =>
        g.members.map((m) => [g.clusterName, g.brokerName, m.brokerId, m.endpoints?.clientEndpoint ?? '', m.endpoints?.internalEndpoint ?? '']),
      ),
    );
    return { text: `${queues}\n\n${members}`, json: route };
  } finally {
    ns.close();
  }
}
