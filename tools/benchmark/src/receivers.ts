import { MessagingClient, type ReceivedMessage } from '@orbitmq/client';
import { RemotingClient } from '@orbitmq/remoting';
import { type Meter, clientOptions } from './meter';
import { type RemotingQueue, pull, queueOffset, remotingQueues } from './remoting-drivers';
import { nowPreciseMs, sentMsOf } from './pacer';

export type ConsumeMode = 'receive' | 'pull';

export interface ReceiveOptions {
  endpoint: string;
  topic: string;
  group: string;
  mode: ConsumeMode;
  /** Pull mode: pulls in flight per queue, at consecutive offsets. */
  pullDepth: number;
  /** Messages per ReceiveMessage / PullMessage call. */
  receiveBatch: number;
  /** Receive mode: receive calls in flight. Pull mode: one loop per queue. */
  receivers: number;
  /**
   * Pull: start at each queue's first offset or at its end. Receive: 'earliest' first commits the
   * group's offsets to each queue's start, which a group the broker holds no state for (a new
   * one) starts from; 'latest' leaves the group where it is (a new group starts now).
   */
  from: 'earliest' | 'latest';
  /** Receive with this SQL92 expression ('' : none). */
  sql: string;
  /** Receive with this tag expression ('' : every message). */
  tags: string;
  /** grpc: the v5 protocol to a broker's client endpoint; remoting: 4.x pulls, `endpoint` is a name server. */
  protocol: 'grpc' | 'remoting';
}

/** Longest a call waits for a message, so loops notice the stop flag. */
const LONG_POLL_MS = 1_000;
const INVISIBLE_MS = 60_000;
const RETRY_AFTER_FAILURE_MS = 100;

function record(meter: Meter, messages: readonly { body: Buffer }[]): void {
  const now = nowPreciseMs();
  for (const m of messages) {
    const sent = sentMsOf(m.body);
    if (sent !== undefined) meter.onLatency(Math.max(0, now - sent) * 1000);
  }
  meter.onReceived(messages.length);
}

function filterOf(o: ReceiveOptions): { sql?: string; tags?: string } {
  return o.sql ? { sql: o.sql } : o.tags ? { tags: o.tags } : {};
}

const pause = () => new Promise((r) => setTimeout(r, RETRY_AFTER_FAILURE_MS));

/** Receive/ack ("pop") loops: the SimpleConsumer's path, acked in one call per received batch. */
async function receiveLoops(client: MessagingClient, o: ReceiveOptions, meter: Meter, shouldStop: () => boolean): Promise<void> {
  const loop = async () => {
    while (!shouldStop()) {
      let msgs: ReceivedMessage[];
      try {
        msgs = await client.receive({
          group: o.group,
          topic: o.topic,
          batchSize: o.receiveBatch,
          invisibleMs: INVISIBLE_MS,
          longPollMs: LONG_POLL_MS,
          ...filterOf(o),
        });
      } catch {
        meter.onFailure();
        await pause();
        continue;
      }
      if (msgs.length === 0) continue;
      record(meter, msgs);
      await client.ack(o.group, o.topic, msgs).catch(() => meter.onFailure(msgs.length));
    }
  };
  await Promise.all(Array.from({ length: o.receivers }, loop));
}

/**
 * Offset pull loops, one per readable queue from the given offsets: the lite pull consumer's
 * path, no per-message state on the broker.
 */
async function pullLoops(client: MessagingClient, o: ReceiveOptions, starts: Map<number, number>, meter: Meter, shouldStop: () => boolean): Promise<void> {
  const loop = async ([queueId, from]: [number, number]) => {
    let offset = from;
    while (!shouldStop()) {
      try {
        // `pullDepth` pulls at consecutive offsets at once (a prefetch). Results are taken in
        // order up to the first short one; later ones are dropped and pulled again, so nothing
        // is skipped or counted twice even when the queue end moves meanwhile.
        const pulls = Array.from({ length: o.pullDepth }, (_, k) =>
          client.pull({
            group: o.group,
            topic: o.topic,
            queueId,
            offset: offset + k * o.receiveBatch,
            batchSize: o.receiveBatch,
            longPollMs: k === 0 ? LONG_POLL_MS : 0,
          }),
        );
        for (const r of await Promise.all(pulls)) {
          record(meter, r.messages);
          offset = r.nextOffset;
          if (r.messages.length < o.receiveBatch) break;
        }
      } catch {
        meter.onFailure();
        await pause();
      }
    }
  };
  await Promise.all([...starts].map(loop));
}

/**
 * Consumes until `shouldStop`. Resolves once the consumer is in place (group registered, pull
 * offsets taken), with a promise of the loops' end, so a producer can start after it.
 */
export async function startReceivers(o: ReceiveOptions, meter: Meter, shouldStop: () => boolean): Promise<{ done: Promise<void> }> {
  if (o.protocol === 'remoting') return startRemotingPulls(o, meter, shouldStop);
  const client = new MessagingClient(o.endpoint, clientOptions());
  // The route first: it creates the topic when the broker auto-creates topics, so the group can
  // register on it below, before anything is sent.
  const queueIds = await client.readableQueueIds(o.topic);
  if (o.mode === 'receive') {
    if (o.from === 'earliest') {
      for (const queueId of queueIds) await client.updateOffset(o.group, o.topic, queueId, await client.queryOffset(o.topic, queueId, 'BEGINNING'));
    }
    // Registers the group (it starts at the time the broker first sees it) before anything is sent.
    const first = await client.receive({ group: o.group, topic: o.topic, batchSize: 1, invisibleMs: INVISIBLE_MS, longPollMs: 0, ...filterOf(o) });
    if (first.length > 0) {
      record(meter, first);
      await client.ack(o.group, o.topic, first);
    }
    return { done: receiveLoops(client, o, meter, shouldStop).finally(() => client.close()) };
  }
  const starts = new Map<number, number>();
  for (const queueId of queueIds) {
    starts.set(queueId, await client.queryOffset(o.topic, queueId, o.from === 'earliest' ? 'BEGINNING' : 'END'));
  }
  return { done: pullLoops(client, o, starts, meter, shouldStop).finally(() => client.close()) };
}

/** 4.x: one PULL_MESSAGE loop per readable queue (a lite pull consumer's path), from the queue's start or end. */
async function startRemotingPulls(o: ReceiveOptions, meter: Meter, shouldStop: () => boolean): Promise<{ done: Promise<void> }> {
  if (o.mode !== 'pull') throw new Error('--protocol remoting consumes with --mode pull (4.x consumers pull)');
  const client = new RemotingClient();
  const queues = await remotingQueues(client, o.endpoint, o.topic, 'read');
  const starts = await Promise.all(queues.map((q) => queueOffset(client, q, o.topic, o.from === 'earliest' ? 'min' : 'max')));
  const loop = async (q: RemotingQueue, from: number) => {
    let offset = from;
    while (!shouldStop()) {
      try {
        // As in pullLoops: `pullDepth` pulls at consecutive offsets, taken in order up to the first short one.
        const pulls = Array.from({ length: o.pullDepth }, (_, k) => pull(client, q, o.group, o.topic, offset + k * o.receiveBatch, o.receiveBatch, k === 0));
        for (const r of await Promise.all(pulls)) {
          record(
            meter,
            r.bodies.map((body) => ({ body })),
          );
          offset = r.nextOffset;
          if (r.bodies.length < o.receiveBatch) break;
        }
      } catch {
        meter.onFailure();
        await pause();
      }
    }
  };
  return { done: Promise.all(queues.map((q, i) => loop(q, starts[i] as number))).then(() => client.close()) };
}
