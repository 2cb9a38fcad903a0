/* How the page writes times and durations. */

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** Today's daily timeperiod, `YYYYMMDD00`, the default for a new run. */
export function todayTimeperiod(): string {
  const d = new Date();
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}00`;
}

export function stateBadge(state: string | null | undefined): HTMLSpanElement {
  const badge = document.createElement('span');
  badge.className = `badge${state ? ` state-${state}` : ''}`;
  badge.textContent = state ?? '';
  return badge;
}
