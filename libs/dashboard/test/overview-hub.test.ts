/** OverviewHub: one shared poll per credential, rates between samples, bounds, stop on last leave. */
import { mock, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OverviewHub, type OverviewSample } from '../src/overview-hub';

type View = { brokers: { brokerName: string; brokerId: number; ok: boolean; status?: { endOffset: string } }[] };
const view = (endOffset: number): View => ({ brokers: [{ brokerName: 'b', brokerId: 0, ok: true, status: { endOffset: String(endOffset) } }] });

/** Lets the poll's awaited load settle. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

test('viewers of one credential share one poll; rates come from consecutive samples; the last to leave stops it', async () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    let now = 10_000;
    let end = 0;
    let loads = 0;
    const hub = new OverviewHub<View>(1_000, 8, () => now);
    const load = async () => (loads++, view(end));
    const a: OverviewSample<View>[] = [];
    const b: OverviewSample<View>[] = [];
    const leaveA = hub.subscribe('', load, (s) => void ('error' in s ? undefined : a.push(s)));
    await settle();
    const leaveB = hub.subscribe('', load, (s) => void ('error' in s ? undefined : b.push(s)));
    assert.equal(loads, 1, 'the second viewer joins the running poll');
    assert.equal(b.length, 1, 'and gets its latest sample at once');
    end = 4_096;
    now += 2_000;
    mock.timers.tick(1_000);
    await settle();
    assert.equal(loads, 2);
    assert.deepEqual(a.at(-1)?.writeBytesPerSecond, { 'b/0': 2_048 });
    assert.deepEqual(b.at(-1)?.writeBytesPerSecond, { 'b/0': 2_048 });
    assert.equal(hub.openStreams, 2);
    leaveA?.();
    leaveB?.();
    leaveB?.();
    assert.equal(hub.openStreams, 0, 'leaving twice counts once');
    mock.timers.tick(5_000);
    await settle();
    assert.equal(loads, 2, 'no viewer, no poll');
  } finally {
    mock.timers.reset();
  }
});

test('credentials get their own polls; past maxStreams a viewer is refused; a failed poll reaches viewers as an error', async () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const hub = new OverviewHub<View>(1_000, 2);
    const seen: string[] = [];
    const leave1 = hub.subscribe('alice', async () => view(1), () => seen.push('alice'));
    const leave2 = hub.subscribe('bob', async () => Promise.reject(new Error('broker-a: UNAVAILABLE')), (s) => seen.push('error' in s ? s.error : 'bob'));
    assert.equal(hub.subscribe('carol', async () => view(1), () => undefined), undefined, 'a third stream is refused');
    await settle();
    assert.deepEqual(seen.sort(), ['alice', 'broker-a: UNAVAILABLE']);
    leave1?.();
    leave2?.();
    hub.close();
  } finally {
    mock.timers.reset();
  }
});
