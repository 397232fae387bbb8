#!/usr/bin/env node
/**
 * mqadmin: OrbitMQ's admin CLI with RocketMQ's command names and -n name server list.
 *   npm run mqadmin -- clusterList -n 127.0.0.1:9876
 *   npm run mqadmin -- haStatus -c DefaultCluster     (replication of every master and replica; or -b host:port)
 * Output is a table, or JSON with --json. Errors are one line on stderr and exit code 1.
 */
import { toOrbitError } from '@orbitmq/protocol';
import { useClientTls } from '@orbitmq/rpc';
import yargs from 'yargs';
import * as admin from './commands/admin';
import { clusterList } from './commands/cluster-list';
import { queryMsgByOffset, resendMessages } from './commands/delivery';
import { haStatus } from './commands/ha-status';
import { consumeMessage, sendMessage } from './commands/messages';
import { topicList } from './commands/topic-list';
import { topicRoute } from './commands/topic-route';
import type { GlobalOptions, Output } from './context';

async function run(action: () => Promise<Output>, json: boolean): Promise<void> {
  const out = await action();
  process.stdout.write(`${json ? JSON.stringify(out.json, null, 2) : out.text}\n`);
  if (out.exitCode) process.exitCode = out.exitCode;
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
  .option('tls', { type: 'boolean', default: false, describe: 'connect with TLS (name servers and brokers with tlsServerMode permissive or enforcing)' })
  .option('tlsTrustCertPath', { type: 'string', describe: 'PEM CA the servers chain to (default: the system roots)' })
  .middleware((a) => useClientTls(a.tls ? (a.tlsTrustCertPath ? { trustCertFile: String(a.tlsTrustCertPath) } : {}) : undefined))
  .option('accessKey', {
    type: 'string',
    default: process.env.ORBITMQ_ACCESS_KEY,
    describe: 'ACL admin account for brokers with aclEnable (env ORBITMQ_ACCESS_KEY)',
  })
  .option('secretKey', {
    type: 'string',
    default: process.env.ORBITMQ_SECRET_KEY,
    describe: 'its secret (env ORBITMQ_SECRET_KEY; prefer the env over the command line)',
  })
  .command('clusterList', 'list clusters, broker groups and their members', {}, (a) =>
    run(() => clusterList(a as unknown as GlobalOptions), Boolean(a.json)).catch(fail),
  )
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
  .option('brokerAddr', { alias: 'b', type: 'string', describe: "a broker's internal address (host:port)" })
  .option('cluster', { alias: 'c', type: 'string', describe: 'every master of this cluster' })
  .command(
    'updateTopic',
    'create or update a topic',
    (y) =>
      y
        .option('topic', { alias: 't', type: 'string', demandOption: true })
        .option('readQueueNums', { alias: 'r', type: 'number', default: 8 })
        .option('writeQueueNums', { alias: 'w', type: 'number', default: 8 })
        .option('perm', { alias: 'p', type: 'number', default: 6, describe: '2 write, 4 read, 6 both' })
        .option('messageType', { alias: 'a', type: 'string', default: 'MIXED', choices: ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED'] }),
    (a) => run(() => admin.updateTopic(a as never), a.json).catch(fail),
  )
  .command(
    'deleteTopic',
    'delete a topic on its brokers',
    (y) => y.option('topic', { alias: 't', type: 'string', demandOption: true }),
    (a) => run(() => admin.deleteTopic(a as never), a.json).catch(fail),
  )
  .command(
    'topicStatus',
    'min/max offsets of every queue of a topic',
    (y) => y.option('topic', { alias: 't', type: 'string', demandOption: true }),
    (a) => run(() => admin.topicStatus(a as never), a.json).catch(fail),
  )
  .command(
    'updateSubGroup',
    'create or update a subscription group',
    (y) =>
      y
        .option('group', { alias: 'g', type: 'string', demandOption: true })
        .option('maxDeliveryAttempts', { alias: 'r', type: 'number', describe: 'deliveries before %DLQ%<group> (RocketMQ retryMaxTimes + 1)' })
        .option('ordering', { alias: 'o', type: 'string', choices: ['auto', 'ordered', 'unordered'] })
        .option('consumeFromWhere', { type: 'string', choices: ['CONSUME_FROM_LAST_OFFSET', 'CONSUME_FROM_FIRST_OFFSET', 'CONSUME_FROM_TIMESTAMP'] })
        .option('consumeTimestampMs', { type: 'number' })
        .option('retryBackoffMs', { type: 'string', describe: 'nack back-off by attempt, e.g. 10000,30000,60000 (last repeats)' })
        .option('consumeEnable', { alias: 's', type: 'boolean', default: true }),
    (a) => run(() => admin.updateSubGroup(a as never), a.json).catch(fail),
  )
  .command(
    'deleteSubGroup',
    'delete a subscription group',
    (y) => y.option('group', { alias: 'g', type: 'string', demandOption: true }),
    (a) => run(() => admin.deleteSubGroup(a as never), a.json).catch(fail),
  )
  .command(
    'consumerProgress',
    "a group's offsets, in-flight messages and lag per queue",
    (y) => y.option('group', { alias: 'g', type: 'string', demandOption: true }).option('topic', { alias: 't', type: 'string' }),
    (a) => run(() => admin.consumerProgress(a as never), a.json).catch(fail),
  )
  .command(
    'consumerConnection',
    'clients consuming as a group',
    (y) => y.option('group', { alias: 'g', type: 'string', demandOption: true }),
    (a) => run(() => admin.connections(a as never), a.json).catch(fail),
  )
  .command(
    'producerConnection',
    'producers (optionally of a topic)',
    (y) => y.option('topic', { alias: 't', type: 'string' }),
    (a) => run(() => admin.connections({ ...(a as never as object), clientType: 'PRODUCER' } as never), a.json).catch(fail),
  )
  .command(
    'queryMsgById',
    'find a message by its message id, or by a 4.x offsetMsgId (32 hex digits: broker address + commit-log offset)',
    (y) => y.option('msgId', { alias: 'i', type: 'string', demandOption: true }),
    (a) => run(() => admin.queryMsgById(a as never), a.json).catch(fail),
  )
  .command(
    'queryMsgByOffset',
    "the message at a queue offset and each group's delivery state (consumed, in flight, retrying, dead-lettered)",
    (y) =>
      y
        .option('topic', { alias: 't', type: 'string', demandOption: true })
        .option('queueId', { alias: 'i', type: 'number', demandOption: true })
        .option('offset', { alias: 'o', type: 'number', demandOption: true })
        .option('brokerName', { type: 'string', describe: 'only this master (default: every master serving the topic)' }),
    (a) => run(() => queryMsgByOffset(a as never), a.json).catch(fail),
  )
  .command(
    'resendMessages',
    'send stored messages of a queue (a %DLQ% topic) again as new messages, to --to or where each came from',
    (y) =>
      y
        .option('topic', { alias: 't', type: 'string', demandOption: true })
        .option('queueId', { alias: 'i', type: 'number', default: 0 })
        .option('offsets', { alias: 'o', type: 'string', demandOption: true, describe: 'e.g. 0-3,7 (at most 64)' })
        .option('to', { type: 'string', describe: 'target topic (default: the topic each message came from)' })
        .option('brokerName', { type: 'string', describe: 'the master holding the queue (default: the first serving the topic)' }),
    (a) => run(() => resendMessages(a as never), a.json).catch(fail),
  )
  .command(
    'queryMsgByKey',
    'find messages by key (optionally within a time range)',
    (y) =>
      y
        .option('topic', { alias: 't', type: 'string', demandOption: true })
        .option('msgKey', { alias: 'k', type: 'string', demandOption: true })
        .option('beginTimestamp', { alias: 'f', type: 'number' })
        .option('endTimestamp', { alias: 'e', type: 'number' })
        .option('maxNum', { alias: 'm', type: 'number', default: 64 }),
    (a) =>
      run(
        () =>
          admin.queryMessages({
            ...(a as never as object),
            key: a.msgKey,
            beginTimestampMs: a.beginTimestamp,
            endTimestampMs: a.endTimestamp,
            maxResults: a.maxNum,
          } as never),
        a.json,
      ).catch(fail),
  )
  .command(
    'resetOffsetByTime',
    "move a group's offsets to a point in time (ms since epoch or a date)",
    (y) =>
      y
        .option('group', { alias: 'g', type: 'string', demandOption: true })
        .option('topic', { alias: 't', type: 'string', demandOption: true })
        .option('timestamp', { alias: 's', type: 'string', demandOption: true })
        .option('dryRun', { type: 'boolean', default: false, describe: 'show where the offsets would move (and where they are), change nothing' }),
    (a) => run(() => admin.resetOffsetByTime(a as never), a.json).catch(fail),
  )
  .command(
    'sendMessage',
    'send one message (RocketMQ 5 protocol) to the topic',
    (y) =>
      y
        .option('topic', { alias: 't', type: 'string', demandOption: true })
        .option('body', { alias: 'p', type: 'string', demandOption: true })
        .option('keys', { alias: 'k', type: 'string', describe: 'comma-separated' })
        .option('tag', { type: 'string' }),
    (a) => run(() => sendMessage(a as never), a.json).catch(fail),
  )
  .command(
    'consumeMessage',
    'print messages of a topic from the beginning of its queues (nothing is committed)',
    (y) =>
      y
        .option('topic', { alias: 't', type: 'string', demandOption: true })
        .option('group', { alias: 'g', type: 'string', default: 'MQADMIN_CONSUMER' })
        .option('count', { type: 'number', default: 32 })
        .option('tag', { type: 'string' }),
    (a) => run(() => consumeMessage(a as never), a.json).catch(fail),
  )
  .command(
    'pendingTransactions',
    'half messages awaiting commit or rollback (of a topic, or all)',
    (y) => y.option('topic', { alias: 't', type: 'string' }).option('limit', { type: 'number', default: 100 }),
    (a) => run(() => admin.pendingTransactions(a as never), a.json).catch(fail),
  )
  .command('scheduleStats', 'pending delayed messages by due-time bucket', {}, (a) => run(() => admin.scheduleStats(a as never), Boolean(a.json)).catch(fail))
  .command('brokerStatus', "a broker's runtime figures", {}, (a) => run(() => admin.brokerStatus(a as never), Boolean(a.json)).catch(fail))
  .command(
    'haStatus',
    'replication state: each master with its replicas, each replica with its master stream',
    (y) => y.option('cluster', { type: 'string', describe: 'every member (masters and replicas) of this cluster (default: all clusters)' }),
    (a) => run(() => haStatus(a as never), a.json).catch(fail),
  )
  .command('getBrokerConfig', "a broker's effective configuration", {}, (a) => run(() => admin.getBrokerConfig(a as never), Boolean(a.json)).catch(fail))
  .command(
    'updateBrokerConfig',
    'change a setting of running brokers (retention, disk limits, auto-creation), kept in their -c file',
    (y) => y.option('key', { alias: 'k', type: 'string', demandOption: true }).option('value', { alias: 'v', type: 'string', demandOption: true }),
    (a) => run(() => admin.updateBrokerConfig(a as never), Boolean(a.json)).catch(fail),
  )
  .demandCommand(1, 'name a command (see --help)')
  .strict()
  .fail((msg, err) => {
    if (err) fail(err);
    process.stderr.write(`mqadmin: ${msg}\n`);
    process.exit(1);
  })
  .help()
  .parseAsync();
