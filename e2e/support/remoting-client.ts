import type { MessageExt } from '@orbitmq/remoting';
import type { MessageQueue, RemotingPullConsumer } from '@orbitmq/client';

/**
 * Pulls `mq` from `fromOffset` (long polls of up to 1 s) until `count` messages arrived or the
 * deadline passed; returns what arrived, in queue order.
 */
export async function pullUntil(
  consumer: RemotingPullConsumer,
  mq: MessageQueue,
  fromOffset: number,
  count: number,
  timeoutMs = 15_000,
): Promise<MessageExt[]> {
  const deadline = Date.now() + timeoutMs;
  const got: MessageExt[] = [];
  let offset = fromOffset;
  while (got.length < count) {
    if (Date.now() > deadline) throw new Error(`pulled ${got.length} of ${count} messages from ${mq.topic}/${mq.queueId} in ${timeoutMs} ms`);
    const r = await consumer.pull(mq, offset, 64, { suspendMs: 1_000 });
    got.push(...r.messages);
    offset = r.nextBeginOffset;
  }
  return got;
}

/** Every message of the topic's queues up to their max offsets (nothing waits). */
export async function pullEverything(consumer: RemotingPullConsumer, queues: readonly MessageQueue[]): Promise<MessageExt[]> {
  const out: MessageExt[] = [];
  for (const mq of queues) {
    const [min, max] = [await consumer.minOffset(mq), await consumer.maxOffset(mq)];
    out.push(...(await pullUntil(consumer, mq, min, max - min)));
  }
  return out;
}
