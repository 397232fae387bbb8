// RocketMQ's parse-time rules (SelectorParser.jj actions and the create* factories of
// ComparisonExpression, ConstantExpression, UnaryExpression, LogicExpression), applied to the
// parsed tree, producing the typed IR. Java decides by expression class, so this does too:
// a literal (incl. TRUE/FALSE/NULL, `+5`, `(5)`) is a constant; a negation never is (`-5` is a
// UnaryExpression), so `a BETWEEN -1 AND -5` passes the bounds check exactly as in RocketMQ.
import type { BetweenNode, CmpNode, Node, NumNode, RelOp } from './ast';
import { comparator } from './compare';
import { invalidAt } from './errors';
import { type BoolIR, type Val, type ValueIR, F, T, U } from './ir';
import { BAD } from './java';

const INT_MAX = 2147483647n;
const LONG_MAX = 9223372036854775807n;

/** JmsSelector(): the whole expression must be boolean (a bare property is cast). */
export function checkSelector(root: Node, text: string): BoolIR {
  return new Checker(text).asBoolean(root);
}

const isConstant = (n: Node): boolean => n.k === 'str' || n.k === 'num' || n.k === 'bool';
/** Java's BooleanExpression: TRUE/FALSE/NULL and every logic/comparison node. */
const isBooleanExpr = (n: Node): boolean =>
  n.k === 'bool' || n.k === 'not' || n.k === 'and' || n.k === 'or' || n.k === 'cmp' || n.k === 'isnull' || n.k === 'between' || n.k === 'in' || n.k === 'match';

/** How ConstantExpression.toString / the source would show a node in a message. */
function show(n: Node): string {
  switch (n.k) {
    case 'str':
      return `'${n.v.replace(/'/g, "''")}'`;
    case 'num':
      return n.text;
    case 'bool':
      return n.v === null ? 'NULL' : n.v ? 'TRUE' : 'FALSE';
    case 'prop':
      return n.name;
    default:
      return 'a boolean expression';
  }
}

class Checker {
  constructor(private readonly text: string) {}

  private fail(at: number, what: string): never {
    throw invalidAt(this.text, at, what);
  }

  /** asBooleanExpression(): booleans pass, a property is cast, anything else is refused. */
  asBoolean(n: Node): BoolIR {
    if (n.k === 'prop') return { t: 'cast', name: n.name };
    if (!isBooleanExpr(n)) {
      this.value(n); // literal errors inside come first, as the parser builds bottom-up
      return this.fail(n.at, `${n.k === 'neg' ? 'a negation' : show(n)} will not result in a boolean value`);
    }
    return this.bool(n);
  }

  private bool(n: Node): BoolIR {
    switch (n.k) {
      case 'bool':
        return { t: 'tri', v: n.v === null ? U : n.v ? T : F };
      case 'not':
        return { t: 'not', e: this.asBoolean(n.e) };
      case 'and':
      case 'or':
        return { t: n.k, l: this.asBoolean(n.l), r: this.asBoolean(n.r) };
      case 'cmp':
        return this.cmp(n);
      case 'isnull': {
        const e: BoolIR = { t: 'isnull', e: this.value(n.e) };
        return n.not ? { t: 'not', e } : e;
      }
      case 'between':
        return this.between(n);
      case 'in': {
        if (n.e.k !== 'prop') {
          this.value(n.e);
          return this.fail(n.at, `IN needs a property on its left, got ${show(n.e)}`);
        }
        return { t: 'in', name: n.e.name, set: new Set(n.list), not: n.not };
      }
      case 'match':
        return { t: 'match', op: n.op, e: this.value(n.e), s: n.s, not: n.not };
      default:
        return this.fail(n.at, `${show(n)} will not result in a boolean value`);
    }
  }

  private cmp(n: CmpNode): BoolIR {
    const l = this.value(n.l);
    const r = this.value(n.r);
    if (n.op === '=' || n.op === '<>') {
      // checkEqualOperand / checkEqualOperandCompatability
      for (const side of [n.l, n.r]) if (side.k === 'bool' && side.v === null) this.fail(n.at, `NULL cannot be compared with ${n.op} (use IS NULL)`);
      if (n.l.k === 'bool' && isConstant(n.r) && n.r.k !== 'bool') this.fail(n.at, `${show(n.l)} cannot be compared with ${show(n.r)}`);
      const eq: BoolIR = { t: 'eq', l, r };
      return n.op === '=' ? eq : { t: 'not', e: eq };
    }
    return this.rel(n.op, n.l, l, n.r, r, n.at);
  }

  /** createGreaterThan & co: checkLessThanOperand on both sides (only numbers and non-boolean values). */
  private rel(op: RelOp, ln: Node, l: ValueIR, rn: Node, r: ValueIR, at: number): BoolIR {
    for (const side of [ln, rn]) {
      if ((isConstant(side) && side.k !== 'num') || isBooleanExpr(side)) this.fail(at, `${show(side)} cannot be compared with ${op} (only numbers can)`);
    }
    return { t: 'rel', op, l, r };
  }

  private between(n: BetweenNode): BoolIR {
    const e = this.value(n.e);
    const lo = this.value(n.lo);
    const hi = this.value(n.hi);
    if (n.not) {
      return { t: 'or', l: this.rel('<', n.e, e, n.lo, lo, n.at), r: this.rel('>', n.e, e, n.hi, hi, n.at) };
    }
    if (isConstant(n.lo) && isConstant(n.hi) && lo.t === 'const' && hi.t === 'const') {
      if (lo.v === undefined || hi.v === undefined) this.fail(n.at, 'BETWEEN bounds cannot be NULL');
      const c = comparator(hi.kind, lo.kind)(hi.v, lo.v);
      if (c === BAD) this.fail(n.at, `BETWEEN bounds ${show(n.lo)} and ${show(n.hi)} cannot be compared`);
      if (c < 0) this.fail(n.at, `BETWEEN needs the low bound (${show(n.lo)}) less than or equal to the high bound (${show(n.hi)})`);
    }
    return { t: 'and', l: this.rel('>=', n.e, e, n.lo, lo, n.at), r: this.rel('<=', n.e, e, n.hi, hi, n.at) };
  }

  value(n: Node): ValueIR {
    switch (n.k) {
      case 'str':
        return { t: 'const', kind: 'string', v: n.v };
      case 'num':
        return this.number(n);
      case 'bool':
        return { t: 'const', kind: n.v === null ? 'null' : 'bool', v: n.v ?? undefined };
      case 'prop':
        return { t: 'prop', name: n.name };
      case 'neg':
        return negate(this.value(n.e));
      default:
        return { t: 'boolval', e: this.bool(n) };
    }
  }

  /** ConstantExpression.createFromDecimal / createFloat. */
  private number(n: NumNode): ValueIR {
    if (!n.float) {
      const digits = /[lL]$/.test(n.text) ? n.text.slice(0, -1) : n.text;
      const big = BigInt(digits);
      if (big > LONG_MAX) this.fail(n.at, `${n.text} does not fit in a long`);
      // An int when it fits, even with an L suffix (createFromDecimal narrows by value).
      return big <= INT_MAX ? { t: 'const', kind: 'int', v: Number(big) } : { t: 'const', kind: 'long', v: big };
    }
    const v = Number(n.text);
    if (v === Infinity) this.fail(n.at, `${n.text} is greater than Double.MAX_VALUE`);
    // RocketMQ rejects every float below Double.MIN_VALUE, 0.0 included (a bug); OrbitMQ accepts an
    // exact zero but still refuses a literal that underflows to zero.
    if (v === 0 && /[1-9]/.test(n.text.split(/[eE]/)[0] ?? '')) this.fail(n.at, `${n.text} is less than Double.MIN_VALUE`);
    return { t: 'const', kind: 'double', v };
  }
}

/** UnaryExpression.createNegate: numbers negate (keeping their type); anything else evaluates to null. */
function negate(v: ValueIR): ValueIR {
  if (v.t === 'const') {
    const x: Val = v.v;
    if (v.kind === 'int') return { t: 'const', kind: 'int', v: -(x as number) || 0 };
    if (v.kind === 'long') return { t: 'const', kind: 'long', v: -(x as bigint) };
    if (v.kind === 'double') return { t: 'const', kind: 'double', v: -(x as number) };
    return { t: 'const', kind: 'null', v: undefined };
  }
  if (v.t === 'prop') return { t: 'const', kind: 'null', v: undefined }; // reading a property cannot fail
  if (v.t === 'void') return v;
  return { t: 'void', e: v.e };
}
