import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FilterCache, FilterExpressionError, compileSql92 } from '../src';

const tags = (expr: string) => {
  const t = compileSql92(expr).requiredTags;
  return t === undefined ? undefined : [...t].sort();
};

test('requiredTags: from the top-level AND chain only', () => {
  assert.deepEqual(tags("TAGS = 'a'"), ['a']);
  assert.deepEqual(tags("'a' = TAGS"), ['a']);
  assert.deepEqual(tags("TAGS is not null and TAGS in ('TagA','TagB') and (a between 0 and 3)"), ['TagA', 'TagB']);
  assert.deepEqual(tags("TAGS IN ('a','b','c') AND x = 1 AND (TAGS IN ('b','c','d') AND y = 2)"), ['b', 'c'], 'nested AND flattens: intersection');
  assert.deepEqual(tags("TAGS = 'a' AND TAGS = 'b'"), [], 'nothing can match');
  assert.equal(tags("TAGS = 'a' OR x = 1"), undefined);
  assert.equal(tags("NOT (TAGS = 'a')"), undefined);
  assert.equal(tags("TAGS <> 'a'"), undefined);
  assert.equal(tags("TAGS NOT IN ('a')"), undefined);
  assert.equal(tags('TAGS = 5'), undefined, 'numeric: many strings match');
  assert.equal(tags("tags = 'a'"), undefined, 'names are case-sensitive');
  assert.equal(tags("TAGS contains 'a'"), undefined);
  assert.equal(tags('x = 1'), undefined);
});

test('propertyNames: every name referenced', () => {
  const names = compileSql92("TAGS is not null and (a between 0 and b) or c contains 'x' or NOT d or -e = 1 or f in ('1')").propertyNames;
  assert.deepEqual([...names].sort(), ['TAGS', 'a', 'b', 'c', 'd', 'e', 'f']);
});

test('FilterCache: LRU, negative caching, stats', () => {
  const cache = new FilterCache({ capacity: 2 });
  const a = cache.get('a = 1');
  assert.equal(cache.get('a = 1'), a, 'a hit returns the same compiled filter');
  assert.deepEqual(cache.stats, { hits: 1, misses: 1, size: 1 });
  const e1 = (() => {
    try {
      cache.get('a like 1');
    } catch (e) {
      return e;
    }
  })();
  assert.ok(e1 instanceof FilterExpressionError);
  assert.throws(
    () => cache.get('a like 1'),
    (e) => e === e1,
    'the cached error is rethrown',
  );
  assert.deepEqual(cache.stats, { hits: 2, misses: 2, size: 2 });
  cache.get('a = 1'); // now 'a like 1' is the least recently used
  cache.get('b = 2'); // evicts it
  assert.deepEqual(cache.stats, { hits: 3, misses: 3, size: 2 });
  assert.equal(cache.get('a = 1'), a);
  assert.throws(
    () => cache.get('a like 1'),
    (e) => e instanceof FilterExpressionError && e !== e1,
    'compiled again after eviction',
  );
  assert.deepEqual(cache.stats, { hits: 4, misses: 4, size: 2 });
  assert.notEqual(cache.get('a = 1 '), a, 'keyed by exact text');
});

test('FilterCache: default capacity 1024 and limits passed through', () => {
  const cache = new FilterCache();
  for (let i = 0; i < 1100; i++) cache.get(`a = ${i}`);
  assert.equal(cache.stats.size, 1024);
  const strict = new FilterCache({ limits: { maxExpressionLength: 5, maxNestingDepth: 64, maxInListItems: 1024, maxAstNodes: 512 } });
  assert.throws(() => strict.get('a = 100'), /maxExpressionLength/);
});
