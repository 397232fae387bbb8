// Turns the checked IR into closures. A boolean closure returns F/T/U/E (0-3: no allocation, no
// throw on the hot path); a value closure returns a Val or BAD (a failed evaluation). Evaluation
// order and short-circuits follow RocketMQ exactly, because they decide between UNKNOWN and ERROR:
// AND/OR evaluate the left side first and stop on a decisive value; `=` evaluates both sides.
import type { PropertyLookup } from './head';
import { comparator, relationalComparator } from './compare';
import { type BoolIR, type Tri, type Val, type ValueIR, E, F, T, U, kindOf } from './ir';
import { BAD } from './java';

export type BoolFn = (get: PropertyLookup) => Tri;
type ValueFn = (get: PropertyLookup) => Val | typeof BAD;

export function compileBool(n: BoolIR): BoolFn {
  switch (n.t) {
    case 'tri': {
      const v = n.v;
      return () => v;
    }
    case 'cast': {
      const name = n.name;
      return (get) => (get(name) === undefined ? U : F);
    }
    case 'not': {
      const e = compileBool(n.e);
      return (get) => {
        const x = e(get);
        return x >= U ? x : ((1 - x) as Tri);
      };
    }
    case 'and':
      return and(compileBool(n.l), compileBool(n.r));
    case 'or':
      return or(compileBool(n.l), compileBool(n.r));
    case 'eq':
      return equal(n.l, n.r);
    case 'rel':
      return relational(n.op === '<' ? 0b001 : n.op === '<=' ? 0b011 : n.op === '>' ? 0b100 : 0b110, n.l, n.r);
    case 'isnull': {
      const e = compileValue(n.e);
      return (get) => {
        const x = e(get);
        return x === BAD ? E : x === undefined ? T : F;
      };
    }
    case 'in': {
      const { name, set, not } = n;
      return (get) => {
        const v = get(name);
        return v === undefined ? U : set.has(v) !== not ? T : F;
      };
    }
    case 'match':
      return match(n);
  }
}

function and(l: BoolFn, r: BoolFn): BoolFn {
  return (get) => {
    const a = l(get);
    if (a === F || a === E) return a;
    const b = r(get);
    if (b === F || b === E) return b;
    return a === U || b === U ? U : T;
  };
}

function or(l: BoolFn, r: BoolFn): BoolFn {
  return (get) => {
    const a = l(get);
    if (a === T || a === E) return a;
    const b = r(get);
    if (b === T || b === E) return b;
    return a === U || b === U ? U : F;
  };
}

function compileValue(v: ValueIR): ValueFn {
  switch (v.t) {
    case 'const': {
      const x = v.v;
      return () => x;
    }
    case 'prop': {
      const name = v.name;
      return (get) => get(name);
    }
    case 'void': {
      const e = compileBool(v.e);
      return (get) => (e(get) === E ? BAD : undefined);
    }
    case 'boolval': {
      const e = compileBool(v.e);
      return (get) => {
        const x = e(get);
        return x === T ? true : x === F ? false : x === U ? undefined : BAD;
      };
    }
  }
}

/** doCreateEqual: both sides evaluated; null = null is TRUE; a null left is UNKNOWN, a null right FALSE. */
function equal(l: ValueIR, r: ValueIR): BoolFn {
  const cmp = comparator(kindOf(l), kindOf(r));
  if (l.t === 'prop' && r.t === 'const' && r.v !== undefined) {
    // The common `a = 'x'` / `a = 10`: one lookup, one conversion.
    const name = l.name;
    const c = r.v;
    if (r.kind === 'string')
      return (get) => {
        const a = get(name);
        return a === undefined ? U : a === c ? T : F;
      };
    return (get) => {
      const a = get(name);
      if (a === undefined) return U;
      const x = cmp(a, c);
      return x === BAD ? E : x === 0 ? T : F;
    };
  }
  const lf = compileValue(l);
  const rf = compileValue(r);
  return (get) => {
    const a = lf(get);
    if (a === BAD) return E;
    const b = rf(get);
    if (b === BAD) return E;
    if (a === undefined) return b === undefined ? T : U;
    if (b === undefined) return F;
    const x = cmp(a, b);
    return x === BAD ? E : x === 0 ? T : F;
  };
}

/** ComparisonExpression.evaluate for > >= < <=; `accept` has bit (c + 1) set for each accepted compare result c. */
function relational(accept: number, l: ValueIR, r: ValueIR): BoolFn {
  const cmp = relationalComparator(kindOf(l), kindOf(r));
  if (l.t === 'prop' && r.t === 'const' && r.v !== undefined) {
    const name = l.name;
    const c = r.v;
    return (get) => {
      const a = get(name);
      if (a === undefined) return U;
      const x = cmp(a, c);
      return x === BAD ? E : (accept >> ((x as number) + 1)) & 1 ? T : F;
    };
  }
  const lf = compileValue(l);
  const rf = compileValue(r);
  return (get) => {
    const a = lf(get);
    if (a === BAD) return E;
    if (a === undefined) return U;
    const b = rf(get);
    if (b === BAD) return E;
    if (b === undefined) return U;
    const x = cmp(a, b);
    return x === BAD ? E : (accept >> ((x as number) + 1)) & 1 ? T : F;
  };
}

/** CONTAINS / STARTSWITH / ENDSWITH and NOT forms: two-valued; an empty search string is FALSE without evaluating. */
function match(n: Extract<BoolIR, { t: 'match' }>): BoolFn {
  const { s, not } = n;
  if (s === '') return () => F;
  const e = compileValue(n.e);
  if (kindOf(n.e) !== 'string') return (get) => (e(get) === BAD ? E : F);
  const test = n.op === 'contains' ? (v: string) => v.includes(s) : n.op === 'startswith' ? (v: string) => v.startsWith(s) : (v: string) => v.endsWith(s);
  return (get) => {
    const v = e(get);
    if (v === BAD) return E;
    return v === undefined ? F : test(v as string) !== not ? T : F;
  };
}
