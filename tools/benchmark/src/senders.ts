import { MessagingClient, type OutgoingMessage } from '@orbitmq/client';
import { Producer } from 'rocketmq-client-nodejs';
import { RemotingClient } from '@orbitmq/remoting';
import { type Meter, clientOptions } from './meter';
import { type RemotingQueue, remotingQueues, sendBatch } from './remoting-drivers';
import { nowPreciseMs, type Pacer, stampedBody } from './pacer';

export interface SendOptions {
  endpoint: string;
  topic: string;
  size: number;
  /** Messages per SendMessage request (thin client; the official client always sends one). */
  batch: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Stop after this many messages (0: until `shouldStop`). */
  count: number;
  /** Drive the official rocketmq-client-nodejs Producer instead of the thin client. */
  sdk: boolean;
  /**
   * Give each message a tag and user properties (filter workloads): tag T<seq % 10>, n = seq % 100,
   * region = one of four, plus `properties - 2` padding properties p<k>.
   */
  properties: number;
  /** grpc: the v5 protocol to a broker's client endpoint; remoting: 4.x, `endpoint` is a name server. */
  protocol: 'grpc' | 'remoting';
}

const REGIONS = ['eu', 'us', 'ap', 'sa'];

/** The tag and properties of message number `seq` (see SendOptions.properties). */
export function filterFields(seq: number, properties: number): { tag: string; properties: Record<string, string> } {
  const props: Record<string, string> = { n: String(seq % 100), region: REGIONS[seq % REGIONS.length] as string };
  for (let k = 2; k < properties; k++) props[`p${k}`] = `value-${k}`;
  return { tag: `T${seq % 10}`, properties: props };
}

/** One way of sending a batch of bodies; resolves when the broker answered all of them. */
interface SendDriver {
  send(bodies: Buffer[]): Promise<number>;
  close(): Promise<void>;
}

const RETRY_AFTER_FAILURE_MS = 100;

async function thinDriver(o: SendOptions): Promise<SendDriver> {
  const client = new MessagingClient(o.endpoint, clientOptions());
  let seq = 0;
  return {
    async send(bodies) {
      const messages: OutgoingMessage[] = bodies.map((body) => ({ topic: o.topic, body, ...(o.properties > 0 ? filterFields(seq++, o.properties) : {}) }));
      const results = await client.send(messages);
      return results.filter((r) => r.error !== undefined).length;
    },
    close: async () => client.close(),
  };
}

async function sdkDriver(o: SendOptions): Promise<SendDriver> {
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
  const producer = new Producer({ namespace: '', endpoints: o.endpoint, logger: quiet as never, topics: [o.topic] });
  await producer.startup();
  return {
    async send(bodies) {
      const results = await Promise.allSettled(bodies.map((body) => producer.send({ topic: o.topic, body })));
      return results.filter((r) => r.status === 'rejected').length;
    },
    close: () => producer.shutdown(),
  };
}

/** 4.x: one SEND_BATCH_MESSAGE per request, the topic's queues in turn (see remoting-drivers.ts). */
async function remotingDriver(o: SendOptions): Promise<SendDriver> {
  const client = new RemotingClient();
  const queues = await remotingQueues(client, o.endpoint, o.topic, 'write');
  if (queues.length === 0) throw new Error(`topic ${o.topic} has no writable queue`);
  let next = 0;
  return {
    async send(bodies) {
      await sendBatch(client, queues[next++ % queues.length] as RemotingQueue, 'BenchProducer', o.topic, bodies);
      return 0;
    },
    close: async () => client.close(),
  };
}

/**
 * `concurrency` send loops sharing one pacer and one message budget. Each request's bodies carry
 * the time it was issued (for end-to-end latency); one body per request, shared by its messages.
 */
export async function runSenders(o: SendOptions, pacer: Pacer, meter: Meter, shouldStop: () => boolean): Promise<void> {
  const driver = o.sdk ? await sdkDriver(o) : o.protocol === 'remoting' ? await remotingDriver(o) : await thinDriver(o);
  const perRequest = o.sdk ? 1 : o.batch; // the official Producer sends one message per call
  let budget = o.count > 0 ? o.count : Number.POSITIVE_INFINITY;
  const loop = async () => {
    while (!shouldStop() && budget > 0) {
      const n = Math.min(perRequest, budget);
      budget -= n;
      await pacer.take(n);
      const t0 = performance.now();
      const body = stampedBody(o.size, nowPreciseMs());
      const bodies = new Array<Buffer>(n).fill(body);
      try {
        const refused = await driver.send(bodies);
        meter.onSent(n - refused, (performance.now() - t0) * 1000);
        if (refused > 0) {
          meter.onFailure(refused);
          // Refused messages (TOO_MANY_REQUESTS from a busy broker): back off as the official client does.
          await new Promise((r) => setTimeout(r, RETRY_AFTER_FAILURE_MS));
        }
      } catch {
        meter.onFailure(n);
        await new Promise((r) => setTimeout(r, RETRY_AFTER_FAILURE_MS)); // no busy loop against a broker that is down
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, loop));
  await driver.close();
}
