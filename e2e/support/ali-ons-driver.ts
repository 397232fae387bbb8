/**
 * Runs an ali-ons (RocketMQ 4.x remoting client) Producer or push Consumer in its own process:
 * ali-ons keeps process-wide singletons (one MQClient per clientId, a static inner producer that is
 * never closed, a broadcasting offset directory fixed from $HOME when the module loads) and timers
 * that never stop, so every client gets a process and the test talks to it over stdio.
 *
 * usage: ali-ons-driver '<config JSON>' (see DriverConfig)
 * stdin:  one JSON command a line: {"op":"send","id":1,"topic","tags","keys":[..],"props":{..},"body"|"bodySize"} | {"op":"close"}
 * stdout: one JSON event a line: ready, queues, consumed, failed, sendBack, sent, sendFailed, error, log, closed, uncaught
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { format } from 'node:util';
import { Consumer, Message, Producer } from 'ali-ons';

export interface DriverConfig {
  role: 'producer' | 'consumer';
  /** "host:port" of the name server (its remoting port). */
  nameSrv: string;
  group: string;
  topic?: string;
  /** ali-ons subExpression: '*' or 'TagA || TagB'. */
  expression?: string;
  broadcast?: boolean;
  /** CONSUME_FROM_FIRST_OFFSET instead of ali-ons' default CONSUME_FROM_LAST_OFFSET. */
  fromFirst?: boolean;
  /** Bodies whose first delivery throws in the handler. */
  throwFirst?: string[];
  /** Bodies whose first delivery returns Consumer.ACTION_RETRY. */
  retryFirst?: string[];
  /** ACL credentials: ali-ons then signs every request (AccessKey/Signature). */
  accessKey?: string;
  secretKey?: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as DriverConfig;

function emit(ev: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(ev)}\n`);
}

const logger = {
  info: () => undefined,
  debug: () => undefined,
  warn: (...a: unknown[]) => emit({ ev: 'log', level: 'warn', text: format(...a) }),
  error: (...a: unknown[]) => emit({ ev: 'log', level: 'error', text: format(...a) }),
};

function errorEvent(err: unknown): Record<string, unknown> {
  const e = err as { name?: string; code?: unknown; message?: string };
  return { ev: 'error', name: e?.name, code: e?.code, text: e?.message ?? String(err) };
}

// With nameSrv set ali-ons never calls it, but RemotingClient asserts that one is given.
const httpclient = {
  request: () => Promise.reject(new Error('no HTTP name server lookup in tests')),
};

const common = {
  ...(config.accessKey ? { accessKey: config.accessKey, secretKey: config.secretKey } : {}),
  nameSrv: config.nameSrv,
  httpclient,
  logger,
  // Defaults are 30 s / 30 s / 10 s / 5 s: shortened so routes, heartbeats, rebalances and offset
  // commits happen within a test's deadlines.
  pollNameServerInteval: 1_000,
  heartbeatBrokerInterval: 1_000,
  rebalanceInterval: 1_000,
  persistConsumerOffsetInterval: 500,
};

process.on('uncaughtException', (err) => emit({ ev: 'uncaught', text: err.stack ?? String(err) }));
process.on('unhandledRejection', (err) => emit({ ev: 'uncaught', text: (err as Error)?.stack ?? String(err) }));

interface Command {
  op: 'send' | 'close';
  id?: number;
  topic?: string;
  tags?: string;
  keys?: string[];
  props?: Record<string, string>;
  body?: string;
  bodySize?: number;
}

function commands(handle: (c: Command) => Promise<void>): void {
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    void handle(JSON.parse(line) as Command).catch((err: unknown) => emit(errorEvent(err)));
  });
  // The test process went away: do not linger.
  rl.on('close', () => process.exit(0));
}

async function runProducer(): Promise<void> {
  const producer = new Producer({ ...common, producerGroup: config.group });
  producer.on('error', (err: unknown) => emit(errorEvent(err)));
  await producer.ready();
  emit({ ev: 'ready' });
  commands(async (c) => {
    if (c.op === 'close') {
      try {
        await producer.close();
        emit({ ev: 'closed' });
      } catch (err) {
        emit({ ev: 'closed', error: (err as Error).message });
      }
      process.exit(0);
    }
    const body = c.bodySize !== undefined ? Buffer.alloc(c.bodySize, 'x') : Buffer.from(c.body ?? '');
    const msg = new Message(c.topic as string, c.tags ?? null, body);
    if (c.keys) msg.keys = c.keys as unknown as string; // ali-ons' setter takes an array
    for (const [k, v] of Object.entries(c.props ?? {})) msg.properties[k] = v;
    try {
      const r = await producer.send(msg);
      emit({ ev: 'sent', id: c.id, msgId: r.msgId, status: r.sendStatus, queueId: Number(r.messageQueue.queueId), queueOffset: r.queueOffset });
    } catch (err) {
      const e = err as { name?: string; code?: unknown; message?: string };
      emit({ ev: 'sendFailed', id: c.id, name: e.name, code: e.code, text: e.message });
    }
  });
}

async function runConsumer(): Promise<void> {
  const topic = config.topic as string;
  const consumer = new Consumer({
    ...common,
    consumerGroup: config.group,
    isBroadcast: !!config.broadcast,
    // Broadcasting offsets in $HOME/.rocketmq_offsets_node/<clientId>/<group>/offsets.json.
    persistent: !!config.broadcast,
    ...(config.fromFirst ? { consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' } : {}),
    pullTimeDelayMillsWhenException: 500,
  });
  consumer.on('error', (err: unknown) => emit(errorEvent(err)));

  // Instrumentation only: report how CONSUMER_SEND_MSG_BACK (36) went; ali-ons hides it (it falls
  // back to re-sending the message to %RETRY%<group> itself when the broker refuses).
  const internals = consumer as unknown as {
    _mqClient: { clientId: string; consumerSendMessageBack: (...a: unknown[]) => Promise<void> };
  };
  const mqClient = internals._mqClient;
  const sendBack = mqClient.consumerSendMessageBack.bind(mqClient);
  mqClient.consumerSendMessageBack = async (...a: unknown[]) => {
    const msg = a[1] as Message;
    try {
      await sendBack(...a);
      emit({ ev: 'sendBack', ok: true, msgId: msg.msgId, brokerAddr: a[0], delayLevel: a[3] });
    } catch (err) {
      const e = err as { code?: unknown; message?: string };
      emit({ ev: 'sendBack', ok: false, msgId: msg.msgId, brokerAddr: a[0], code: e.code, text: e.message });
      throw err;
    }
  };

  const failed = new Set<string>();
  consumer.subscribe(topic, config.expression ?? '*', async (msg: Message) => {
    const body = msg.body ? msg.body.toString() : '';
    const seen = {
      topic: msg.topic,
      body: body.length > 64 ? `${body.slice(0, 16)}…(${body.length} bytes)` : body,
      bodyLength: body.length,
      tags: msg.tags,
      keys: msg.keys,
      properties: msg.properties,
      msgId: msg.msgId,
      reconsumeTimes: msg.reconsumeTimes,
      queueId: msg.queueId,
      queueOffset: msg.queueOffset,
      commitLogOffset: msg.commitLogOffset,
      storeHost: msg.storeHost,
      bornHost: msg.bornHost,
      originMessageId: msg.originMessageId,
      retryTopic: msg.retryTopic,
    };
    if (!failed.has(body) && (config.throwFirst?.includes(body) || config.retryFirst?.includes(body))) {
      failed.add(body);
      emit({ ev: 'failed', ...seen });
      if (config.retryFirst?.includes(body)) return Consumer.ACTION_RETRY;
      throw new Error(`first delivery of ${body} fails on purpose`);
    }
    emit({ ev: 'consumed', ...seen });
    return undefined;
  });

  // The queues this client pulls (its rebalance result), reported whenever they change.
  let last = '';
  const timer = setInterval(() => {
    const queues = [...consumer.processQueueTable.values()]
      .map((v) => v.messageQueue)
      .filter((q) => q.topic === topic)
      .map((q) => `${q.brokerName}:${q.queueId}`)
      .sort();
    const now = JSON.stringify(queues);
    if (now !== last) {
      last = now;
      emit({ ev: 'queues', queues });
    }
  }, 50);

  await consumer.ready();
  emit({ ev: 'ready', clientId: mqClient.clientId });
  commands(async (c) => {
    if (c.op !== 'close') return;
    clearInterval(timer);
    let error: string | undefined;
    try {
      await consumer.close();
    } catch (err) {
      error = (err as Error).message;
    }
    let offsetFile: { path: string; content: string } | undefined;
    if (config.broadcast) {
      const file = path.join(process.env.HOME ?? '', '.rocketmq_offsets_node', mqClient.clientId, config.group, 'offsets.json');
      offsetFile = { path: file, content: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '' };
    }
    emit({ ev: 'closed', error, offsetFile });
    process.exit(0);
  });
}

(config.role === 'producer' ? runProducer() : runConsumer()).catch((err: unknown) => {
  emit({ ev: 'fatal', text: (err as Error)?.stack ?? String(err) });
  process.exit(1);
});
