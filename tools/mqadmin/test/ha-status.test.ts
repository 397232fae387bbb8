import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { v1 } from '@orbitmq/protocol';
import { type HaStatusResult, formatHaStatus, haStatusRows } from '../src/commands/ha-status';

function replica(over: Partial<v1.HaReplicaStatus__Output>): v1.HaReplicaStatus__Output {
  return {
    brokerId: 1,
    address: '127.0.0.1:40000',
    clientEndpoint: '127.0.0.1:8091',
    state: 'transferring',
    inSync: true,
    reason: '',
    ackedWrittenOffset: '4096',
    ackedDurableOffset: '4096',
    lagBytes: '0',
    lagMs: '0',
    lastAckAgeMs: '120',
    ...over,
  };
}

const master: v1.GetHaStatusResponse__Output = {
  brokerName: 'broker-a',
  brokerId: 0,
  role: 'SYNC_MASTER',
  endOffset: '8192',
  confirmOffset: '4096',
  epoch: '3',
  replicas: [
    replica({ brokerId: 2, state: 'snapshot', inSync: false, reason: 'catching up', ackedDurableOffset: '0', lagBytes: '8192', lagMs: '1500' }),
    replica({}),
  ],
  follower: null,
};

const slave: v1.GetHaStatusResponse__Output = {
  brokerName: 'broker-a',
  brokerId: 1,
  role: 'SLAVE',
  endOffset: '4096',
  confirmOffset: '4096',
  epoch: '3',
  replicas: [],
  follower: {
    state: 'transferring',
    reason: '',
    masterAddress: '127.0.0.1:10911',
    masterEndOffset: '8192',
    confirmOffset: '4096',
    endOffset: '4096',
    lagBytes: '4096',
    masterEpoch: '3',
    lastFrameAgeMs: '10',
  },
};

test('a master gives one row per replica, ordered by replica brokerId; a replica one row of its stream', () => {
  const { masters, replicas } = haStatusRows([
    { target: { brokerName: 'broker-a', brokerId: 0, address: 'm' }, status: master },
    { target: { brokerName: 'broker-a', brokerId: 1, address: 's' }, status: slave },
  ]);
  assert.deepEqual(masters, [
    ['broker-a', 0, 'SYNC_MASTER', 1, 'transferring', 'yes', '-', '4096', '0', '0', '8192', '4096'],
    ['broker-a', 0, 'SYNC_MASTER', 2, 'snapshot', 'no', 'catching up', '0', '8192', '1500', '8192', '4096'],
  ]);
  assert.deepEqual(replicas, [['broker-a', 1, 'SLAVE', 'transferring', '-', '127.0.0.1:10911', '8192', '4096', '4096', '3']]);
});

test('a master without replicas still has a row; a replica without follower status says so', () => {
  const { masters, replicas } = haStatusRows([
    { target: { brokerName: 'broker-b', address: 'm' }, status: { ...master, brokerName: 'broker-b', role: 'ASYNC_MASTER', replicas: [] } },
    { target: { brokerName: 'broker-b', address: 's' }, status: { ...slave, brokerName: 'broker-b', follower: null } },
  ]);
  assert.deepEqual(masters, [['broker-b', 0, 'ASYNC_MASTER', '-', 'no replica', '-', '-', '-', '-', '-', '8192', '4096']]);
  assert.deepEqual(replicas, [['broker-b', 1, 'SLAVE', '-', 'no follower status', '-', '-', '4096', '-', '-']]);
});

test('a member that does not answer is reported as ERROR with the error, never with zero figures', () => {
  const results: HaStatusResult[] = [
    { target: { brokerName: 'broker-a', brokerId: 0, address: '127.0.0.1:10911' }, error: 'DEADLINE_EXCEEDED: no answer in 3000 ms' },
    { target: { brokerName: 'broker-a', brokerId: 1, address: '127.0.0.1:10921' }, error: 'UNAVAILABLE: connection refused' },
  ];
  const { masters, replicas } = haStatusRows(results);
  assert.deepEqual(masters, [['broker-a', 0, 'MASTER', '-', 'ERROR', '-', 'DEADLINE_EXCEEDED: no answer in 3000 ms', '-', '-', '-', '-', '-']]);
  assert.deepEqual(replicas, [['broker-a', 1, 'SLAVE', 'ERROR', 'UNAVAILABLE: connection refused', '-', '-', '-', '-', '-']]);
  for (const row of [...masters, ...replicas]) assert.ok(!row.slice(3).includes('0') && !row.slice(3).includes(0), `no zero in ${row.join(' ')}`);
  assert.match(formatHaStatus(results), /\n\nGetHaStatus failed on 2 of 2 brokers$/);
});

test('text output: the masters table, a blank line, then the replicas table', () => {
  const out = formatHaStatus([
    { target: { brokerName: 'broker-a', brokerId: 0, address: 'm' }, status: { ...master, replicas: [replica({})] } },
    { target: { brokerName: 'broker-a', brokerId: 1, address: 's' }, status: slave },
  ]);
  assert.equal(
    out,
    [
      '#Broker Name  #BID  #Role        #Replica BID  #State        #In Sync  #Reason  #Acked Durable Offset  #Lag Bytes  #Lag Ms  #Master End  #Confirm Offset',
      'broker-a      0     SYNC_MASTER  1             transferring  yes       -        4096                   0           0        8192         4096',
      '',
      '#Broker Name  #BID  #Role  #State        #Reason  #Master Addr     #Master End  #Own End  #Lag Bytes  #Epoch',
      'broker-a      1     SLAVE  transferring  -        127.0.0.1:10911  8192         4096      4096        3',
    ].join('\n'),
  );
});
