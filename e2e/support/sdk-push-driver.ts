/**
 * Runs the official client's PushConsumer in its own process: rocketmq-client-nodejs 1.0.8's
 * PushConsumer leaves a socket open after shutdown(), so a process that used one never exits.
 *
 * usage: sdk-push-driver <endpoint> <group> <topic> <expect> [--fail-first-every N] [--poison BODY] [--sql EXPR]
 *   --fail-first-every N: the first delivery of every message whose number is divisible by N fails
 *   --poison BODY:        the message with this body always fails
 *   --sql EXPR:           subscribe with this SQL92 expression instead of '*'
 * prints "consumed <body> <deliveryAttempt> <messageGroup|-> <epochMs>" per success,
 * "failed <body> <attempt> <messageGroup|-> <epochMs>" per failure, "overlap <group>" if two messages of one group are in the listener at once, and
 * exits once <expect> messages were consumed.
 */
import { ConsumeResult, FilterExpression, PushConsumer } from 'rocketmq-client-nodejs';
import { FilterType } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';
import { sdkLogger } from './sdk';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const [endpoint, group, topic, expect] = process.argv.slice(2) as [string, string, string, string];
  const failEvery = Number(flag('--fail-first-every') ?? 0);
  const poison = flag('--poison');
  const sql = flag('--sql');
  const failed = new Set<string>();
  const busy = new Set<string>();
  let consumed = 0;
  const c = new PushConsumer({
    namespace: '',
    logger: sdkLogger(group),
    endpoints: endpoint,
    consumerGroup: group,
    subscriptions: new Map<string, FilterExpression | string>([[topic, sql ? new FilterExpression(sql, FilterType.SQL) : '*']]),
    messageListener: {
      async consume(m) {
        const body = m.body.toString();
        const g = m.messageGroup ?? '';
        if (g && busy.has(g)) process.stdout.write(`overlap ${g}\n`);
        if (g) busy.add(g);
        await new Promise((r) => setTimeout(r, 2));
        if (g) busy.delete(g);
        const n = Number(body.split(/[-#]/)[1]);
        if (body === poison || (failEvery > 0 && n % failEvery === 0 && !failed.has(body))) {
          failed.add(body);
          process.stdout.write(`failed ${body} ${m.deliveryAttempt ?? 0} ${g || '-'} ${Date.now()}\n`);
          return ConsumeResult.FAILURE;
        }
        process.stdout.write(`consumed ${body} ${m.deliveryAttempt ?? 0} ${g || '-'} ${Date.now()}\n`);
        if (++consumed >= Number(expect)) setTimeout(() => process.exit(0), 200);
        return ConsumeResult.SUCCESS;
      },
    },
  });
  await c.startup();
  process.stdout.write('started\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
