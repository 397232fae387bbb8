// The tree the generated parser (src/sql92.peggy) builds. `at` is the 0-based offset of the node's
// first token (for binary forms, of the operator), so parse-time errors can name a line and column.
// Parentheses and unary `+` leave no node, as in SelectorParser.jj (they return their operand).

export type RelOp = '>' | '>=' | '<' | '<=';
export type CmpOp = '=' | '<>' | RelOp;
export type MatchOp = 'contains' | 'startswith' | 'endswith';

export interface StrNode {
  readonly k: 'str';
  readonly v: string;
  readonly at: number;
}
/** A DECIMAL_LITERAL (`float: false`, may end in L) or FLOATING_POINT_LITERAL, as written. */
export interface NumNode {
  readonly k: 'num';
  readonly float: boolean;
  readonly text: string;
  readonly at: number;
}
/** TRUE, FALSE or NULL (RocketMQ's BooleanConstantExpression: a constant that is also a boolean). */
export interface BoolNode {
  readonly k: 'bool';
  readonly v: boolean | null;
  readonly at: number;
}
export interface PropNode {
  readonly k: 'prop';
  readonly name: string;
  readonly at: number;
}
export interface NegNode {
  readonly k: 'neg';
  readonly e: Node;
  readonly at: number;
}
export interface NotNode {
  readonly k: 'not';
  readonly e: Node;
  readonly at: number;
}
export interface LogicNode {
  readonly k: 'and' | 'or';
  readonly l: Node;
  readonly r: Node;
  readonly at: number;
}
export interface CmpNode {
  readonly k: 'cmp';
  readonly op: CmpOp;
  readonly l: Node;
  readonly r: Node;
  readonly at: number;
}
export interface IsNullNode {
  readonly k: 'isnull';
  readonly e: Node;
  readonly not: boolean;
  readonly at: number;
}
export interface BetweenNode {
  readonly k: 'between';
  readonly e: Node;
  readonly lo: Node;
  readonly hi: Node;
  readonly not: boolean;
  readonly at: number;
}
export interface InNode {
  readonly k: 'in';
  readonly e: Node;
  readonly list: readonly string[];
  readonly not: boolean;
  readonly at: number;
}
export interface MatchNode {
  readonly k: 'match';
  readonly op: MatchOp;
  readonly e: Node;
  readonly s: string;
  readonly not: boolean;
  readonly at: number;
}

export type Node = StrNode | NumNode | BoolNode | PropNode | NegNode | NotNode | LogicNode | CmpNode | IsNullNode | BetweenNode | InNode | MatchNode;

/** The direct children of a node (for iterative walks: no recursion on untrusted depth). */
export function children(n: Node): Node[] {
  switch (n.k) {
    case 'neg':
    case 'not':
    case 'isnull':
    case 'in':
    case 'match':
      return [n.e];
    case 'and':
    case 'or':
    case 'cmp':
      return [n.l, n.r];
    case 'between':
      return [n.e, n.lo, n.hi];
    default:
      return [];
  }
}
