// Property test: the compiled evaluator (and the parse-time rules) agree with a small reference
// interpreter written here in Java's own style: values carry their Java class, create* factories
// throw for parse-time errors, evaluation throws for RocketMQ's runtime exceptions. Random ASTs are
// rendered fully parenthesized (parentheses are transparent in SelectorParser.jj) and compiled.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileSql92, type Tristate } from '../src';

type J = null | { c: 'S'; v: string } | { c: 'I'; v: number } | { c: 'L'; v: bigint } | { c: 'D'; v: number } | { c: 'B'; v: boolean };
type G =
  | { k: 'prop'; name: string }
  | { k: 'lit'; text: string }
  | { k: 'neg' | 'not'; e: G }
  | { k: 'and' | 'or'; l: G; r: G }
  | { k: 'cmp'; op: string; l: G; r: G }
  | { k: 'isnull'; e: G; not: boolean }
  | { k: 'between'; e: G; lo: G; hi: G; not: boolean }
  | { k: 'in'; e: G; list: string[]; not: boolean }
  | { k: 'match'; op: string; e: G; s: string; not: boolean };
type Props = Record<string, string | undefined>;

class JavaThrow extends Error {}
class ParseFail extends Error {}
const TRUE: J = { c: 'B', v: true };
const FALSE: J = { c: 'B', v: false };
const bool = (b: boolean): J => (b ? TRUE : FALSE);

// ---- Java conversions (ASCII inputs only: the generator makes nothing else) ----
function intOf(s: string): J {
  if (!/^[+-]?\d+$/.test(s)) throw new JavaThrow('NumberFormatException');
  const v = BigInt(s);
  if (v < -(2n ** 31n) || v >= 2n ** 31n) throw new JavaThrow('NumberFormatException');
  return { c: 'I', v: Number(v) };
}
function longOf(s: string): J {
  if (!/^[+-]?\d+$/.test(s)) throw new JavaThrow('NumberFormatException');
  const v = BigInt(s);
  if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new JavaThrow('NumberFormatException');
  return { c: 'L', v };
}
function doubleOf(s: string): J {
  const t = s.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '');
  if (t === 'NaN') return { c: 'D', v: NaN };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw new JavaThrow('NumberFormatException');
  return { c: 'D', v: parseFloat(t) };
}
function doubleCompareTo(a: number, b: number): number {
  const rank = (x: number) => (Number.isNaN(x) ? [1, 0] : [0, x]);
  const [ra, xa] = rank(a) as [number, number];
  const [rb, xb] = rank(b) as [number, number];
  if (ra !== rb) return ra - rb;
  if (xa !== xb) return xa < xb ? -1 : 1;
  return Object.is(xa, xb) ? 0 : Object.is(xa, -0) ? -1 : 1;
}
const asNum = (x: J): number => Number((x as { v: number | bigint }).v);

/** ComparisonExpression.__compare with convertStringExpressions=true (and the #10877 fix). */
function javaCompare(lv: J, rv: J): number {
  let l = lv as Exclude<J, null>;
  let r = rv as Exclude<J, null>;
  if (l.c !== r.c) {
    const rank: Record<string, number> = { I: 1, L: 2, D: 3 };
    if (l.c === 'B') {
      if (r.c !== 'S') return -1;
      r = bool(r.v.toLowerCase() === 'true') as typeof r; // RocketMQ: ClassCastException (#10877)
    } else if (l.c === 'S') {
      if (r.c === 'B') l = bool(l.v.toLowerCase() === 'true') as typeof l;
      else l = (r.c === 'I' ? intOf(l.v) : r.c === 'L' ? longOf(l.v) : doubleOf(l.v)) as typeof l;
    } else if (r.c === 'S') {
      r = (l.c === 'I' ? intOf(r.v) : l.c === 'L' ? longOf(r.v) : doubleOf(r.v)) as typeof r;
    } else if (r.c === 'B') {
      return -1;
    } else {
      const to = Math.max(rank[l.c]!, rank[r.c]!);
      if (to === 3) return doubleCompareTo(asNum(l), asNum(r));
      const [a, b] = [BigInt((l as { v: number | bigint }).v), BigInt((r as { v: number | bigint }).v)];
      return a < b ? -1 : a > b ? 1 : 0;
    }
  }
  if (l.c === 'D') return doubleCompareTo(l.v, (r as { v: number }).v);
  const a = l.c === 'B' ? Number(l.v) : (l.v as string | number | bigint);
  const b = r.c === 'B' ? Number(r.v) : (r.v as string | number | bigint);
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- The expression objects (SelectorParser's create* calls) ----
interface X {
  constant?: { value: J };
  prop?: string;
  boolExpr: boolean;
  ev(m: Props): J;
}
function literal(text: string): X {
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === 'false' || lower === 'null') {
    const value = lower === 'null' ? null : bool(lower === 'true');
    return { constant: { value }, boolExpr: true, ev: () => value };
  }
  let value: J;
  if (text.startsWith("'")) value = { c: 'S', v: text.slice(1, -1).replace(/''/g, "'") };
  else if (/^\d+L?$/i.test(text)) {
    const v = BigInt(text.replace(/L$/i, ''));
    if (v >= 2n ** 63n) throw new ParseFail('long overflow');
    value = v < 2n ** 31n ? { c: 'I', v: Number(v) } : { c: 'L', v };
  } else value = { c: 'D', v: parseFloat(text) };
  return { constant: { value }, boolExpr: false, ev: () => value };
}
function asBool(x: X): X {
  if (x.boolExpr) return x;
  if (x.prop !== undefined) return { boolExpr: true, ev: (m) => (x.ev(m) === null ? null : FALSE) };
  throw new ParseFail('not boolean');
}
function equal(l: X, r: X): X {
  return {
    boolExpr: true,
    ev(m) {
      const lv = l.ev(m);
      const rv = r.ev(m);
      if ((lv === null) !== (rv === null)) return lv === null ? null : FALSE;
      if (lv === null) return TRUE;
      return bool(javaCompare(lv, rv) === 0);
    },
  };
}
function relational(op: string, l: X, r: X): X {
  for (const s of [l, r]) if ((s.constant && !['I', 'L', 'D'].includes(s.constant.value?.c ?? '')) || s.boolExpr) throw new ParseFail('cannot be compared');
  const ok = (c: number) => (op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0);
  return {
    boolExpr: true,
    ev(m) {
      const lv = l.ev(m);
      if (lv === null) return null;
      const rv = r.ev(m);
      if (rv === null) return null;
      if (lv.c === 'S' && rv.c === 'S') return bool(ok(doubleCompareTo(asNum(doubleOf(lv.v)), asNum(doubleOf(rv.v)))));
      return bool(ok(javaCompare(lv, rv)));
    },
  };
}
const not = (x: X): X => ({
  boolExpr: true,
  ev: (m) => {
    const v = x.ev(m);
    return v === null ? null : bool(!(v as { v: boolean }).v);
  },
});
function logic(and: boolean, l: X, r: X): X {
  return {
    boolExpr: true,
    ev(m) {
      const a = l.ev(m);
      if (a !== null && (a as { v: boolean }).v === !and) return bool(!and);
      const b = r.ev(m);
      if (b !== null && (b as { v: boolean }).v === !and) return bool(!and);
      return a === null || b === null ? null : bool(and);
    },
  };
}

function build(g: G): X {
  switch (g.k) {
    case 'prop':
      return { prop: g.name, boolExpr: false, ev: (m) => (m[g.name] === undefined ? null : { c: 'S', v: m[g.name]! }) };
    case 'lit':
      return literal(g.text);
    case 'neg': {
      const x = build(g.e);
      return {
        boolExpr: false,
        ev: (m) => {
          const v = x.ev(m);
          return v === null ? null : v.c === 'I' ? { c: 'I', v: -v.v || 0 } : v.c === 'L' ? { c: 'L', v: -v.v } : v.c === 'D' ? { c: 'D', v: -v.v } : null;
        },
      };
    }
    case 'not':
      return not(asBool(build(g.e)));
    case 'and':
    case 'or': {
      const l = build(g.l);
      const r = build(g.r);
      return logic(g.k === 'and', asBool(l), asBool(r));
    }
    case 'cmp': {
      const [l, r] = [build(g.l), build(g.r)];
      if (g.op !== '=' && g.op !== '<>') return relational(g.op, l, r);
      for (const s of [l, r]) if (s.constant && s.constant.value === null) throw new ParseFail('NULL compared');
      if (l.constant && r.constant && l.boolExpr && !r.boolExpr) throw new ParseFail('incompatible');
      return g.op === '=' ? equal(l, r) : not(equal(l, r));
    }
    case 'isnull': {
      const e = equal(build(g.e), { constant: { value: null }, boolExpr: true, ev: () => null });
      const isNull: X = { boolExpr: true, ev: (m) => e.ev(m) };
      return g.not ? not(isNull) : isNull;
    }
    case 'between': {
      const [e, lo, hi] = [build(g.e), build(g.lo), build(g.hi)];
      if (g.not) return logic(false, relational('<', e, lo), relational('>', e, hi));
      if (lo.constant && hi.constant) {
        if (lo.constant.value === null || hi.constant.value === null) throw new ParseFail('null bounds');
        let c: number;
        try {
          c = javaCompare(hi.constant.value, lo.constant.value);
        } catch {
          throw new ParseFail('bounds');
        }
        if (c < 0) throw new ParseFail('low > high');
      }
      return logic(true, relational('>=', e, lo), relational('<=', e, hi));
    }
    case 'in': {
      const e = build(g.e);
      if (e.prop === undefined) throw new ParseFail('IN needs a property');
      return {
        boolExpr: true,
        ev: (m) => {
          const v = e.ev(m);
          return v === null ? null : bool(g.list.includes((v as { v: string }).v) !== g.not);
        },
      };
    }
    case 'match': {
      const e = build(g.e);
      const has = (s: string) => (g.op === 'contains' ? s.includes(g.s) : g.op === 'startswith' ? s.startsWith(g.s) : s.endsWith(g.s));
      return {
        boolExpr: true,
        ev: (m) => {
          if (g.s === '') return FALSE;
          const v = e.ev(m);
          return v === null || v.c !== 'S' ? FALSE : bool(has(v.v) !== g.not);
        },
      };
    }
  }
}

function render(g: G): string {
  const p = (x: G) => `(${render(x)})`;
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  switch (g.k) {
    case 'prop':
      return g.name;
    case 'lit':
      return g.text;
    case 'neg':
      return `-${p(g.e)}`;
    case 'not':
      return `NOT ${p(g.e)}`;
    case 'and':
    case 'or':
      return `${p(g.l)} ${g.k} ${p(g.r)}`;
    case 'cmp':
      return `${p(g.l)} ${g.op} ${p(g.r)}`;
    case 'isnull':
      return `${p(g.e)} IS ${g.not ? 'NOT ' : ''}NULL`;
    case 'between':
      return `${p(g.e)} ${g.not ? 'NOT ' : ''}BETWEEN ${p(g.lo)} AND ${p(g.hi)}`;
    case 'in':
      return `${p(g.e)} ${g.not ? 'NOT ' : ''}IN (${g.list.map(q).join(', ')})`;
    case 'match':
      return `${p(g.e)} ${g.not ? 'NOT ' : ''}${g.op} ${q(g.s)}`;
  }
}

const NAMES = ['a', 'b', 'c'];
const VALUES = ['', 'x', 'xy', '10', '10.0', '-1', '5', 'true', 'TRUE', '2147483648', '1e3', ' 5', 'NaN', '0.5', '-0.0', '9223372036854775807'];
const LITERALS = [
  "'x'",
  "''",
  "'10'",
  "'true'",
  "'it''s'",
  '0',
  '5',
  '10',
  '2147483647',
  '2147483648',
  '10L',
  '0.5',
  '10.0',
  '1e3',
  '.5',
  '0.0',
  'TRUE',
  'false',
  'NULL',
];

const tree = fc.letrec<{ node: G }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NAMES).map((name): G => ({ k: 'prop', name })),
    fc.constantFrom(...LITERALS).map((text): G => ({ k: 'lit', text })),
    fc.record({ k: fc.constantFrom('neg' as const, 'not' as const), e: tie('node') }),
    fc.record({ k: fc.constantFrom('and' as const, 'or' as const), l: tie('node'), r: tie('node') }),
    fc.record({ k: fc.constant('cmp' as const), op: fc.constantFrom('=', '<>', '>', '>=', '<', '<='), l: tie('node'), r: tie('node') }),
    fc.record({ k: fc.constant('isnull' as const), e: tie('node'), not: fc.boolean() }),
    fc.record({ k: fc.constant('between' as const), e: tie('node'), lo: tie('node'), hi: tie('node'), not: fc.boolean() }),
    fc.record({ k: fc.constant('in' as const), e: tie('node'), list: fc.array(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }), not: fc.boolean() }),
    fc.record({
      k: fc.constant('match' as const),
      op: fc.constantFrom('contains', 'startswith', 'endswith'),
      e: tie('node'),
      s: fc.constantFrom('', 'x', '1', 'y'),
      not: fc.boolean(),
    }),
  ),
})).node;

const propMap = fc.record({
  a: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
  b: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
  c: fc.option(fc.constantFrom(...VALUES), { nil: undefined }),
});

function reference(g: G): ((m: Props) => Tristate | 'error') | 'parse error' {
  let x: X;
  try {
    x = asBool(build(g));
  } catch (e) {
    if (e instanceof ParseFail) return 'parse error';
    throw e;
  }
  return (m) => {
    try {
      const v = x.ev(m);
      return v === null ? null : (v as { v: boolean }).v;
    } catch (e) {
      if (e instanceof JavaThrow) return 'error';
      throw e;
    }
  };
}

test('compiled filters agree with the reference interpreter (parse-time rules and evaluation)', () => {
  let compiled = 0;
  fc.assert(
    fc.property(tree, fc.array(propMap, { minLength: 1, maxLength: 6 }), (g, maps) => {
      const text = render(g);
      const ref = reference(g);
      let f;
      try {
        f = compileSql92(text);
      } catch (e) {
        assert.equal(ref, 'parse error', `${text} failed to compile: ${(e as Error).message}`);
        return;
      }
      assert.notEqual(ref, 'parse error', `${text} compiled, the reference refuses it`);
      compiled++;
      for (const m of maps as Props[]) {
        const want = (ref as (m: Props) => Tristate | 'error')(m);
        assert.equal(
          f.evaluate((n) => m[n]),
          want,
          `${text} with ${JSON.stringify(m)}`,
        );
        assert.equal(
          f.matches((n) => m[n]),
          want === true,
        );
      }
    }),
    { numRuns: 3000 },
  );
  assert.ok(compiled > 500, `only ${compiled} of 3000 random expressions compiled`);
});
