/** A compile failure (syntax, semantic parse-time error, or a limit). Callers map it to the wire code by `code`. */
export class FilterExpressionError extends Error {
  readonly code = 'ILLEGAL_FILTER_EXPRESSION' as const;
  readonly line?: number;
  readonly column?: number;

  constructor(message: string, line?: number, column?: number) {
    super(message);
    this.name = 'FilterExpressionError';
    if (line !== undefined) this.line = line;
    if (column !== undefined) this.column = column;
  }
}

/** 1-based line and column (in UTF-16 units) of a 0-based offset; \r\n, \n and \r end lines, as in peggy. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** A parse-time (semantic) error at a node's offset. */
export function invalidAt(text: string, offset: number, what: string): FilterExpressionError {
  const { line, column } = lineColumn(text, offset);
  return new FilterExpressionError(`SQL92 expression is invalid at line ${line}, column ${column}: ${what}`, line, column);
}
