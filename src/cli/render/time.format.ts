const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local date and time to the second, as a table cell: 2026-11-26 07:00:03. */
export function formatDateTime(date: Date | null | undefined): string {
  if (!date) return '-';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${formatClock(date)}`;
}

/** Local time of day, the prefix of a progress line: 07:00:03. */
export function formatClock(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
