import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileSql92 } from '@orbitmq/filter';
import { encodeProperties } from '@orbitmq/protocol';
import {
  FilterRouter,
  type FilterRouterObserver,
  FilterServerTable,
  type FilterMatchRequest,
  type FilterServerTransport,
  chunksByBytes,
  evaluateLocally,
} from '../src/filter';
import type { StoreRecord } from '../src/store-port';
import { FakeClock, addGroup, addTopic, createHarness, idsOf, receive, sendMessages, testFilters } from './broker-harness';

function record(i: number, user: Record<string, string>, tag = ''): StoreRecord {
  return {
    queueId: 0,
    sysFlag: 0,
    queueOffset: i,
    physicalOffset: i * 100,
    bornTimestampMs: 0,
    storeTimestampMs: 0,
    reconsumeTimes: 0,
    topic: 't',
    messageId: `m${i}`,
    tag,
    keys: [],
    properties: encodeProperties({}, user),
    body: Buffer.from('body'),
  };
}

/** A filter server stand-in for routing tests: evaluates with the same library, or fails on demand. */
class FakeTransport implements FilterServerTransport {
  readonly calls: string[] = [];
  readonly failing = new Set<string>();
  readonly forgotten: string[] = [];
  async match(endpoint: string, req: FilterMatchRequest): Promise<Buffer> {
    this.calls.push(endpoint);
    if (this.failing.has(endpoint)) throw new Error(`${endpoint} is down`);
    const compiled = compileSql92(req.expression);
    const flags = evaluateLocally(
      compiled,
      req.heads.map((h, i) => ({ ...record(i, {}), tag: h.tag, keys: h.keys, messageId: h.messageId, properties: h.properties })),
    );
    const bits = Buffer.alloc(Math.ceil(flags.length / 8));
    flags.forEach((f, i) => {
      if (f) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
    });
    return bits;
  }
  forget(endpoint: string): void {
    this.forgotten.push(endpoint);
  }
}

interface Seen {
  evaluated: Parameters<FilterRouterObserver['evaluated']>[0][];
  fallbacks: Parameters<FilterRouterObserver['fallback']>[0][];
  failed: string[];
}

function router(clock: FakeClock, fallback: 'local' | 'reject' = 'local') {
  const table = new FilterServerTable(30_000, clock.now);
  const transport = new FakeTransport();
  const seen: Seen = { evaluated: [], fallbacks: [], failed: [] };
  const observer: FilterRouterObserver = {
    evaluated: (e) => seen.evaluated.push(e),
    fallback: (e) => seen.fallbacks.push(e),
    serverFailed: (e) => seen.failed.push(e.endpoint),
  };
  const settings = { fallback, matchTimeoutMs: 100, matchRetries: 1, circuitBreakMs: 10_000, maxInflightPerServer: 4 };
  return { table, transport, seen, r: new FilterRouter(table, transport, settings, observer, clock.now) };
}

const RECORDS = [record(0, { a: '7' }), record(1, { a: '3' }), record(2, {}), record(3, { a: '10.0' }), record(4, { a: '9' }, 'x')];
const EXPECTED = [true, false, false, false, true]; // a > 5: '3' no, absent UNKNOWN, '10.0' vs int 5 is an evaluation error

test('filter-server table: registrations are heartbeats, silence expires them, a restarted instance starts clean', () => {
  const clock = new FakeClock(1_000);
  const t = new FilterServerTable(30_000, clock.now);
  assert.equal(t.register('10.0.0.1:8079', 'i1'), true);
  assert.equal(t.register('10.0.0.1:8079', 'i1'), false);
  assert.equal(t.register('10.0.0.2:8079', 'j1'), true);
  (t.get('10.0.0.1:8079') as { circuitOpenUntilMs: number }).circuitOpenUntilMs = clock.ms + 10_000;
  assert.equal(t.register('10.0.0.1:8079', 'i2'), true, 'a new instance on the same endpoint');
  assert.equal(t.get('10.0.0.1:8079')?.circuitOpenUntilMs, 0);
  clock.advance(20_000);
  t.register('10.0.0.2:8079', 'j1');
  clock.advance(15_000);
  assert.deepEqual(t.live(), ['10.0.0.2:8079']);
  assert.deepEqual(t.expire(), ['10.0.0.1:8079']);
  assert.equal(t.unregister('10.0.0.2:8079', 'other-instance'), false, 'an old instance cannot unregister its successor');
  assert.equal(t.unregister('10.0.0.2:8079', 'j1'), true);
  assert.equal(t.size, 0);
});

test('filter router: batches go to filter servers in rotation; a new server gets the next batch', async () => {
  const clock = new FakeClock(1_000);
  const { table, transport, seen, r } = router(clock);
  table.register('a:1', 'a');
  table.register('b:1', 'b');
  const compiled = compileSql92('a > 5');
  for (let i = 0; i < 4; i++) assert.deepEqual(await r.select(compiled, 'g', 't', RECORDS), EXPECTED);
  assert.deepEqual([...transport.calls].sort(), ['a:1', 'a:1', 'b:1', 'b:1']);
  table.register('c:1', 'c');
  transport.calls.length = 0;
  for (let i = 0; i < 3; i++) await r.select(compiled, 'g', 't', RECORDS);
  assert.deepEqual([...transport.calls].sort(), ['a:1', 'b:1', 'c:1']);
  assert.equal(seen.evaluated.length, 7);
  assert.ok(seen.evaluated.every((e) => e.via === 'server' && e.evaluated === 5 && e.matched === 2));
});

test('filter router: a failed call is retried on another server and opens the circuit of the failed one', async () => {
  const clock = new FakeClock(1_000);
  const { table, transport, seen, r } = router(clock);
  table.register('a:1', 'a');
  table.register('b:1', 'b');
  transport.failing.add('a:1');
  const compiled = compileSql92('a > 5');
  for (let i = 0; i < 4; i++) assert.deepEqual(await r.select(compiled, 'g', 't', RECORDS), EXPECTED);
  assert.deepEqual(seen.failed, ['a:1'], 'tried once, then skipped while its circuit is open');
  assert.equal(transport.calls.filter((c) => c === 'a:1').length, 1);
  clock.advance(10_001);
  transport.failing.delete('a:1');
  transport.calls.length = 0;
  for (let i = 0; i < 2; i++) await r.select(compiled, 'g', 't', RECORDS);
  assert.ok(transport.calls.includes('a:1'), 'the circuit closes after circuitBreakMs');
});

test('filter router: with every server failing or none registered, local fallback gives the same answer; reject refuses', async () => {
  const clock = new FakeClock(1_000);
  const local = router(clock);
  const compiled = compileSql92('a > 5');
  assert.deepEqual(await local.r.select(compiled, 'g', 't', RECORDS), EXPECTED);
  assert.equal(local.seen.fallbacks[0]?.reason, 'none-registered');
  local.table.register('a:1', 'a');
  local.table.register('b:1', 'b');
  local.transport.failing.add('a:1');
  local.transport.failing.add('b:1');
  assert.deepEqual(await local.r.select(compiled, 'g', 't', RECORDS), EXPECTED);
  assert.equal(local.seen.fallbacks[1]?.reason, 'all-failed');
  assert.equal(local.seen.evaluated.filter((e) => e.via === 'local').length, 2);

  const strict = router(clock, 'reject');
  strict.table.register('a:1', 'a');
  strict.transport.failing.add('a:1');
  await assert.rejects(strict.r.select(compiled, 'g', 't', RECORDS), (err: { code?: string }) => err.code === 'FILTER_SERVER_UNAVAILABLE');
  assert.equal(strict.seen.evaluated.length, 0, 'nothing was evaluated, so nothing may be delivered');
});

test('a window of heavy heads is split into Match calls within the byte limit, in order', () => {
  const heavy = Array.from({ length: 10 }, (_, i) => record(i, { blob: 'x'.repeat(1_000) }));
  const chunks = chunksByBytes(heavy, 3_000);
  assert.deepEqual(
    chunks.map((c) => c.length),
    [2, 2, 2, 2, 2],
  );
  assert.deepEqual(
    chunks.flat().map((r) => r.messageId),
    heavy.map((r) => r.messageId),
  );
  assert.deepEqual(
    chunksByBytes(heavy.slice(0, 1), 10).map((c) => c.length),
    [1],
    'an oversized head still goes, alone',
  );
});

test('local evaluation: a record with a torn properties block never matches', () => {
  const torn = { ...record(0, { a: '7' }), properties: encodeProperties({}, { a: '7' }).subarray(0, 6) };
  assert.deepEqual(evaluateLocally(compileSql92('a > 5'), [torn, record(1, { a: '7' })]), [false, true]);
});

test('SQL92 pop: exactly the matching messages across scan windows, surplus matches held for the next pop', async () => {
  const h = createHarness({ maxInflightPerQueue: 2_000 });
  await addTopic(h, 'T', 2);
  await addGroup(h, 'G');
  const all = Array.from({ length: 700 }, (_, i) => ({
    topic: 'T',
    id: `m${i}`,
    tag: i % 3 === 0 ? 'x' : 'y',
    userProperties: (i % 5 === 0 ? {} : { n: String(i % 10) }) as Record<string, string>,
  }));
  for (let i = 0; i < all.length; i += 100) await sendMessages(h, all.slice(i, i + 100));
  await h.store.whenDispatched();
  const filter = testFilters().forExpression({ type: 'SQL', expression: "n >= 7 AND TAGS = 'x'" }, 'G', 'T');
  assert.deepEqual([...(filter.tags ?? [])], ['x'], 'TAGS = x becomes the consume-queue pre-filter');
  const want = all.filter((m, i) => i % 5 !== 0 && i % 10 >= 7 && m.tag === 'x').map((m) => m.id);
  const got: string[] = [];
  for (let i = 0; i < 100 && got.length < want.length; i++) got.push(...idsOf(await receive(h, 'G', 'T', { filter, max: 8 })));
  assert.deepEqual([...got].sort(), [...want].sort());
  assert.deepEqual(idsOf(await receive(h, 'G', 'T', { filter, max: 8 })), [], 'nothing extra');
});

test('SQL92 pop: a refused evaluation (fallback=reject, no server) delivers nothing and consumes nothing', async () => {
  const h = createHarness();
  await addTopic(h, 'T', 1);
  await addGroup(h, 'G');
  await sendMessages(h, [
    { topic: 'T', id: 'a', userProperties: { n: '1' } },
    { topic: 'T', id: 'b', userProperties: { n: '9' } },
  ]);
  await h.store.whenDispatched();
  const strict = testFilters({ fallback: 'reject' }).forExpression({ type: 'SQL', expression: 'n > 5' }, 'G', 'T');
  await assert.rejects(receive(h, 'G', 'T', { filter: strict }), (err: { code?: string }) => err.code === 'FILTER_SERVER_UNAVAILABLE');
  const local = testFilters().forExpression({ type: 'SQL', expression: 'n > 5' }, 'G', 'T');
  assert.deepEqual(idsOf(await receive(h, 'G', 'T', { filter: local })), ['b'], 'the window was not consumed by the refusal');
});

test('subscriptions: a malformed SQL92 expression is refused with its position; enablePropertyFilter=false refuses SQL92', () => {
  const filters = testFilters();
  assert.throws(
    () => filters.checkSubscriptions([{ expression: { type: 'SQL', expression: "a like '%x%'" } }]),
    (err: { code?: string; message: string }) => err.code === 'ILLEGAL_FILTER_EXPRESSION' && /column 3/.test(err.message),
  );
  assert.throws(
    () => filters.forExpression({ type: 'SQL', expression: '  ' }, 'G', 'T'),
    (err: { code?: string }) => err.code === 'ILLEGAL_FILTER_EXPRESSION',
  );
  filters.checkSubscriptions([{ expression: { type: 'TAG', expression: 'a || b' } }, { expression: { type: 'SQL', expression: 'a IS NULL' } }]);
  assert.throws(
    () => testFilters({ enablePropertyFilter: false }).forExpression({ type: 'SQL', expression: 'a > 1' }, 'G', 'T'),
    (err: { code?: string; message: string }) => err.code === 'UNSUPPORTED' && /SQL92/.test(err.message),
  );
});

test('SQL92 pop over several queues: a failure on a later queue still returns what earlier queues gave, and consumes nothing there', async () => {
  const h = createHarness();
  await addTopic(h, 'T', 2);
  await addGroup(h, 'G');
  await sendMessages(h, [{ topic: 'T', id: 'q0' }]);
  await sendMessages(h, [{ topic: 'T', id: 'q1' }]); // the next request goes to the next queue
  await h.store.whenDispatched();
  let calls = 0;
  const flaky = {
    tags: undefined,
    scanWindow: () => 16,
    select: (records: readonly StoreRecord[]) => {
      if (++calls === 2) throw Object.assign(new Error('no filter server'), { code: 'FILTER_SERVER_UNAVAILABLE' });
      return records.map(() => true);
    },
  };
  const first = idsOf(await receive(h, 'G', 'T', { filter: flaky }));
  assert.equal(first.length, 1, 'the first queue delivered; the second failed');
  const rest = idsOf(await receive(h, 'G', 'T', { filter: flaky }));
  assert.deepEqual([...first, ...rest].sort(), ['q0', 'q1'], 'the failed queue was not consumed');
});

test('SQL92 scan windows follow the observed match ratio: far ahead for a selective expression, about `want` for a broad one', async () => {
  const filters = testFilters({ sqlScanWindow: 1_024 });
  const selective = filters.forExpression({ type: 'SQL', expression: 'n < 3' }, 'G1', 'T');
  const broad = filters.forExpression({ type: 'SQL', expression: 'n >= 3' }, 'G2', 'T');
  assert.equal(selective.scanWindow?.(64), 64, 'nothing observed yet: read what the pop can take');
  const window = Array.from({ length: 100 }, (_, i) => record(i, { n: String(i % 100) }));
  await selective.select(window); // 3 of 100 match
  await broad.select(window); // 97 of 100
  assert.equal(selective.scanWindow?.(64), 1_024, 'capped at sqlScanWindow');
  assert.equal(broad.scanWindow?.(64), 66);
  assert.equal(filters.forExpression({ type: 'SQL', expression: 'n < 3' }, 'G1', 'T').scanWindow?.(8), 267, 'the ratio belongs to the group and topic');
});
