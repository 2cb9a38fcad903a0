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

/** Every state the page colours, in the legend's order; `never` is a timeperiod (or a cell) that never ran. */
export const LEGEND_STATES = ['never', 'embryo', 'in_progress', 'processed', 'noop', 'invalid', 'canceled'] as const;

/** The one wording of a state, shared by the badges, the grid, the timeline and the legend. */
export function stateLabel(state: string): string {
  return state === 'never' ? 'never ran' : state.replace(/_/g, ' ');
}

export function stateBadge(state: string | null | undefined): HTMLSpanElement {
  const badge = document.createElement('span');
  badge.className = `badge${state ? ` state-${state}` : ''}`;
  badge.dataset.state = state ?? '';
  badge.textContent = state ? stateLabel(state) : '';
  return badge;
}

/** The legend, written from the same labels as the badges. */
export function renderLegend(list: HTMLElement): void {
  list.replaceChildren(
    ...LEGEND_STATES.map((state) => {
      const item = document.createElement('li');
      item.className = `state-${state}`;
      item.textContent = stateLabel(state);
      return item;
    }),
  );
}

/** `2026112600` as `2026-11-26 00h`, the grid's and the timeline's column headings. */
export function formatTimeperiod(timeperiod: string): string {
  return `${timeperiod.slice(0, 4)}-${timeperiod.slice(4, 6)}-${timeperiod.slice(6, 8)} ${timeperiod.slice(8, 10)}h`;
}
