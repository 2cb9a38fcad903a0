import type { GridPage } from './api-types.js';
import { formatDuration, formatTimeperiod, stateLabel } from './format.js';

/**
 * The grid of timeperiods x steps: one column per timeperiod (oldest left, newest right, the flow's
 * state on top), one row per step in topological order, each cell coloured by the step's state
 * there. Written as one HTML string: a 2,000-step flow has 60,000 cells, which the browser parses
 * far faster than it builds them one createElement at a time. Clicks are handled once, on the table.
 */
export class GridView {
  private page: GridPage | null = null;

  constructor(
    private readonly table: HTMLTableElement,
    onOpen: (timeperiod: string, step: string | null) => void,
  ) {
    table.addEventListener('click', (event) => {
      const cell = (event.target as HTMLElement).closest('td, th');
      const timeperiod = cell instanceof HTMLElement ? cell.dataset.timeperiod : undefined;
      if (!cell || !timeperiod) return;
      onOpen(timeperiod, (cell.parentElement as HTMLElement).dataset.step ?? null);
    });
  }

  render(page: GridPage, selected: string | null): void {
    this.page = page;
    const { columns, rows } = page;
    const head = columns
      .map(
        (c) =>
          `<th class="col state-${c.state}" data-timeperiod="${c.timeperiod}" title="${c.timeperiod}: ${stateLabel(c.state)} (${c.runMode}) ${formatDuration(c.durationMs)}">${formatTimeperiod(c.timeperiod)}</th>`,
      )
      .join('');
    const body = rows
      .map((row) => {
        const name = escapeHtml(row.stepName);
        const cells = row.states
          .map((state, i) => {
            const s = state ?? 'never';
            const attempts = row.attempts[i] > 1 ? ` x${row.attempts[i]}` : '';
            return `<td class="state-${s}" data-timeperiod="${columns[i].timeperiod}" title="${name} ${columns[i].timeperiod}: ${stateLabel(s)}${attempts}"></td>`;
          })
          .join('');
        return `<tr data-step="${name}"><th scope="row">${name}</th>${cells}</tr>`;
      })
      .join('');
    this.table.innerHTML = `<thead><tr><th class="corner">${columns.length ? 'step \\ timeperiod' : 'no runs yet'}</th>${head}</tr></thead><tbody>${body}</tbody>`;
    this.select(selected);
    this.table.dataset.drawn = String(columns.length);
  }

  /** Outlines the column of the timeperiod the rest of the page shows. */
  select(timeperiod: string | null): void {
    if (!this.page) return;
    const index = this.page.columns.findIndex((c) => c.timeperiod === timeperiod);
    this.table.dataset.selectedColumn = index >= 0 ? String(index + 2) : '';
    this.table.querySelectorAll('.current').forEach((el) => el.classList.remove('current'));
    if (index >= 0) this.table.querySelector(`thead th:nth-child(${index + 2})`)?.classList.add('current');
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
