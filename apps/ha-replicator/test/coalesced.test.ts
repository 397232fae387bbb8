import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { coalesced } from '../src/follower';

test('coalesced: a burst of requests during a run costs one more run, never an overlapping one', async () => {
  let active = 0;
  let maxActive = 0;
  let runs = 0;
  let release: (() => void) | undefined;
  const c = coalesced(async () => {
    runs++;
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise<void>((r) => (release = r));
    active--;
  }, assert.fail);
  c.run();
  for (let i = 0; i < 10; i++) c.run();
  assert.equal(runs, 1);
  release?.();
  await new Promise((r) => setImmediate(r));
  assert.equal(runs, 2, 'the requests made during the first run cost one more run');
  release?.();
  await c.idle();
  assert.equal(maxActive, 1);
});

test('coalesced: errors are reported and the next request runs again', async () => {
  const errors: string[] = [];
  let runs = 0;
  const c = coalesced(
    async () => {
      runs++;
      throw new Error(`boom ${runs}`);
    },
    (e) => errors.push(e.message),
  );
  c.run();
  await c.idle();
  c.run();
  await c.idle();
  assert.deepEqual(errors, ['boom 1', 'boom 2']);
});
