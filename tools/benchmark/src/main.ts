#!/usr/bin/env node
/**
 * orbitmq-benchmark: load against a running cluster over the RocketMQ 5 protocol.
 *   npm run benchmark -- delay --endpoint 127.0.0.1:8081 --count 20000 --loadRate 20000
 * Prints progress every second, a summary, and as its last line one JSON object for scripts.
 */
import yargs from 'yargs';
import { runDelay } from './delay-workload';

function finish(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function fail(err: unknown): never {
  process.stderr.write(`benchmark: ${(err as Error).message}\n`);
  process.exit(1);
}

void yargs(process.argv.slice(2))
  .scriptName('benchmark')
  .usage('$0 <workload> [options]')
  .option('endpoint', { type: 'string', default: '127.0.0.1:8081', describe: "a broker's client endpoint (host:port)" })
  .option('metricsUrl', { type: 'string', default: 'http://127.0.0.1:5557/metrics', describe: "the broker's Prometheus endpoint (for its RSS); '' to skip" })
  .option('size', { type: 'number', default: 1024, describe: 'body bytes' })
  .option('batch', { type: 'number', default: 32, describe: 'messages per SendMessage request' })
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
  .help()
  .parseAsync();
