import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ReplicationFollower } from '../src';
import { FakeStore } from './fake-store';
import { cleanup, startFollower, startLeader, waitFor } from './harness';

type Step = { kind: 'append'; count: number } | { kind: 'disconnect' } | { kind: 'crash' } | { kind: 'settle' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 20 }).map((count) => ({ kind: 'append' as const, count })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'disconnect' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' as const }) },
);

/** The replica's log is a prefix of the master's, and nothing awaitReplicated confirmed is missing from its disk. */
function checkInvariant(master: FakeStore, replica: FakeStore, confirmed: number[]): void {
  const replicaLog = replica.logBytes();
  assert.ok(replica.endOffset <= master.endOffset, `replica end ${replica.endOffset} > master end ${master.endOffset}`);
  assert.ok(master.bytesBetween(replica.minOffset, replica.endOffset).equals(replicaLog), 'replica log is not a prefix of the master log');
  for (const offset of confirmed) assert.ok(offset <= replica.flushedOffset, `confirmed ${offset} beyond the replica's durable end ${replica.flushedOffset}`);
}

test('model: appends, disconnects and replica crashes keep the replica a prefix and confirmed offsets durable', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 3, maxLength: 15 }), async (steps) => {
      const master = new FakeStore('master-store');
      await master.beginMasterEpoch();
      const replica = new FakeStore('replica-store', { syncFlush: true });
      const h = await startLeader(master, { role: 'SYNC_MASTER', settings: { slaveTimeoutMs: 60_000 } });
      let follower: ReplicationFollower = startFollower(replica, h.address);
      const confirmed: number[] = [];
      const pending: Promise<void>[] = [];
      let n = 0;
      try {
        for (const step of steps) {
          if (step.kind === 'append') {
            for (let i = 0; i < step.count; i++) {
              const end = master.append(`record-${n++}`);
              pending.push(
                h.leader.awaitReplicated(end).then(
                  () => void confirmed.push(end),
                  () => undefined,
                ),
              );
            }
          } else if (step.kind === 'disconnect' || step.kind === 'crash') {
            await follower.stop();
            if (step.kind === 'crash') replica.crash();
            follower = startFollower(replica, h.address);
          } else {
            await waitFor(() => replica.endOffset === master.endOffset, 'settled');
          }
          checkInvariant(master, replica, confirmed);
        }
        await waitFor(() => follower.hasMaster() && replica.endOffset === master.endOffset, 'final catch-up');
        await Promise.all(pending);
        checkInvariant(master, replica, confirmed);
        assert.ok(replica.logBytes().equals(master.logBytes()));
      } finally {
        await cleanup(h.stop, () => follower.stop());
      }
    }),
    { numRuns: 15 },
  );
});

type LossyStep = Step | { kind: 'flush' };

const lossyStepArb: fc.Arbitrary<LossyStep> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 20 }).map((count) => ({ kind: 'append' as const, count })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'disconnect' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'crash' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' as const }) },
);

test('model: an ASYNC_FLUSH replica that loses its unflushed tail in a crash stays a prefix and catches up again', async () => {
  let totalLostBytes = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(lossyStepArb, { minLength: 3, maxLength: 15 }), async (steps) => {
      const master = new FakeStore('master-store');
      await master.beginMasterEpoch();
      // Page-cache durability, as RocketMQ counts it: a power loss drops what was not flushed.
      const replica = new FakeStore('replica-store', { syncFlush: false });
      const h = await startLeader(master, { role: 'ASYNC_MASTER' });
      let follower: ReplicationFollower = startFollower(replica, h.address);
      let n = 0;
      let lostBytes = 0;
      try {
        for (const step of steps) {
          if (step.kind === 'append') for (let i = 0; i < step.count; i++) master.append(`record-${n++}`);
          else if (step.kind === 'flush') replica.flush();
          else if (step.kind === 'disconnect' || step.kind === 'crash') {
            await follower.stop();
            if (step.kind === 'crash') {
              const before = replica.endOffset;
              replica.crash();
              lostBytes += before - replica.endOffset;
            }
            follower = startFollower(replica, h.address);
          } else await waitFor(() => replica.endOffset === master.endOffset, 'settled');
          checkInvariant(master, replica, []);
        }
        await waitFor(() => follower.hasMaster() && replica.endOffset === master.endOffset, 'final catch-up');
        assert.ok(replica.logBytes().equals(master.logBytes()), `replica differs after losing ${lostBytes} bytes in crashes`);
        totalLostBytes += lostBytes;
      } finally {
        await cleanup(h.stop, () => follower.stop());
      }
    }),
    // Random runs lose bytes only when a crash finds the replica ahead of its flush, which depends
    // on timing (about 1 run in 8 of the whole property lost none, failing the check below); this
    // example always does: the replica holds 5 unflushed records when it crashes.
    { numRuns: 15, examples: [[[{ kind: 'append', count: 5 }, { kind: 'settle' }, { kind: 'crash' }]]] },
  );
  assert.ok(totalLostBytes > 0, 'no run lost bytes in a crash: the property was not exercised');
});
