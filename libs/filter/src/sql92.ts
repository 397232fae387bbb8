import { type Node, children } from './ast';
import { propertyNames, requiredTags } from './analyze';
import { checkSelector } from './check';
import { type BoolFn, compileBool } from './compile';
import { FilterExpressionError } from './errors';
import { parse } from './generated/sql92-parser';
import type { PropertyLookup } from './head';
import { E, T, U } from './ir';
import { DEFAULT_FILTER_LIMITS, type FilterLimits, checkBeforeParse } from './limits';

export type Tristate = true | false | null;

export interface CompiledFilter {
  readonly expression: string;
  /**
   * RocketMQ's delivery rule: true only when the expression is TRUE; FALSE, UNKNOWN and evaluation
   * errors (e.g. '10.0' compared with int 10) are false. Never throws.
   */
  matches(get: PropertyLookup): boolean;
  /** The three-valued result; an evaluation error (RocketMQ's throw) is reported as 'error'. */
  evaluate(get: PropertyLookup): Tristate | 'error';
  /** Every property name the expression reads (so callers decode only those). */
  readonly propertyNames: ReadonlySet<string>;
  /**
   * When the top-level AND-chain requires TAGS = 'x' or TAGS IN (...) (not negated), the only tags
   * that can match (intersection of such conjuncts); undefined otherwise. An exact pre-filter on the
   * consume queue's tag hash.
   */
  readonly requiredTags: ReadonlySet<string> | undefined;
}

class Compiled implements CompiledFilter {
  constructor(
    readonly expression: string,
    private readonly fn: BoolFn,
    readonly propertyNames: ReadonlySet<string>,
    readonly requiredTags: ReadonlySet<string> | undefined,
  ) {}

  matches(get: PropertyLookup): boolean {
    return this.fn(get) === T;
  }

  evaluate(get: PropertyLookup): Tristate | 'error' {
    const r = this.fn(get);
    return r === T ? true : r === U ? null : r === E ? 'error' : false;
  }
}

/** Checks limits BEFORE parsing (length, then parenthesis depth), parses, applies RocketMQ's parse-time rules, compiles to closures. */
export function compileSql92(expression: string, limits: FilterLimits = DEFAULT_FILTER_LIMITS): CompiledFilter {
  checkBeforeParse(expression, limits);
  try {
    const ast = parseOrThrow(expression);
    checkSize(ast, limits);
    const ir = checkSelector(ast, expression);
    return new Compiled(expression, compileBool(ir), propertyNames(ast), requiredTags(ir));
  } catch (e) {
    // Backstop for limits raised far above the defaults: a stack overflow is a refusal, not a crash.
    if (e instanceof RangeError) throw new FilterExpressionError(`SQL92 expression nests too deeply to parse (${e.message})`);
    throw e;
  }
}

interface PeggyError {
  message: string;
  location: { start: { line: number; column: number } };
}

function parseOrThrow(text: string): Node {
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof RangeError || !(e instanceof Error) || !('location' in e)) throw e;
    const { line, column } = (e as PeggyError).location.start;
    const what = e.message.replace(/^Expected/, 'expected').replace(/\.$/, '');
    throw new FilterExpressionError(`SQL92 expression does not parse at line ${line}, column ${column}: ${what}`, line, column);
  }
}

/** AST nodes and IN-list items against the limits, counted without recursion. */
function checkSize(root: Node, limits: FilterLimits): void {
  let nodes = 0;
  const stack: Node[] = [root];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (++nodes > limits.maxAstNodes) {
      throw new FilterExpressionError(`SQL92 expression has more than ${limits.maxAstNodes} nodes; the limit is ${limits.maxAstNodes} (maxAstNodes)`);
    }
    if (n.k === 'in' && n.list.length > limits.maxInListItems) {
      throw new FilterExpressionError(`SQL92 expression has an IN list of ${n.list.length} items; the limit is ${limits.maxInListItems} (maxInListItems)`);
    }
    stack.push(...children(n));
  }
}
