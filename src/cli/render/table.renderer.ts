/** A plain text table: a header row, columns padded to their widest cell, two spaces apart. */
export function renderTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  options: { alignRight?: readonly number[] } = {},
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = new Set(options.alignRight ?? []);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (right.has(i) ? (cell ?? '').padStart(widths[i]) : (cell ?? '').padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}
