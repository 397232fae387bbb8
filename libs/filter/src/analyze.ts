// Facts about an expression that let callers skip work before evaluating it.
import { type Node, children } from './ast';
import type { BoolIR } from './ir';

/** Every property name the text references (iterative: the tree depth is untrusted). */
export function propertyNames(root: Node): Set<string> {
  const names = new Set<string>();
  const stack: Node[] = [root];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (n.k === 'prop') names.add(n.name);
    stack.push(...children(n));
  }
  return names;
}

/**
 * The tags a message must have for the expression to be TRUE, from the top-level AND chain's
 * `TAGS = 'x'`, `'x' = TAGS` and `TAGS IN (...)` conjuncts (each must be TRUE for the AND to be
 * TRUE, and each is TRUE only for those exact strings); undefined when there is no such conjunct.
 */
export function requiredTags(root: BoolIR): Set<string> | undefined {
  let tags: Set<string> | undefined;
  const stack: BoolIR[] = [root];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (n.t === 'and') {
      stack.push(n.l, n.r);
      continue;
    }
    const these = tagsOf(n);
    if (these === undefined) continue;
    tags = tags === undefined ? new Set(these) : new Set([...tags].filter((t) => these.has(t)));
  }
  return tags;
}

function tagsOf(n: BoolIR): ReadonlySet<string> | undefined {
  if (n.t === 'in' && n.name === 'TAGS' && !n.not) return n.set;
  if (n.t !== 'eq') return undefined;
  const [p, c] = n.l.t === 'prop' ? [n.l, n.r] : [n.r, n.l];
  if (p.t === 'prop' && p.name === 'TAGS' && c.t === 'const' && c.kind === 'string') return new Set([c.v as string]);
  return undefined;
}
