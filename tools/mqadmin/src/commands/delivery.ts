import type { v1 } from '@orbitmq/protocol';
import { type TargetOptions, onEach } from '../brokers';
import type { Output } from '../context';
import { formatTable } from '../table';

/**
 * queryMsgByOffset, as RocketMQ's: the message at a queue offset of a topic on each master serving
 * it (or the one -b / --brokerName names), with where it stands for every group consuming its
 * queue (RocketMQ's message track: consumed, not yet, in flight until, retrying, dead-lettered).
 */
export async function queryMsgByOffset(o: TargetOptions & { topic: string; queueId: number; offset: number; brokerName?: string }): Promise<Output> {
  const all = await onEach({ ...o, topic: o.topic }, (c) => c.GetDeliveryState.bind(c), { topic: o.topic, queueId: o.queueId, queueOffset: String(o.offset) });
  const res = all.filter(({ target }) => !o.brokerName || target.brokerName === o.brokerName);
  if (res.length === 0) throw new Error(`no master named ${o.brokerName} serves topic ${o.topic}`);
  const text = res
    .map(({ target, res: r }) => {
      const d = r as v1.GetDeliveryStateResponse__Output;
      const m = d.message;
      const head = m
        ? [
            `${target.brokerName} ${m.topic}[${m.queueId}]@${m.queueOffset}`,
            `  Message Id     : ${m.messageId}`,
            `  Tag / Keys     : ${m.tag || '-'} / ${m.keys.join(' ') || '-'}`,
            `  Store Time     : ${new Date(Number(m.storeTimestampMs)).toISOString()}`,
            `  Reconsume Times: ${m.reconsumeTimes}`,
            ...(m.originTopic ? [`  Origin Topic   : ${m.originTopic}`] : []),
            `  Body Bytes     : ${m.body.length}`,
          ].join('\n')
        : target.brokerName;
      const rows = d.deliveries.map((g) => [
        g.group,
        g.state,
        g.attempt,
        Number(g.untilMs) ? new Date(Number(g.untilMs)).toISOString() : '-',
        g.copyTopic ? `${g.copyTopic}${g.copyQueueOffset !== '-1' ? `@${g.copyQueueOffset}` : ''}` : '-',
      ]);
      const track = rows.length ? formatTable(['Consumer Group', 'Track Type', 'Attempt', 'Until', 'Copy'], rows) : 'no group has consumed this queue';
      return `${head}\n\n${track}${d.groupsLeftOut ? `\n(${d.groupsLeftOut} groups not examined)` : ''}`;
    })
    .join('\n\n');
  return { text, json: res.map(({ target, res: r }) => ({ broker: target.brokerName, ...(r as object) })) };
}
