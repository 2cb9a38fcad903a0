import { inertLine } from '../../logging/inert-text';

/**
 * A plain text table: a header row, columns padded to their widest cell, two spaces apart. A cell
 * is made inert (inertLine) before it is measured: one line, as wide as the terminal shows it.
 */
export function renderTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  options: { alignRight?: readonly number[] } = {},
): string {
  const cells = rows.map((row) => row.map((cell) => inertLine(cell ?? '')));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const right = new Set(options.alignRight ?? []);
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (right.has(i) ? (cell ?? '').padStart(widths[i]) : (cell ?? '').padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n') + '\n';
}
