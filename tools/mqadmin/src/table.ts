/** Left-aligned columns, like mqadmin's output: a header row with #-prefixed names, then rows. */
export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers.map((h) => `#${h}`), ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd((widths[i] as number) + 2)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}
