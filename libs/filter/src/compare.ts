// ComparisonExpression.__compare(lv, rv, convertStringExpressions=true), resolved at compile time for
// a pair of static types: when the classes differ, the string side is converted with the other
// side's valueOf (failure = BAD), numbers widen (int -> long -> double), and anything else compares
// as -1. One fix: Boolean vs String converts the string with Boolean.valueOf (RocketMQ casts the
// Boolean to String and throws ClassCastException, bug #10877), so `TRUE = a` works like `a = TRUE`.
import type { Kind, Val } from './ir';
import { BAD, compareDouble, compareNum, javaBoolean, javaDouble, javaInt, javaLong } from './java';

export type Comparator = (a: Val, b: Val) => number | typeof BAD;

const MINUS_ONE: Comparator = () => -1;

function compareString(a: Val, b: Val): number {
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}

/** Converts the string side with `conv`, then compares with `cmp`; `stringLeft` says which side is the string. */
function viaString<X>(conv: (s: string) => X | typeof BAD, cmp: (a: X, b: X) => number, stringLeft: boolean): Comparator {
  return stringLeft
    ? (a, b) => {
        const x = conv(a as string);
        return x === BAD ? BAD : cmp(x, b as X);
      }
    : (a, b) => {
        const y = conv(b as string);
        return y === BAD ? BAD : cmp(a as X, y);
      };
}

const bool = (s: string): boolean => javaBoolean(s);
const cmpBool = (a: boolean, b: boolean): number => compareNum(Number(a), Number(b));
const cmpDouble = (a: number, b: number): number => compareDouble(a, b);
const cmpNum = (a: number | bigint, b: number | bigint): number => compareNum(a, b);

/** `__compare` for values of static kinds `kl` and `kr` (neither null). */
export function comparator(kl: Kind, kr: Kind): Comparator {
  if (kl === kr) {
    switch (kl) {
      case 'string':
        return compareString;
      case 'double':
        return (a, b) => compareDouble(a as number, b as number);
      case 'bool':
        return (a, b) => cmpBool(a as boolean, b as boolean);
      default:
        return (a, b) => compareNum(a as number | bigint, b as number | bigint);
    }
  }
  if (kl === 'string' || kr === 'string') return convertString(kl === 'string' ? kr : kl, kl === 'string');
  if (kl === 'bool' || kr === 'bool' || kl === 'null' || kr === 'null') return MINUS_ONE;
  // Two different numeric kinds: int/long compare exactly (a number and a bigint compare by value);
  // with a double, the other side widens to double as Java's new Double(x.doubleValue()).
  if (kl === 'double' || kr === 'double') return (a, b) => compareDouble(Number(a), Number(b));
  return (a, b) => compareNum(a as number | bigint, b as number | bigint);
}

function convertString(other: Kind, stringLeft: boolean): Comparator {
  switch (other) {
    case 'bool':
      return viaString(bool, cmpBool, stringLeft);
    case 'int':
      return viaString(javaInt, cmpNum, stringLeft);
    case 'long':
      return viaString(javaLong, cmpNum, stringLeft);
    case 'double':
      return viaString(javaDouble, cmpDouble, stringLeft);
    default:
      return MINUS_ONE;
  }
}

/** `>`, `>=`, `<`, `<=` first parse two strings as doubles (ComparisonExpression.evaluate); else `__compare`. */
export function relationalComparator(kl: Kind, kr: Kind): Comparator {
  if (kl === 'string' && kr === 'string') {
    return (a, b) => {
      const x = javaDouble(a as string);
      if (x === BAD) return BAD;
      const y = javaDouble(b as string);
      return y === BAD ? BAD : compareDouble(x, y);
    };
  }
  return comparator(kl, kr);
}
