// The checked, typed form of an expression that src/compile.ts turns into closures. Every value has
// a static Java type, known at compile time: properties are strings (RocketMQ's evaluation context
// is the message's Map<String, String>), literals have the type createFromDecimal/createFloat gave them.
import type { MatchOp, RelOp } from './ast';

/** Java types: String, Integer, Long (bigint here), Double, Boolean, and the null literal. */
export type Kind = 'string' | 'int' | 'long' | 'double' | 'bool' | 'null';
/** A runtime value; `undefined` is Java's null (absent property, NULL, UNKNOWN used as a value). */
export type Val = string | number | bigint | boolean | undefined;

export type ValueIR =
  | { readonly t: 'const'; readonly kind: Kind; readonly v: Val }
  | { readonly t: 'prop'; readonly name: string }
  /** Negation of a non-number: always null, but its operand is still evaluated (it may fail). */
  | { readonly t: 'void'; readonly e: BoolIR }
  /** A boolean expression used as a value (operand of =, IS NULL, CONTAINS...). */
  | { readonly t: 'boolval'; readonly e: BoolIR };

/** Three-valued results: FALSE, TRUE, UNKNOWN, and ERROR (RocketMQ's evaluation threw). */
export const F = 0;
export const T = 1;
export const U = 2;
export const E = 3;
export type Tri = typeof F | typeof T | typeof U | typeof E;

export type BoolIR =
  | { readonly t: 'tri'; readonly v: Tri }
  /** A property used as a boolean (RocketMQ's BooleanCast): UNKNOWN if absent, else FALSE (a string is never a Boolean). */
  | { readonly t: 'cast'; readonly name: string }
  | { readonly t: 'not'; readonly e: BoolIR }
  | { readonly t: 'and' | 'or'; readonly l: BoolIR; readonly r: BoolIR }
  | { readonly t: 'eq'; readonly l: ValueIR; readonly r: ValueIR }
  | { readonly t: 'rel'; readonly op: RelOp; readonly l: ValueIR; readonly r: ValueIR }
  | { readonly t: 'isnull'; readonly e: ValueIR }
  | { readonly t: 'in'; readonly name: string; readonly set: ReadonlySet<string>; readonly not: boolean }
  | { readonly t: 'match'; readonly op: MatchOp; readonly e: ValueIR; readonly s: string; readonly not: boolean };

export function kindOf(v: ValueIR): Kind {
  switch (v.t) {
    case 'const':
      return v.kind;
    case 'prop':
      return 'string';
    case 'void':
      return 'null';
    case 'boolval':
      return 'bool';
  }
}
