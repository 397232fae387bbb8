/**
 * Runs the official client's Producer in its own process, for tests that SIGKILL the broker under
 * it: rocketmq-client-nodejs 1.0.8 can raise an uncaught exception when its broker dies (its
 * Telemetry stream listens for 'error' once), which must not take the test process down.
 *
 * usage: sdk-producer-driver <endpoint> <topic> <workers>
 * prints "acked <messageId>" for every acknowledged send; stops quietly when sends fail.
 */
import { Producer } from 'rocketmq-client-nodejs';
import { sdkLogger } from './sdk';

async function main(): Promise<void> {
  const [endpoint, topic, workers] = process.argv.slice(2) as [string, string, string];
  const p = new Producer({ namespace: '', logger: sdkLogger('driver'), endpoints: endpoint });
  await p.startup();
  process.stdout.write('started\n');
  await Promise.all(
    Array.from({ length: Number(workers) }, async (_, w) => {
      for (let i = 0; ; i++) {
        try {
          const r = await p.send({ topic, body: Buffer.from(`w${w}-${i}`) });
          process.stdout.write(`acked ${r.messageId}\n`);
        } catch {
          return;
        }
      }
    }),
  );
  process.stdout.write('stopped\n');
}

process.on('uncaughtException', () => process.exit(3));
main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
