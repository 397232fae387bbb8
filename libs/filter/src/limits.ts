import { FilterExpressionError, lineColumn } from './errors';

export interface FilterLimits {
  maxExpressionLength: number;
  maxNestingDepth: number;
  maxInListItems: number;
  maxAstNodes: number;
}

/** RocketMQ has no limits; a PEG parser recurses, so untrusted text is bounded before parsing. */
export const DEFAULT_FILTER_LIMITS: FilterLimits = Object.freeze({ maxExpressionLength: 4096, maxNestingDepth: 64, maxInListItems: 1024, maxAstNodes: 512 });

/** Length first, then parenthesis depth by a linear scan (no recursion), before the parser sees the text. */
export function checkBeforeParse(text: string, limits: FilterLimits): void {
  if (text.length > limits.maxExpressionLength) {
    throw new FilterExpressionError(`SQL92 expression is ${text.length} characters; the limit is ${limits.maxExpressionLength} (maxExpressionLength)`);
  }
  const at = deepestParen(text, limits.maxNestingDepth);
  if (at >= 0) {
    const { line, column } = lineColumn(text, at);
    throw new FilterExpressionError(
      `SQL92 expression nests parentheses deeper than ${limits.maxNestingDepth} at line ${line}, column ${column}; the limit is ${limits.maxNestingDepth} (maxNestingDepth)`,
      line,
      column,
    );
  }
}

/** Offset of the first '(' that goes deeper than `max`, or -1. Skips strings and comments, whose parentheses do not nest. */
function deepestParen(text: string, max: number): number {
  let depth = 0;
  let noNewlineAfter = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) {
      if (++depth > max) return i;
    } else if (c === 41) {
      if (depth > 0) depth--;
    } else if (c === 39) {
      const end = text.indexOf("'", i + 1); // '' inside a string is two adjacent strings here: same skip
      if (end < 0) return -1; // unterminated: the parser reports it
      i = end;
    } else if (c === 45 && text.charCodeAt(i + 1) === 45 && !noNewlineAfter) {
      let j = i + 2;
      while (j < n && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
      if (j === n)
        noNewlineAfter = true; // without a newline `--` is two minus signs (see sql92.peggy)
      else i = j;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return -1;
      i = end + 1;
    }
  }
  return -1;
}
