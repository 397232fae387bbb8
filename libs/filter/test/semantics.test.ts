// The semantics table of /work/shared/research/filter.md §1, checked against RocketMQ's expression
// classes (ComparisonExpression, LogicExpression, UnaryExpression, ConstantExpression).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compileSql92, headLookup, type FilterHead, type Tristate } from '../src';

type Row = [expression: string, properties: Record<string, string>, expected: Tristate | 'error', why?: string];

function run(rows: Row[]): void {
  for (const [expression, map, expected, why] of rows) {
    const f = compileSql92(expression);
    const get = (name: string) => map[name];
    assert.equal(f.evaluate(get), expected, `${expression} with ${JSON.stringify(map)}${why ? ` (${why})` : ''}`);
    assert.equal(f.matches(get), expected === true, `matches: ${expression}`);
  }
}

test('string vs string is exact and case-sensitive; numbers convert the property by the literal type', () => {
  run([
    ["a = 'abc'", { a: 'abc' }, true],
    ["a = 'abc'", { a: 'ABC' }, false],
    ["a = '10'", { a: '10.0' }, false, 'string compare, no coercion'],
    ['a = 10', { a: '10' }, true],
    ['a = 10', { a: '+10' }, true, 'Integer.valueOf accepts a sign'],
    ['a = 10', { a: '010' }, true],
    ['a = 10', { a: '10.0' }, 'error', 'Integer.valueOf throws: not delivered'],
    ['a <> 10', { a: '10.0' }, 'error', 'not delivered even for <>'],
    ['a = 10', { a: 'abc' }, 'error'],
    ['a = 10', { a: ' 10' }, 'error', 'Integer.valueOf does not trim'],
    ['a = 10.0', { a: '10' }, true, 'Double.valueOf'],
    ['a = 10.0', { a: ' 10 ' }, true, 'Double.valueOf trims'],
    ['a = 10', { a: '2147483648' }, 'error', 'beyond int'],
    ['a = 2147483648', { a: '2147483648' }, true, 'a long literal parses the property as a long'],
    ['a = 10L', { a: '3000000000' }, 'error', 'createFromDecimal narrows 10L to an int'],
    ['a > 9223372036854775806', { a: '9223372036854775807' }, true, 'longs compare exactly'],
    ['a > 1.5', { a: 'NaN' }, true, 'Double.compareTo puts NaN above everything'],
    ['a = 0.0', { a: '-0.0' }, false, 'Double.compareTo: -0.0 < 0.0'],
    ['a = 1.5', { a: '1.5d' }, true, 'Double.valueOf ignores a type suffix'],
    ['a = 16.0', { a: '0x1p4' }, true, 'Double.valueOf reads hex floats'],
    ['a = TRUE', { a: 'True' }, true, 'Boolean.valueOf ignores case'],
    ['a = TRUE', { a: 'yes' }, false],
    ['TRUE = a', { a: 'true' }, true, 'fixed #10877: RocketMQ throws ClassCastException'],
    ['a = -5', { a: '-5' }, true],
    ['a > -2147483648', { a: '0' }, true],
  ]);
});

test('< > <= >= and BETWEEN: numbers only; two properties compare as doubles', () => {
  run([
    ['a > 5', { a: '6' }, true],
    ['a > 5', { a: '5.5' }, 'error', 'int literal: Integer.valueOf'],
    ['a > 5.0', { a: '5.5' }, true],
    ['a >= b', { a: '10', b: '9.5' }, true],
    ['a < b', { a: 'x', b: '1' }, 'error'],
    ['a < b', { a: '1' }, null],
    ['a between 1 and 3', { a: '2' }, true],
    ['a between 1 and 3', { a: '3' }, true],
    ['a between 1 and 3', { a: '4' }, false],
    ['a between 1 and 3', {}, null],
    ['a not between 1 and 3', { a: '4' }, true],
    ['a not between 1 and 3', { a: '2' }, false],
    ['a not between 1 and 3', {}, null],
    ['a not between 3 and 1', { a: '2' }, true, 'no bounds check for NOT BETWEEN'],
    ['a between -1 and -5', { a: '-3' }, false, 'negated bounds are not constants: no bounds check'],
  ]);
});

test('= with absent sides: UNKNOWN when the left is absent, FALSE when only the right is', () => {
  run([
    ["a = 'x'", {}, null],
    ["a <> 'x'", {}, null, 'a <> skips messages without a'],
    ["'x' = a", {}, false, 'doCreateEqual: a null right side is FALSE'],
    ["'x' <> a", {}, true],
    ['a = b', {}, true, 'null equals null'],
    ['a = b', { a: '1' }, false],
    ['a = b', { b: '1' }, null],
    ['-a IS NULL', { a: '5' }, true, 'negating a string gives null'],
  ]);
});

test('Kleene logic with a missing property in AND / OR / NOT', () => {
  run([
    ["a = 'x' AND b = 'y'", { b: 'y' }, null],
    ["a = 'x' AND b = 'y'", { b: 'z' }, false],
    ["a = 'x' OR b = 'y'", { b: 'y' }, true],
    ["a = 'x' OR b = 'y'", { b: 'z' }, null],
    ["NOT (a = 'x')", {}, null],
    ["NOT (a = 'x')", { a: 'y' }, true],
    ["b = 'y' OR a = 10", { b: 'y', a: 'bad' }, true, 'OR stops at a TRUE left side'],
    ["a = 10 OR b = 'y'", { b: 'y', a: 'bad' }, 'error', 'the left side is evaluated first'],
    ["a = 10 AND b = 'y'", { a: 'bad' }, 'error'],
    ["b = 'y' AND a = 10", { a: 'bad' }, 'error', 'UNKNOWN does not stop AND'],
    ["b = 'y' AND a = 10", { b: 'n', a: 'bad' }, false],
    ['a', { a: 'true' }, false, 'a bare property is a BooleanCast: a string is never TRUE'],
    ['a', {}, null],
    ['NOT a', { a: 'x' }, true],
    ['TRUE', {}, true],
    ['NULL', {}, null],
  ]);
});

test('IN / NOT IN: exact strings; IS NULL / IS NOT NULL: absence', () => {
  run([
    ["a in ('1', '2')", { a: '1' }, true],
    ["a in ('1', '2')", { a: '1.0' }, false],
    ["a in ('1', '2')", {}, null],
    ["a not in ('1', '2')", { a: '3' }, true],
    ["a not in ('1', '2')", {}, null],
    ['a is null', {}, true],
    ['a is null', { a: '' }, false, "'' is present"],
    ['a is not null', { a: '' }, true],
    ['a is not null', {}, false],
  ]);
});

test('CONTAINS family is two-valued: NOT (a CONTAINS x) differs from a NOT CONTAINS x', () => {
  run([
    ["a contains 'x'", { a: 'axb' }, true],
    ["a contains 'x'", {}, false],
    ["NOT (a contains 'x')", {}, true, 'delivers messages without a'],
    ["a not contains 'x'", {}, false, 'does not'],
    ["a not contains 'x'", { a: 'abc' }, true],
    ["a startswith 'ab'", { a: 'abc' }, true],
    ["a endswith 'bc'", { a: 'abc' }, true],
    ["a not startswith 'ab'", { a: 'abc' }, false],
    ["a contains ''", { a: 'abc' }, false],
  ]);
});

test('NOT binds tighter than comparisons (RocketMQ quirk)', () => {
  assert.throws(() => compileSql92('NOT a > 5'), /cannot be compared/);
  run([
    ['NOT a = 5', { a: '5' }, false, '(NOT a) = 5 compares a boolean with 5'],
    ['NOT a = 5', { a: '6' }, false],
    ['NOT a = 5', {}, null],
    ['NOT (a = 5)', { a: '6' }, true],
    ["NOT a contains 'x'", { a: 'x' }, false, '(NOT a) CONTAINS: not a string'],
  ]);
});

test('TAGS, KEYS, UNIQ_KEY and __SHARDINGKEY via headLookup', () => {
  const head = (h: Partial<FilterHead>): FilterHead => ({ tag: '', keys: [], messageId: 'ID1', userProperty: (n) => ({ color: 'red' })[n], ...h });
  const check = (expr: string, h: Partial<FilterHead>, expected: Tristate | 'error') =>
    assert.equal(compileSql92(expr).evaluate(headLookup(head(h))), expected, expr);
  check("TAGS is not null and TAGS in ('TagA','TagB')", { tag: 'TagA' }, true);
  check('TAGS is null', { tag: '' }, true);
  check("TAGS = 'TagA'", { tag: '' }, null);
  check("KEYS = 'k1'", { keys: ['k1'] }, true);
  check("KEYS = 'k1'", { keys: ['k1', 'k2'] }, false);
  check("KEYS = 'k1 k2'", { keys: ['k1', 'k2'] }, true);
  check("KEYS contains 'k2'", { keys: ['k1', 'k2'] }, true);
  check('KEYS is null', { keys: [] }, true);
  check("UNIQ_KEY = 'ID1'", {}, true);
  check("__SHARDINGKEY = 'g1'", { messageGroup: 'g1' }, true);
  check('__SHARDINGKEY is null', { messageGroup: '' }, true);
  check('__SHARDINGKEY is null', {}, true);
  check("color = 'red' and tags is null", { tag: 'TagA' }, true);
});

test('literals: case-insensitive keywords, quotes, comments, float forms', () => {
  run([
    ["a = 'it''s'", { a: "it's" }, true],
    ['a = 5. AND b = .5 AND c = 5e1 AND d = 5.5E-1', { a: '5', b: '0.5', c: '50', d: '0.55' }, true],
    ["A = 'x' aNd a Is NoT nUlL", { A: 'x', a: '' }, true, 'names keep their case'],
    ["a = 'x' -- comment\n/* block\n comment */ AND b IS NULL", { a: 'x' }, true],
    ['a = 0.0', { a: '0' }, true, 'RocketMQ refuses 0.0 (a bug); accepted here'],
    ['a=5and b=1', { a: '5', b: '1' }, true, 'tokens need no space, as in JavaCC'],
  ]);
});
