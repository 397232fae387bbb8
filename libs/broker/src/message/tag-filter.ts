import { OrbitError } from '@orbitmq/protocol';

/** A tag subscription: '*' (or empty) matches every message; otherwise exact tags. */
export interface TagFilter {
  all: boolean;
  tags: ReadonlySet<string>;
}

/** RocketMQ's tag expression: `*`, or tags joined by `||` (surrounding blanks ignored). */
export function parseTagExpression(expression: string): TagFilter {
  const e = expression.trim();
  if (e === '' || e === '*') return { all: true, tags: new Set() };
  const tags = e
    .split('||')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (tags.length === 0) throw new OrbitError('ILLEGAL_FILTER_EXPRESSION', `tag expression '${expression}' names no tag`);
  return { all: false, tags: new Set(tags) };
}
