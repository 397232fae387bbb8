import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type CompiledFilter, FilterCache } from '@orbitmq/filter';
import { type OrbitError, encodeProperties, type v1 } from '@orbitmq/protocol';
import { type MatchReport, MatchService, evaluateHeads } from '../src/match-service';

function head(user: Record<string, string> = {}, over: Partial<v1.MessageHead__Output> = {}): v1.MessageHead__Output {
  return { tag: '', keys: [], messageId: 'id', properties: encodeProperties({}, user), ...over };
}

function request(expression: string, heads: v1.MessageHead__Output[]): v1.MatchRequest__Output {
  return { expression, topic: 'T', group: 'G', heads };
}

function service(maxHeadsPerMatch = 4096): { svc: MatchService; reports: MatchReport[]; cache: FilterCache } {
  const reports: MatchReport[] = [];
  const cache = new FilterCache({ capacity: 16 });
  return { svc: new MatchService({ cache, maxHeadsPerMatch, onMatch: (r) => reports.push(r) }), reports, cache };
}

/** Indices whose bit is set, read back bit by bit (byte i >> 3, bit i & 7, least significant first). */
function setBits(bits: Buffer | Uint8Array | string | undefined, n: number): number[] {
  const b = bits as Buffer;
  const out: number[] = [];
  for (let i = 0; i < n; i++) if ((((b[i >> 3] as number) >> (i & 7)) & 1) === 1) out.push(i);
  return out;
}

test('bit i of the answer is heads[i]: byte i >> 3, bit i & 7, least significant first (20 heads)', () => {
  const { svc, reports } = service();
  const heads = Array.from({ length: 20 }, (_, i) => head({ a: i % 3 === 0 ? 'yes' : 'no' }));
  const res = svc.match(request("a = 'yes'", heads));
  // matched: 0, 3, 6 | 9, 12, 15 | 18
  assert.deepEqual(res.matched, Buffer.from([0b0100_1001, 0b1001_0010, 0b0000_0100]));
  assert.equal(res.evaluated, 20);
  assert.deepEqual(setBits(res.matched, 20), [0, 3, 6, 9, 12, 15, 18]);
  assert.equal(reports.length, 1);
  assert.deepEqual({ ...reports[0], durationMs: 0 }, { topic: 'T', group: 'G', evaluated: 20, matched: 7, errors: 0, durationMs: 0 });
});

test('the bitset has ceil(n / 8) bytes: 0, 1, 8, 9 and 17 heads', () => {
  const { svc } = service();
  for (const [n, bytes] of [
    [0, 0],
    [1, 1],
    [8, 1],
    [9, 2],
    [17, 3],
  ] as const) {
    const res = svc.match(
      request(
        "a = 'x'",
        Array.from({ length: n }, () => head({ a: 'x' })),
      ),
    );
    assert.equal((res.matched as Buffer).length, bytes, `${n} heads`);
    assert.equal(res.evaluated, n);
    assert.deepEqual(
      setBits(res.matched, n),
      Array.from({ length: n }, (_, i) => i),
    );
    // No bit beyond the last head is set.
    if (n % 8 !== 0) assert.equal((res.matched as Buffer)[bytes - 1], (1 << (n % 8)) - 1);
  }
});

test('the last head of a non-multiple of 8 lands in the last byte alone (9 heads, only the last matches)', () => {
  const { svc } = service();
  const heads = Array.from({ length: 9 }, (_, i) => head({ a: i === 8 ? 'hit' : 'miss' }));
  const res = svc.match(request("a = 'hit'", heads));
  assert.deepEqual(res.matched, Buffer.from([0, 1]));
});

test('a truncated properties block is never matched and counts as an error, even for IS NULL', () => {
  const { svc, reports } = service();
  const whole = encodeProperties({ messageGroup: 'g' }, { b: 'w', a: 'v' });
  const cutInA = whole.subarray(0, whole.length - 2); // the value of a (the last entry) runs past the end
  const cutInB = whole.subarray(0, 12); // the first user entry is cut
  const heads = [head({}, { properties: cutInA }), head({}), head({}, { properties: Buffer.from([0]) }), head({ a: 'v' })];
  const isNull = svc.match(request('a IS NULL', heads));
  // Head 1 has an empty block (a is absent: matched); heads 0 and 2 are malformed.
  assert.deepEqual(setBits(isNull.matched, 4), [1]);
  assert.equal(reports[0]?.errors, 2);
  assert.equal(reports[0]?.matched, 1);
  const equals = svc.match(request("b = 'w'", [head({}, { properties: cutInB }), head({ b: 'w' })]));
  assert.deepEqual(setBits(equals.matched, 2), [1]);
  assert.equal(reports[1]?.errors, 1);
  const negated = svc.match(request("NOT (b = 'x')", [head({}, { properties: cutInB })]));
  assert.deepEqual(setBits(negated.matched, 1), []);
  assert.equal(reports[2]?.errors, 1);
});

test('a head whose properties the expression never reads is not inspected (lazy)', () => {
  const { svc, reports } = service();
  const garbage = Buffer.from([0xff]);
  const res = svc.match(request("TAGS = 'TagA'", [head({}, { tag: 'TagA', properties: garbage }), head({}, { tag: 'TagB', properties: garbage })]));
  assert.deepEqual(setBits(res.matched, 2), [0]);
  assert.equal(reports[0]?.errors, 0);
});

test('an expression that does not compile is ILLEGAL_FILTER_EXPRESSION, and reports nothing', () => {
  const { svc, reports } = service();
  for (const bad of ['a = ', "a = 'unterminated", 'AND AND']) {
    assert.throws(
      () => svc.match(request(bad, [head({ a: '1' })])),
      (e: OrbitError) => e.code === 'ILLEGAL_FILTER_EXPRESSION' && e.message.length > 0,
      bad,
    );
  }
  assert.equal(reports.length, 0);
});

test('more heads than maxHeadsPerMatch is BAD_REQUEST naming the limit; exactly the limit is served', () => {
  const { svc, reports } = service(4);
  assert.throws(
    () =>
      svc.match(
        request(
          "a = '1'",
          Array.from({ length: 5 }, () => head({ a: '1' })),
        ),
      ),
    (e: OrbitError) => e.code === 'BAD_REQUEST' && /5 heads exceed maxHeadsPerMatch 4/.test(e.message),
  );
  assert.equal(reports.length, 0);
  const res = svc.match(
    request(
      "a = '1'",
      Array.from({ length: 4 }, () => head({ a: '1' })),
    ),
  );
  assert.deepEqual(res.matched, Buffer.from([0b1111]));
});

test('one compile per expression text: the cache answers the second request', () => {
  const { svc, cache } = service();
  svc.match(request("a = '1'", [head({ a: '1' })]));
  svc.match(request("a = '1'", [head({ a: '2' })]));
  assert.equal(cache.stats.misses, 1);
  assert.equal(cache.stats.hits, 1);
});

test('an evaluation that throws leaves the bit clear and counts an error; the next head is unaffected', () => {
  let calls = 0;
  const throwsOnFirst: Pick<CompiledFilter, 'matches' | 'requiredTags'> = {
    requiredTags: undefined,
    matches: () => {
      if (calls++ === 0) throw new Error('boom');
      return true;
    },
  };
  const r = evaluateHeads(throwsOnFirst, [head(), head()]);
  assert.deepEqual(r.matched, Buffer.from([0b10]));
  assert.equal(r.errors, 1);
  assert.equal(r.matchedCount, 1);
});

test('with required tags, heads carrying another tag are not evaluated at all', () => {
  const seen: string[] = [];
  const tagged: Pick<CompiledFilter, 'matches' | 'requiredTags'> = {
    requiredTags: new Set(['A', 'B']),
    matches: (get) => {
      seen.push(get('TAGS') ?? '');
      return true;
    },
  };
  const r = evaluateHeads(tagged, [head({}, { tag: 'A' }), head({}, { tag: 'C' }), head({}, { tag: '' }), head({}, { tag: 'B' })]);
  assert.deepEqual(seen, ['A', 'B']);
  assert.deepEqual(r.matched, Buffer.from([0b1001]));
});

test('names map to the head: TAGS, KEYS (space-joined), UNIQ_KEY, __SHARDINGKEY (the message group) and user properties', () => {
  const { svc } = service();
  const h = head(
    { color: 'red' },
    { tag: 'TagA', keys: ['k1', 'k2'], messageId: 'MID', properties: encodeProperties({ messageGroup: 'g1' }, { color: 'red' }) },
  );
  for (const expr of ["TAGS = 'TagA'", "KEYS = 'k1 k2'", "UNIQ_KEY = 'MID'", "__SHARDINGKEY = 'g1'", "color = 'red'"]) {
    assert.deepEqual(svc.match(request(expr, [h])).matched, Buffer.from([1]), expr);
  }
  const noGroup = head({}, { tag: 'TagA' });
  assert.deepEqual(svc.match(request('__SHARDINGKEY IS NULL', [noGroup])).matched, Buffer.from([1]));
});

test('a truncated system section is an error when the expression reads the message group', () => {
  const { svc, reports } = service();
  const whole = encodeProperties({ messageGroup: 'group-1' }, {});
  const res = svc.match(request('__SHARDINGKEY IS NULL', [head({}, { properties: whole.subarray(0, 6) })]));
  assert.deepEqual(res.matched, Buffer.from([0]));
  assert.equal(reports[0]?.errors, 1);
});
