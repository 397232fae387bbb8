// Compile failures: syntax errors with positions, RocketMQ's parse-time rules, and OrbitMQ's limits.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_FILTER_LIMITS, FilterExpressionError, compileSql92 } from '../src';

function failure(expression: string, limits = DEFAULT_FILTER_LIMITS): FilterExpressionError {
  try {
    compileSql92(expression, limits);
  } catch (e) {
    assert.ok(e instanceof FilterExpressionError, String(e));
    assert.equal(e.code, 'ILLEGAL_FILTER_EXPRESSION');
    return e;
  }
  assert.fail(`${JSON.stringify(expression.slice(0, 80))} compiled`);
}

test('syntax errors name the line and column', () => {
  const e = failure("a like '%x%'");
  assert.match(e.message, /^SQL92 expression does not parse at line 1, column 3: expected .*"between".* but "l" found$/);
  assert.deepEqual([e.line, e.column], [1, 3]);
  const multi = failure("a = 'x'\n  AND b ==");
  assert.deepEqual([multi.line, multi.column], [2, 10]);
  assert.match(failure('').message, /column 1: expected .* but end of input found/);
  assert.match(failure('a in (1, 2)').message, /column 7: expected string but "1" found/);
  assert.match(failure("a = 'unterminated").message, /column 5/);
  assert.match(failure('a = 5 -- no newline').message, /column 7/, '-- must end in a newline');
  assert.match(failure('a = 0L').message, /column 6/, 'only [1-9][0-9]* takes an L');
  assert.match(failure('a.b = 1').message, /column 2/, 'no dots in names');
  assert.match(failure("a like 'x'").message, /column 3/, 'no LIKE');
  assert.match(failure('and = 1').message, /column 1/, 'keywords are not names');
  assert.match(failure('a = 1 + 2').message, /column 7/, 'no arithmetic');
});

test("RocketMQ's parse-time rules", () => {
  const cases: [string, RegExp][] = [
    ["a > 'x'", /column 3: 'x' cannot be compared with >/],
    ['a >= TRUE', /TRUE cannot be compared/],
    ['a < (b = 1)', /boolean expression cannot be compared/],
    ['a = NULL', /NULL cannot be compared with =/],
    ['NULL <> a', /NULL cannot be compared with <>/],
    ["TRUE = 'x'", /TRUE cannot be compared with 'x'/],
    ["'x' IN ('x')", /IN needs a property/],
    ["(a = 1) NOT IN ('x')", /IN needs a property/],
    ['a between 3 and 1', /low bound \(3\) less than or equal to the high bound \(1\)/],
    ['a between NULL and 1', /cannot be NULL/],
    ["a between 'x' and 1", /cannot be compared/],
    ['a > 9223372036854775808', /does not fit in a long/],
    ['a > 1e309', /greater than Double.MAX_VALUE/],
    ['a > 1e-400', /less than Double.MIN_VALUE/],
    ["'x'", /will not result in a boolean value/],
    ['5 AND a', /will not result in a boolean value/],
    ['NOT -a', /a negation will not result in a boolean value/],
  ];
  for (const [expr, message] of cases) {
    const e = failure(expr);
    assert.match(e.message, /^SQL92 expression is invalid at line 1, column \d+: /, expr);
    assert.match(e.message, message, expr);
  }
  for (const ok of ['a = -NULL', '5 = TRUE', "'true' = TRUE", 'a between -1 and -5', 'a > +5', "(a) in ('x')", 'a > 0.0', 'TRUE = a']) {
    assert.ok(compileSql92(ok), ok);
  }
});

test('limits: length first, then parenthesis depth, before parsing', () => {
  assert.equal(failure('a = 1 OR '.repeat(600) + 'a = 1').message, 'SQL92 expression is 5405 characters; the limit is 4096 (maxExpressionLength)');
  const long = failure(`a = '${'x'.repeat(5000)}'`);
  assert.match(long.message, /5006 characters; the limit is 4096 \(maxExpressionLength\)/);
  const d = failure('('.repeat(65) + 'a' + ')'.repeat(65));
  assert.match(d.message, /deeper than 64 at line 1, column 65; the limit is 64 \(maxNestingDepth\)/);
  assert.ok(compileSql92('('.repeat(64) + 'a' + ')'.repeat(64)));
  assert.ok(compileSql92(`a = '${'('.repeat(100)}' -- ((((((\n/* (((((( */`), 'parentheses in strings and comments do not nest');
});

test('limits: 10,000 open parentheses are refused quickly, without recursion', () => {
  const huge = { ...DEFAULT_FILTER_LIMITS, maxExpressionLength: 1_000_000 };
  const start = process.hrtime.bigint();
  const e = failure('('.repeat(10_000) + 'a' + ')'.repeat(10_000), huge);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  assert.match(e.message, /maxNestingDepth/);
  assert.ok(ms < 50, `${ms} ms`);
  // Raise every limit: a stack overflow in the parser is still a FilterExpressionError, not a crash.
  const none = { maxExpressionLength: 1e7, maxNestingDepth: 1e7, maxInListItems: 1e7, maxAstNodes: 1e7 };
  assert.match(failure('('.repeat(100_000) + 'a' + ')'.repeat(100_000), none).message, /nests too deeply/);
});

test('limits: IN-list items and AST nodes', () => {
  const big = { ...DEFAULT_FILTER_LIMITS, maxExpressionLength: 100_000 };
  const items = Array.from({ length: 2000 }, (_, i) => `'${i}'`).join(',');
  assert.equal(failure(`a IN (${items})`, big).message, 'SQL92 expression has an IN list of 2000 items; the limit is 1024 (maxInListItems)');
  assert.ok(compileSql92(`a IN (${Array.from({ length: 1024 }, (_, i) => `'${i}'`).join(',')})`, big));
  const many = Array.from({ length: 200 }, (_, i) => `a${i} = ${i}`).join(' OR ');
  assert.equal(failure(many).message, 'SQL92 expression has more than 512 nodes; the limit is 512 (maxAstNodes)');
  assert.ok(compileSql92(Array.from({ length: 100 }, (_, i) => `a${i} = ${i}`).join(' OR ')));
  // A long chain of prefix operators stays within the default length and parses without overflow.
  assert.match(failure('a = ' + '+-'.repeat(2040) + '5').message, /maxAstNodes/);
});
