/**
 * Runs the official client's SimpleConsumer in its own process, for tests that SIGKILL brokers
 * (see sdk-producer-driver.ts for why).
 *
 * usage: sdk-consumer-driver <endpoint> <group> <topic> create
 *          start (which creates the group on the broker), shut down, exit
 *        sdk-consumer-driver <endpoint> <group> <topic> drain <idleReceives>
 *          receive and ack until <idleReceives> receives in a row return nothing; prints
 *          "got <messageId> <deliveryAttempt>" per delivery, then "idle"
 */
import { SimpleConsumer } from 'rocketmq-client-nodejs';
import { sdkLogger } from './sdk';

const DEADLINE_MS = 180_000;
/** Messages per receive: large, so draining a backlog does not take a long poll per 32 messages. */
const DRAIN_BATCH = 256;

async function main(): Promise<void> {
  const [endpoint, group, topic, mode, idle] = process.argv.slice(2) as [string, string, string, string, string | undefined];
  const c = new SimpleConsumer({
    namespace: '',
    logger: sdkLogger(group),
    consumerGroup: group,
    endpoints: endpoint,
    subscriptions: new Map([[topic, '*']]),
    awaitDuration: 1_000,
  });
  await c.startup();
  if (mode === 'drain') {
    const deadline = Date.now() + DEADLINE_MS;
    let empty = 0;
    while (empty < Number(idle ?? 3) && Date.now() < deadline) {
      let batch;
      try {
        batch = await c.receive(DRAIN_BATCH, 30_000);
      } catch {
        await new Promise((r) => setTimeout(r, 500)); // reconnecting to a restarted broker
        continue;
      }
      empty = batch.length === 0 ? empty + 1 : 0;
      for (const m of batch) {
        await c.ack(m);
        process.stdout.write(`got ${m.messageId} ${m.deliveryAttempt ?? 0}\n`);
      }
    }
  }
  process.stdout.write('idle\n');
  await c.shutdown();
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
