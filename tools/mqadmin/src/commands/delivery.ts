import type { v1 } from '@orbitmq/protocol';
import { type TargetOptions, callBroker, onEach, targets } from '../brokers';
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

/** "0-3, 7" -> [0, 1, 2, 3, 7] (at most 64, as the broker takes). */
export function parseOffsetList(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`offsets '${text}': numbers and ranges like 0-3,7`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to - from >= 64) throw new Error(`offsets '${part}': a range of 1-64 offsets`);
    for (let o = from; o <= to; o++) out.add(o);
  }
  if (out.size === 0 || out.size > 64) throw new Error(`offsets '${text}': name 1-64 offsets`);
  return [...out];
}

type ResendOptions = TargetOptions & { topic: string; queueId: number; offsets: string; to?: string; brokerName?: string };

/**
 * resendMessages: stored messages of a queue (a dead-letter queue's, typically) sent again by the
 * master holding them as new messages, to --to or to the topic each came from.
 */
export async function resendMessages(o: ResendOptions): Promise<Output> {
  const offsets = parseOffsetList(o.offsets);
  // One master only: each holds its own copy of the queue, and a resend must not repeat on every one.
  const target = (await targets({ ...o, topic: o.topic })).find((t) => !o.brokerName || t.brokerName === o.brokerName);
  if (!target) throw new Error(`no master${o.brokerName ? ` named ${o.brokerName}` : ''} serves topic ${o.topic}`);
  const req = { topic: o.topic, queueId: o.queueId, offsets: offsets.map(String), toTopic: o.to ?? '' };
  const res = [{ target, res: await callBroker(o, target.address, (c) => c.ResendMessages.bind(c), req) }];
  const rows = res.flatMap(({ target, res: r }) =>
    (r as v1.ResendMessagesResponse__Output).results.map((x) => [target.brokerName, x.queueOffset, x.ok ? 'SENT' : x.errorCode, x.toTopic || '-', x.ok ? x.messageId : x.error]),
  );
  return { text: formatTable(['Broker Name', 'Offset', 'Result', 'To Topic', 'Message Id / Error'], rows), json: res.map(({ target, res: r }) => ({ broker: target.brokerName, ...(r as object) })) };
}
