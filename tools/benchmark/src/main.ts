#!/usr/bin/env node
/**
 * orbitmq-benchmark: load against a running cluster over the RocketMQ 5 protocol.
 *   npm run benchmark -- producer --durationSec 10 --batch 64 --concurrency 16
 *   npm run benchmark -- consumer --mode pull --from earliest --count 200000
 *   npm run benchmark -- e2e --rate 5000 --batch 1 --durationSec 30
 *   npm run benchmark -- delay --count 20000 --loadRate 5000
 * Prints progress every second, a summary, and as its last line one JSON object for scripts.
 */
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { runDelay } from './delay-workload';
import { type RunOptions, type Workload, runWorkload } from './workloads';

/** Exit status of a run that completed but had failed requests or missed messages. */
const EXIT_INCOMPLETE = 3;

function finish(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  const missed = result.workload === 'e2e' && Number(result.received) < Number(result.sent);
  if (Number(result.failures) > 0 || missed) process.exitCode = EXIT_INCOMPLETE;
}

function fail(err: unknown): never {
  process.stderr.write(`benchmark: ${(err as Error).message}\n`);
  process.exit(1);
}

/** Options of the producer, consumer and e2e workloads. */
function loadOptions<T>(y: Argv<T>) {
  return y
    .option('topic', { type: 'string', default: 'BenchTopic' })
    .option('group', { type: 'string', default: 'BenchGroup', describe: 'consumer group (receive mode)' })
    .option('count', { type: 'number', default: 0, describe: 'messages to send (producer, e2e) or receive (consumer); 0: run --durationSec' })
    .option('durationSec', { type: 'number', describe: 'run time (default 10 s); with --count, the most it may take (default 600 s)' })
    .option('concurrency', { type: 'number', default: 16, describe: 'send requests in flight' })
    .option('receivers', { type: 'number', default: 4, describe: 'receive mode: receive calls in flight (pull mode: one per queue)' })
    .option('warmupSec', { type: 'number', default: 0, describe: 'leave the first seconds out of rates and percentiles' })
    .option('rate', { type: 'number', default: 0, describe: 'target send rate, msg/s (0: unpaced)' })
    .option('mode', {
      choices: ['receive', 'pull'] as const,
      default: 'receive' as const,
      describe: 'consumer: receive/ack (SimpleConsumer path) or offset pull',
    })
    .option('properties', {
      type: 'number',
      default: 0,
      describe: 'give each message tag T<seq%10> and properties n=seq%100, region, padding (this many in all; 0: none)',
    })
    .option('sql', { type: 'string', default: '', describe: 'consumer (receive mode): subscribe with this SQL92 expression' })
    .option('tags', { type: 'string', default: '', describe: "consumer (receive mode): subscribe with this tag expression, e.g. 'T1||T2'" })
    .option('pullDepth', { type: 'number', default: 1, describe: 'pull mode: pulls in flight per queue (consecutive offsets, a prefetch)' })
    .option('receiveBatch', { type: 'number', default: 64, describe: 'messages per receive or pull call' })
    .option('from', {
      choices: ['earliest', 'latest'] as const,
      default: 'latest' as const,
      describe:
        'where the consumer starts: pull mode at the first or next offset of each queue; receive mode: earliest commits the group to the queue starts first',
    })
    .option('protocol', {
      choices: ['grpc', 'remoting'] as const,
      default: 'grpc' as const,
      describe: 'grpc: RocketMQ 5 to a broker (--endpoint its client port); remoting: RocketMQ 4.x (--endpoint a name server, e.g. 127.0.0.1:9876)',
    })
    .option('sdk', {
      type: 'boolean',
      default: false,
      describe: 'send with the official rocketmq-client-nodejs Producer: one message per call, --concurrency calls in flight, --batch ignored',
    })
    .check((parsed) => {
      const a = parsed as typeof parsed & { size: number; batch: number };
      if (!(
        a.size >= 0 &&
        a.batch >= 1 &&
        a.batch <= 1024 &&
        a.concurrency >= 1 &&
        a.receivers >= 1 &&
        a.pullDepth >= 1 &&
        a.receiveBatch >= 1 &&
        a.receiveBatch <= 1024 &&
        a.rate >= 0 &&
        a.warmupSec >= 0 &&
        a.count >= 0 &&
        (a.durationSec === undefined || a.durationSec > 0)
      )) {
        throw new Error(
          'need size ≥ 0, batch 1-1024, concurrency ≥ 1, receivers ≥ 1, pullDepth ≥ 1, receiveBatch 1-1024, rate ≥ 0, warmupSec ≥ 0, count ≥ 0, durationSec > 0',
        );
      }
      return true;
    });
}

function run(kind: Workload, a: Record<string, unknown>): Promise<void> {
  return runWorkload(kind, { ...(a as unknown as RunOptions), metricsUrl: (a.metricsUrl as string) || undefined })
    .then(finish)
    .catch(fail);
}

void yargs(process.argv.slice(2))
  .scriptName('benchmark')
  .usage('$0 <workload> [options]')
  .option('endpoint', { type: 'string', default: '127.0.0.1:8081', describe: "a broker's client endpoint (host:port)" })
  .option('metricsUrl', { type: 'string', default: 'http://127.0.0.1:5557/metrics', describe: "the broker's Prometheus endpoint (for its RSS); '' to skip" })
  .option('size', { type: 'number', default: 1024, describe: 'body bytes' })
  .option('batch', { type: 'number', default: 32, describe: 'messages per SendMessage request' })
  .command(
    'producer',
    'send as fast as the window allows (or at --rate); latency = send round trip',
    (y) => loadOptions(y),
    (a) => run('producer', a),
  )
  .command(
    'consumer',
    'receive what is stored or arrives (--mode receive|pull); --count stops after that many',
    (y) => loadOptions(y),
    (a) => run('consumer', a),
  )
  .command(
    'e2e',
    'send and receive at once; latency = sent → received',
    (y) => loadOptions(y),
    (a) => run('e2e', a),
  )
  .command(
    'delay',
    'delay precision under load: delayed messages due over a window while a normal load runs',
    (y) =>
      y
        .option('topic', { type: 'string', default: 'BenchDelayTopic' })
        .option('group', { type: 'string', default: 'BenchDelayGroup' })
        .option('count', { type: 'number', default: 20_000, describe: 'delayed messages' })
        .option('minDelayMs', { type: 'number', default: 3_000 })
        .option('spreadMs', { type: 'number', default: 20_000, describe: 'due times spread over this window' })
        .option('loadRate', { type: 'number', default: 10_000, describe: 'normal messages/s sent meanwhile (0: none)' })
        .option('loadConsume', { type: 'boolean', default: false, describe: 'also receive/ack the load' }),
    (a) =>
      runDelay({ ...a, metricsUrl: a.metricsUrl || undefined } as never)
        .then(finish)
        .catch(fail),
  )
  .demandCommand(1, 'name a workload (see --help)')
  .strict()
  .showHelpOnFail(false, 'see --help for the options')
  .help()
  .parseAsync();
