/**
 * Consumer state follows the log: receive/ack progress made on the master is on the replica
 * within about a second; when the master dies, consumers drain the rest from the replica without
 * getting acked messages again; when the master returns it takes back what was acked on the
 * replica before it serves (RocketMQ's "pre-online"), so nothing is delivered twice and no offset
 * rolls back (RocketMQ #1094).
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { clientEndpoint, startBroker, startNamesrv, startReplica } from '../support/cluster';
import { consumeInChild } from '../support/drivers';
import { AdminClient, internalAddress, waitCaughtUp } from '../support/ha';
import { eventually, grpcAddress, stopAll } from '../support/processes';
import { RawV2Client, codeOf, message } from '../support/raw-v2';

after(() => stopAll());

const NAME = 'broker-state';
const HA = ['--brokerName', NAME, '--brokerNotActiveTimeoutMillis', '10000', '--registerNameServerPeriod', '2000'];

/** Sum of a group's consumed offsets over the queues of a topic, as an admin sees it. */
async function consumed(admin: AdminClient, group: string, topic: string): Promise<number> {
  const p = await admin.progress(group);
  return p.queues.filter((q) => q.topic === topic).reduce((n, q) => n + Number(q.consumerOffset), 0);
}

test('acks made on the master are not redelivered by the replica; acks made on the replica are not redelivered by the returning master', async (t) => {
  const namesrv = await startNamesrv();
  const ns = grpcAddress(namesrv);
  let master = await startBroker(ns, { extra: [...HA, '--brokerRole', 'SYNC_MASTER'] });
  const listenPort = Number(master.ready.internalPort);
  const replica = await startReplica(ns, { extra: HA });
  const masterAdmin = new AdminClient(internalAddress(master));
  await waitCaughtUp(masterAdmin);

  const topic = 'StateTopic';
  const group = 'StateGroup';
  await consumeInChild(clientEndpoint(master), group, topic, 'create');
  const raw = new RawV2Client(clientEndpoint(master));
  const sent: string[] = [];
  for (let i = 0; i < 200; i++) {
    const m = message(topic, Buffer.from(`state-${i}`));
    assert.equal(codeOf((await raw.send([m])).status), 'OK');
    sent.push(m.systemProperties?.messageId ?? '');
  }
  // Receive and ack 100 on the master.
  const ackedOnMaster = new Set<string>();
  while (ackedOnMaster.size < 100) {
    const frames = await raw.receive(group, topic, Math.min(32, 100 - ackedOnMaster.size), 60_000, 2_000);
    for (const f of frames) {
      if (!f.message) continue;
      const id = f.message.systemProperties?.messageId ?? '';
      const ack = await raw.ack(group, topic, f.message.systemProperties?.receiptHandle ?? '', id);
      assert.equal(codeOf(ack.status), 'OK');
      ackedOnMaster.add(id);
    }
  }
  raw.close();
  // The replica has the group's progress (state frames), not a 60 s copy.
  const replicaAdmin = new AdminClient(internalAddress(replica));
  const target = await consumed(masterAdmin, group, topic);
  await eventually('the replica has the consumer progress', async () => ((await consumed(replicaAdmin, group, topic)) === target ? true : undefined), 5_000);
  masterAdmin.close();

  await master.kill('SIGKILL');
  const fromReplica = await consumeInChild(clientEndpoint(replica), group, topic, 'drain');
  const again = fromReplica.filter((id) => ackedOnMaster.has(id));
  t.diagnostic(`from the replica: ${fromReplica.length} messages, ${again.length} of them acked on the master before`);
  assert.equal(again.length, 0, 'acked on the master, delivered again by the replica');
  assert.deepEqual(new Set(fromReplica), new Set(sent.filter((id) => !ackedOnMaster.has(id))));
  const onReplica = await consumed(replicaAdmin, group, topic);
  replicaAdmin.close();

  // The master returns at the same internal address; the replica hands its acks back before it serves.
  master = await startBroker(ns, { storeDir: master.storeDir, listenPort, extra: [...HA, '--brokerRole', 'SYNC_MASTER'] });
  assert.ok(
    master.lines.some((l) => l.includes('pre-online: registered replicas handed their state back')),
    'the master waited for its replica',
  );
  const back = new AdminClient(internalAddress(master));
  assert.ok((await consumed(back, group, topic)) >= onReplica, 'no offset rolled back');
  back.close();
  const fromMaster = await consumeInChild(clientEndpoint(master), group, topic, 'drain');
  assert.deepEqual(fromMaster, [], 'the returning master delivered messages acked on the replica');
});

test('timer and transaction progress reach the replica: moved delayed messages and resolved transactions are gone there too', async () => {
  const namesrv = await startNamesrv();
  const ns = grpcAddress(namesrv);
  const ha = ['--brokerName', 'broker-progress', '--registerNameServerPeriod', '2000'];
  const master = await startBroker(ns, { extra: [...ha, '--brokerRole', 'SYNC_MASTER'] });
  const replica = await startReplica(ns, { extra: ha });
  const masterAdmin = new AdminClient(internalAddress(master));
  const replicaAdmin = new AdminClient(internalAddress(replica));
  await waitCaughtUp(masterAdmin);
  const raw = new RawV2Client(clientEndpoint(master));

  // 5 delayed messages due in 2 s, 10 due in an hour.
  const at = (ms: number) => ({ messageType: 'DELAY' as const, deliveryTimestamp: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 } });
  const soon = Date.now() + 2_000;
  const later = Date.now() + 3_600_000;
  const delayed = [
    ...Array.from({ length: 5 }, (_, i) => message('ProgressDelayTopic', Buffer.from(`soon-${i}`), at(soon))),
    ...Array.from({ length: 10 }, (_, i) => message('ProgressDelayTopic', Buffer.from(`later-${i}`), at(later))),
  ];
  for (const m of delayed) assert.equal(codeOf((await raw.send([m])).status), 'OK');
  // 6 transactions: 3 committed, 3 left open.
  const txns: { id: string; txn: string }[] = [];
  for (let i = 0; i < 6; i++) {
    const m = message('ProgressTxnTopic', Buffer.from(`txn-${i}`), { messageType: 'TRANSACTION' });
    const r = await raw.send([m]);
    assert.equal(codeOf(r.status), 'OK');
    txns.push({ id: m.systemProperties?.messageId ?? '', txn: r.entries[0]?.transactionId ?? '' });
  }
  for (const t of txns.slice(0, 3)) assert.equal(codeOf((await raw.endTransaction('ProgressTxnTopic', t.id, t.txn, 'COMMIT')).status), 'OK');
  raw.close();

  // The master moves the 5 due messages; the replica's timer index loses them too, not only its log.
  await eventually('the master moved the due messages', async () => (Number((await masterAdmin.scheduleStats()).pending) === 10 ? true : undefined), 20_000);
  await eventually('the replica saw them moved', async () => (Number((await replicaAdmin.scheduleStats()).pending) === 10 ? true : undefined), 10_000);
  const open = async (admin: AdminClient) => (await admin.pendingTransactions('ProgressTxnTopic')).transactions.map((t) => t.messageId).sort();
  const masterOpen = await open(masterAdmin);
  assert.deepEqual(
    masterOpen,
    txns
      .slice(3)
      .map((t) => t.id)
      .sort(),
  );
  await eventually(
    'the replica has the same open transactions',
    async () => (JSON.stringify(await open(replicaAdmin)) === JSON.stringify(masterOpen) ? true : undefined),
    10_000,
  );
  // The replica serves reads only: a send or a transaction's end is refused with a clear code.
  const onReplica = new RawV2Client(clientEndpoint(replica));
  const refusedSend = await onReplica.send([message('ProgressTxnTopic', Buffer.from('to a replica'))]);
  assert.equal(codeOf(refusedSend.status), 'FORBIDDEN');
  assert.match(refusedSend.status?.message ?? '', /replica/);
  const last = txns[5] as { id: string; txn: string };
  assert.equal(codeOf((await onReplica.endTransaction('ProgressTxnTopic', last.id, last.txn, 'COMMIT')).status), 'FORBIDDEN');
  onReplica.close();
  masterAdmin.close();
  replicaAdmin.close();
});
