/**
 * The filter-server tier as an operator sees it: filter servers come and go (SIGKILL, new ones,
 * all gone) while an official-client SQL92 consumer runs, and nothing is lost, nothing unfiltered
 * is delivered, work moves to the live servers, the broker falls back to evaluating itself when
 * none is left, and (filterServerFallback=reject) refuses instead until one returns.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FilterExpression, Producer, SimpleConsumer } from 'rocketmq-client-nodejs';
import { FilterType } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { clientEndpoint, startBroker, startFilterServer, startNamesrv } from '../support/cluster';
import { internalAddress } from '../support/ha';
import { type AppProcess, eventually, grpcAddress, stopAll } from '../support/processes';
import { RawV2Client, codeOf } from '../support/raw-v2';
import { counterSum, metricsOf } from '../support/metrics';
import { sdkLogger } from '../support/sdk';

/** Short timings so expiry and circuit breaking happen within a test. */
const BROKER_FILTER_ARGS = ['--filterServerExpiryMs', '3000', '--filterCircuitBreakMs', '1000', '--filterMatchTimeoutMs', '2000'];
const REGISTER_INTERVAL_MS = 500;

let namesrvAddr: string;
let broker: AppProcess;
let endpoint: string;
const shutdowns: (() => Promise<unknown>)[] = [];

before(async () => {
  const namesrv = await startNamesrv();
  namesrvAddr = grpcAddress(namesrv);
  broker = await startBroker(namesrvAddr, { extra: BROKER_FILTER_ARGS });
  endpoint = clientEndpoint(broker);
});

after(async () => {
  for (const s of shutdowns.reverse()) await s().catch(() => undefined);
  await stopAll();
});

const evaluatedBy = async (fs: AppProcess): Promise<number> => counterSum(await metricsOf(fs), 'orbitmq_filter_server_evaluated_total');
const liveFilterServers = async (): Promise<number> => counterSum(await metricsOf(broker), 'orbitmq_filter_servers');

/** A SQL92 consumer that receives and acks in the background, checking every message against the expression. */
class Consumption {
  readonly got = new Map<number, number>();
  readonly unfiltered: number[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly c: SimpleConsumer) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (this.running) {
      for (const v of await this.c.receive(64, 30_000)) {
        const i = Number(v.body.toString().slice(2));
        if (i % 10 >= 3) this.unfiltered.push(i);
        this.got.set(i, (this.got.get(i) ?? 0) + 1);
        await this.c.ack(v);
      }
    }
  }

  async until(count: number, what: string): Promise<void> {
    await eventually(what, async () => (this.got.size >= count ? true : undefined), 60_000, 50);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

/** Messages m-<i> with property n = i % 10; the consumers select n < 3. */
class Sender {
  next = 0;
  constructor(private readonly p: Producer) {}
  async send(count: number): Promise<void> {
    for (let k = 0; k < count; k++, this.next++) {
      await this.p.send({ topic: 'E2EFilterTierTopic', properties: new Map([['n', String(this.next % 10)]]), body: Buffer.from(`m-${this.next}`) });
    }
  }
  /** How many of the messages sent so far match n < 3. */
  get matching(): number {
    return Math.floor(this.next / 10) * 3 + Math.min(this.next % 10, 3);
  }
}

test('filter servers come and go under load: killed, added, all gone, back again; nothing lost, nothing unfiltered', async () => {
  const fs1 = await startFilterServer({ namesrvAddr, registerIntervalMs: REGISTER_INTERVAL_MS });
  const fs2 = await startFilterServer({ namesrvAddr, registerIntervalMs: REGISTER_INTERVAL_MS });
  await eventually('two filter servers registered', async () => ((await liveFilterServers()) === 2 ? true : undefined), 15_000);
  const consumer = new SimpleConsumer({
    namespace: '',
    logger: sdkLogger('tier'),
    consumerGroup: 'FilterTierGroup',
    endpoints: endpoint,
    subscriptions: new Map([['E2EFilterTierTopic', new FilterExpression('n < 3', FilterType.SQL)]]),
    awaitDuration: 1_000,
  });
  await consumer.startup();
  shutdowns.push(() => consumer.shutdown());
  const producer = new Producer({ namespace: '', logger: sdkLogger('producer'), endpoints: endpoint });
  await producer.startup();
  shutdowns.push(() => producer.shutdown());
  const sender = new Sender(producer);
  const run = new Consumption(consumer);

  // 1. Both servers share the work; SIGKILL one mid-consumption: the survivor takes over.
  await sender.send(600);
  await run.until(60, 'consumption under way');
  await fs1.kill('SIGKILL');
  const survivorBefore = await evaluatedBy(fs2);
  await sender.send(600);
  await run.until(sender.matching, 'everything after the kill');
  assert.ok((await evaluatedBy(fs2)) > survivorBefore, 'the survivor evaluated after the kill');

  // 2. A new server gets work within a registration period.
  const fs3 = await startFilterServer({ namesrvAddr, registerIntervalMs: REGISTER_INTERVAL_MS });
  await eventually(
    'the new filter server evaluates',
    async () => {
      await sender.send(50);
      return (await evaluatedBy(fs3)) > 0 ? true : undefined;
    },
    20_000,
    REGISTER_INTERVAL_MS,
  );

  // 3. All gone: the broker evaluates itself (filterServerFallback=local) and consumption goes on.
  await fs2.kill('SIGKILL');
  await fs3.kill('SIGKILL');
  const fallbacksBefore = counterSum(await metricsOf(broker), 'orbitmq_filter_local_fallback_total');
  await sender.send(400);
  await run.until(sender.matching, 'everything with no filter server alive');
  // The killed servers stop heartbeating: the broker drops them after filterServerExpiryMs.
  await eventually('the dead filter servers expired', async () => ((await liveFilterServers()) === 0 ? true : undefined), 15_000, 200);
  assert.ok(counterSum(await metricsOf(broker), 'orbitmq_filter_local_fallback_total') > fallbacksBefore, 'fallback windows counted');

  // 4. One returns: work goes back to it.
  const fs4 = await startFilterServer({ namesrvAddr, registerIntervalMs: REGISTER_INTERVAL_MS });
  await eventually(
    'the returning filter server evaluates',
    async () => {
      await sender.send(50);
      return (await evaluatedBy(fs4)) > 0 ? true : undefined;
    },
    20_000,
    REGISTER_INTERVAL_MS,
  );
  await run.until(sender.matching, 'everything');
  await run.stop();

  const want = Array.from({ length: sender.next }, (_, i) => i).filter((i) => i % 10 < 3);
  assert.deepEqual(run.unfiltered, [], 'no message that fails n < 3 was delivered');
  assert.deepEqual(
    [...run.got.keys()].sort((a, b) => a - b),
    want,
    'every matching message arrived',
  );
  assert.deepEqual(
    [...run.got.entries()].filter(([, n]) => n > 1),
    [],
    'none twice',
  );
});

test('filterServerFallback=reject: with no filter server a SQL92 receive is refused (50400) and nothing is consumed; served once one registers', async () => {
  const namesrv = await startNamesrv();
  const strict = await startBroker(grpcAddress(namesrv), { extra: [...BROKER_FILTER_ARGS, '--filterServerFallback', 'reject'] });
  const strictEndpoint = clientEndpoint(strict);
  const raw = new RawV2Client(strictEndpoint);
  try {
    const producer = new Producer({ namespace: '', logger: sdkLogger('strict-producer'), endpoints: strictEndpoint });
    await producer.startup();
    shutdowns.push(() => producer.shutdown());
    const topic = 'E2EFilterRejectTopic';
    const sql = { type: 'SQL' as const, expression: "color = 'blue'" };
    // The topic, then the group (it starts at its creation time), then the messages.
    await producer.send({ topic, properties: new Map([['color', 'none']]), body: Buffer.from('warm-up') });
    await raw.receive('RejectGroup', topic, 16, 30_000, 0, { type: 'TAG', expression: 'no-such-tag' });
    for (let i = 0; i < 20; i++) await producer.send({ topic, properties: new Map([['color', i % 2 ? 'blue' : 'red']]), body: Buffer.from(`m-${i}`) });
    const refused = await raw.receive('RejectGroup', topic, 16, 30_000, 500, sql);
    assert.equal(codeOf(refused[0]?.status), 'PROXY_TIMEOUT');
    assert.match(refused[0]?.status?.message ?? '', /filterServerFallback=reject/);

    await startFilterServer({ brokerAddr: internalAddress(strict), registerIntervalMs: REGISTER_INTERVAL_MS });
    const got: string[] = [];
    await eventually(
      'served once a filter server registered',
      async () => {
        const frames = await raw.receive('RejectGroup', topic, 16, 30_000, 500, sql);
        for (const f of frames) if (f.message) got.push(f.message.body.toString());
        return got.length >= 10 ? true : undefined;
      },
      20_000,
      REGISTER_INTERVAL_MS,
    );
    assert.deepEqual(got.sort(), Array.from({ length: 10 }, (_, k) => `m-${2 * k + 1}`).sort(), 'the blue ones, none lost to the refusals');
  } finally {
    raw.close();
  }
});
