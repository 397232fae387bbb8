import { MessagingClient } from '@orbitmq/client';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type DashboardDeps, adminFor, credentialsFor } from '../context';
import { DashboardError, problemOf } from '../problems';
import { BROWSE_GROUP, fromPulled } from './messages';
import { TOPIC_PARAMS } from './schemas';

/** How long one pull waits for a message before asking again. */
const TAIL_LONG_POLL_MS = 5_000;
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** After a failed pull, the queue is asked again this much later. */
const RETRY_AFTER_MS = 1_000;

/**
 * A server-sent event stream of a topic's new messages (from each queue's end when it opens).
 * Events: ready {queues}, message {MessageView}, skipped {count}, problem {broker, message},
 * end {reason}. A viewer that reads too slowly is not buffered without bound: while its socket
 * has liveTailMaxQueuedEvents events unsent, further messages are counted and reported as
 * `skipped` once it drains, never dropped silently.
 */
class Tail {
  private open = true;
  private unsent = 0;
  private skipped = 0;
  private readonly clients: MessagingClient[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly reply: FastifyReply,
    private readonly maxQueued: number,
  ) {
    reply.raw.on('drain', () => {
      this.unsent = 0;
      if (this.skipped > 0) this.send('skipped', { count: this.skipped });
      this.skipped = 0;
    });
  }

  get isOpen(): boolean {
    return this.open;
  }

  client(c: MessagingClient): MessagingClient {
    this.clients.push(c);
    return c;
  }

  every(ms: number, fn: () => void): void {
    this.timers.push(setInterval(fn, ms));
  }

  after(ms: number, fn: () => void): void {
    this.timers.push(setTimeout(fn, ms));
  }

  send(event: string, data: unknown): void {
    if (!this.open) return;
    if (event === 'message' && this.unsent >= this.maxQueued) {
      this.skipped++;
      return;
    }
    if (!this.reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)) this.unsent++;
  }

  comment(text: string): void {
    if (this.open) this.reply.raw.write(`: ${text}\n\n`);
  }

  close(reason?: string): void {
    if (!this.open) return;
    if (reason) this.send('end', { reason });
    this.open = false;
    for (const t of this.timers) clearTimeout(t);
    for (const c of this.clients) c.close();
    this.reply.raw.end();
  }
}

export function liveTailRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  let openTails = 0;
  app.get<{ Params: { topic: string }; Querystring: { tags?: string; sql?: string } }>(
    '/api/topics/:topic/tail',
    {
      schema: {
        params: TOPIC_PARAMS,
        querystring: { type: 'object', additionalProperties: false, properties: { tags: { type: 'string', maxLength: 512 }, sql: { type: 'string', maxLength: 2048 } } },
      },
    },
    async (req, reply) => {
      if (openTails >= deps.limits.maxLiveTails) throw new DashboardError('TOO_MANY', `${deps.limits.maxLiveTails} live tails are open already (maxLiveTails)`);
      const { topic } = req.params;
      const masters = (await adminFor(deps, req).topicMasters(topic)).filter((m) => m.clientEndpoint);
      if (masters.length === 0) throw new DashboardError('NOT_FOUND', `no broker serves topic ${topic}`);
      openTails++;
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      const tail = new Tail(reply, deps.limits.liveTailMaxQueuedEvents);
      req.raw.on('close', () => {
        if (tail.isOpen) openTails--;
        tail.close();
      });
      tail.every(HEARTBEAT_MS, () => tail.comment('heartbeat'));
      tail.after(deps.limits.liveTailMaxMs, () => {
        openTails--;
        tail.close(`the tail ran for its longest (liveTailMaxMs ${deps.limits.liveTailMaxMs} ms)`);
      });
      const credentials = credentialsFor(req);
      const filter = req.query.sql ? { sql: req.query.sql } : { tags: req.query.tags || '*' };
      let queues = 0;
      for (const m of masters) {
        const client = tail.client(new MessagingClient(m.clientEndpoint as string, { clientId: `orbitmq-dashboard-tail@${process.pid}`, ...(credentials ? { credentials } : {}) }));
        try {
          for (const queueId of await client.readableQueueIds(topic)) {
            const start = await client.queryOffset(topic, queueId, 'END');
            queues++;
            void follow(tail, client, m.brokerName, { topic, queueId, offset: start, filter });
          }
        } catch (e) {
          tail.send('problem', { broker: m.brokerName, message: problemOf(e).message });
        }
      }
      tail.send('ready', { topic, queues, brokers: masters.map((m) => m.brokerName) });
    },
  );
}

/** Pulls one queue from `offset` on, sending each message, until the tail closes. */
async function follow(
  tail: Tail,
  client: MessagingClient,
  broker: string,
  q: { topic: string; queueId: number; offset: number; filter: { sql: string } | { tags: string } },
): Promise<void> {
  let offset = q.offset;
  while (tail.isOpen) {
    try {
      const pull = { group: BROWSE_GROUP, topic: q.topic, queueId: q.queueId, offset, batchSize: 32, longPollMs: TAIL_LONG_POLL_MS };
      const r = await client.pull({ ...pull, ...q.filter });
      for (const m of r.messages) tail.send('message', fromPulled(broker, m));
      offset = Math.max(offset, r.nextOffset);
    } catch (e) {
      if (!tail.isOpen) return;
      tail.send('problem', { broker, queueId: q.queueId, message: problemOf(e).message });
      await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
    }
  }
}
