import type { ScheduleView } from './api-types.js';
import { formatTime } from './format.js';

/**
 * The schedule panel of a scheduled flow: the schedule in words, whether it is paused (with the
 * switch), and the next periods of its plan with their status, due time and why they wait.
 */
export class SchedulePanel {
  constructor(
    private readonly root: HTMLElement,
    onToggle: (pause: boolean) => void,
  ) {
    this.byId('schedule-toggle').addEventListener('click', () => onToggle(this.root.dataset.paused !== 'true'));
  }

  render(view: ScheduleView): void {
    this.root.hidden = false;
    this.root.dataset.flow = view.flowName;
    this.root.dataset.paused = String(view.paused);
    this.byId('schedule-words').textContent = view.words;
    const state = this.byId('schedule-state');
    state.textContent = view.paused ? 'paused' : 'active';
    state.className = `badge ${view.paused ? 'state-canceled' : 'state-processed'}`;
    const toggle = this.byId('schedule-toggle');
    toggle.textContent = view.paused ? 'Resume schedule' : 'Pause schedule';
    toggle.setAttribute('aria-pressed', String(view.paused));
    this.byId('schedule-periods').replaceChildren(
      ...view.periods.map((period) => {
        const row = document.createElement('tr');
        row.dataset.timeperiod = period.timeperiod;
        row.dataset.status = period.status;
        for (const [field, text] of [
          ['timeperiod', period.timeperiod],
          ['status', period.status],
          ['due', formatTime(period.dueAt)],
          ['why', period.why],
        ]) {
          const cell = document.createElement('td');
          cell.dataset.field = field;
          cell.textContent = text;
          row.append(cell);
        }
        return row;
      }),
    );
  }

  hide(): void {
    this.root.hidden = true;
    delete this.root.dataset.flow;
  }

  private byId(id: string): HTMLElement {
    return this.root.querySelector(`#${id}`)!;
  }
}
