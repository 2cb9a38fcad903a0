import type { GridPage } from './api-types.js';
import { formatDuration, formatTimeperiod, stateLabel } from './format.js';

/**
 * The grid of timeperiods x steps: one column per timeperiod (oldest left, newest right, the flow's
 * state on top), one row per step in topological order, each cell coloured by the step's state
 * there. Written as one HTML string: a 2,000-step flow has 60,000 cells, which the browser parses
 * far faster than it builds them one createElement at a time. Rows are laid out only when scrolled
 * into view (`content-visibility`), and a cell's tooltip is written when the pointer reaches it.
 * Clicks are handled once, on the grid.
 */
export class GridView {
  private page: GridPage | null = null;

  constructor(
    private readonly root: HTMLElement,
    onOpen: (timeperiod: string, step: string | null) => void,
  ) {
    root.addEventListener('click', (event) => {
      const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-timeperiod]');
      if (!cell?.dataset.timeperiod) return;
      onOpen(cell.dataset.timeperiod, cell.parentElement?.dataset.step ?? null);
    });
    root.addEventListener('mouseover', (event) => {
      const cell = (event.target as HTMLElement).closest<HTMLElement>('.cell');
      const step = cell?.parentElement?.dataset.step;
      if (!cell || !step || cell.title) return;
      const state = cell.dataset.state ?? 'never';
      const attempts = Number(cell.dataset.attempts ?? 0);
      cell.title = `${step} ${cell.dataset.timeperiod}: ${stateLabel(state)}${attempts > 1 ? `, ${attempts} attempts` : ''}`;
    });
  }

  render(page: GridPage, selected: string | null): void {
    this.page = page;
    const { columns, rows } = page;
    const head = columns
      .map(
        (c) =>
          `<span class="col state-${c.state}" data-timeperiod="${c.timeperiod}" title="${c.timeperiod}: ${stateLabel(c.state)} (${c.runMode}) ${formatDuration(c.durationMs)}">${formatTimeperiod(c.timeperiod)}</span>`,
      )
      .join('');
    const body = rows
      .map((row) => {
        const name = escapeHtml(row.stepName);
        const cells = row.states
          .map((state, i) => {
            const s = state ?? 'never';
            const attempts = row.attempts[i] > 1 ? ` data-attempts="${row.attempts[i]}"` : '';
            return `<span class="cell state-${s}" data-state="${s}" data-timeperiod="${columns[i].timeperiod}"${attempts}></span>`;
          })
          .join('');
        return `<div class="grid-row" data-step="${name}"><span class="name" title="${name}">${name}</span>${cells}</div>`;
      })
      .join('');
    const corner = `<span class="name corner">${columns.length ? 'step \\ timeperiod' : 'no runs yet'}</span>`;
    this.root.innerHTML = `<div class="grid-head">${corner}${head}</div>${body}`;
    this.select(selected);
    this.root.dataset.drawn = String(columns.length);
  }

  /** Outlines the column of the timeperiod the rest of the page shows. */
  select(timeperiod: string | null): void {
    if (!this.page) return;
    this.root.querySelector('.grid-head .current')?.classList.remove('current');
    if (timeperiod) this.root.querySelector(`.grid-head [data-timeperiod="${timeperiod}"]`)?.classList.add('current');
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
