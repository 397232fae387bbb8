#!/usr/bin/env node
/**
 * mqadmin: OrbitMQ's admin CLI with RocketMQ's command names and -n name server list.
 *   npm run mqadmin -- clusterList -n 127.0.0.1:9876
 * Output is a table, or JSON with --json. Errors are one line on stderr and exit code 1.
 */
import { toOrbitError } from '@orbitmq/protocol';
import yargs from 'yargs';
import { clusterList } from './commands/cluster-list';
import { topicList } from './commands/topic-list';
import { topicRoute } from './commands/topic-route';
import type { GlobalOptions, Output } from './context';

async function run(action: () => Promise<Output>, json: boolean): Promise<void> {
  const out = await action();
  process.stdout.write(`${json ? JSON.stringify(out.json, null, 2) : out.text}\n`);
}

function fail(err: unknown): never {
  const e = toOrbitError(err);
  process.stderr.write(`mqadmin: ${e.code}: ${e.message}\n`);
  process.exit(1);
}

void yargs(process.argv.slice(2))
  .scriptName('mqadmin')
  .usage('$0 <command> [options]')
  .option('namesrvAddr', { alias: 'n', type: 'string', default: process.env.NAMESRV_ADDR ?? '127.0.0.1:9876', describe: 'name servers, host:port[;host:port]' })
  .option('json', { type: 'boolean', default: false, describe: 'print JSON instead of a table' })
  .option('timeoutMs', { type: 'number', default: 3000, describe: 'deadline of each request' })
  .command('clusterList', 'list clusters, broker groups and their members', {}, (a) => run(() => clusterList(a as unknown as GlobalOptions), Boolean(a.json)).catch(fail))
  .command(
    'topicList',
    'list topics known to the name servers',
    (y) => y.option('cluster', { alias: 'c', type: 'string', describe: 'only topics of this cluster' }),
    (a) => run(() => topicList(a as unknown as GlobalOptions & { cluster?: string }), a.json).catch(fail),
  )
  .command(
    'topicRoute',
    'show the route of a topic',
    (y) => y.option('topic', { alias: 't', type: 'string', demandOption: true, describe: 'topic name' }),
    (a) => run(() => topicRoute(a as unknown as GlobalOptions & { topic: string }), a.json).catch(fail),
  )
  .demandCommand(1, 'name a command: clusterList, topicList, topicRoute')
  .strict()
  .fail((msg, err) => {
    if (err) fail(err);
    process.stderr.write(`mqadmin: ${msg}\n`);
    process.exit(1);
  })
  .help()
  .parseAsync();
