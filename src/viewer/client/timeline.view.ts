import type { HistoryRun } from './api-types.js';
import { formatDuration, formatTime, stateBadge, stateLabel } from './format.js';

/**
 * A timeperiod's runs, newest first (when, who started it, mode, state, duration, where), and the
 * selected run's timeline: a row per step, a bar per attempt from its start to its end on the
 * run's time axis, so retries and waits show where they happened.
 */
export class TimelineView {
  private runs: HistoryRun[] = [];
  private selected = 0;
  private chosen = false;

  constructor(
    private readonly list: HTMLTableSectionElement,
    private readonly chart: HTMLElement,
    /** Told when a row of the list is clicked: the log pane then shows that run. */
    private readonly onSelect: (run: HistoryRun) => void = () => undefined,
  ) {}

  /** The run a row was clicked for, or undefined while the newest is shown by default. */
  chosenRun(): HistoryRun | undefined {
    return this.chosen ? this.runs[this.selected] : undefined;
  }

  render(runs: HistoryRun[]): void {
    this.runs = runs;
    this.selected = Math.min(this.selected, Math.max(0, runs.length - 1));
    this.list.replaceChildren(...runs.map((run, index) => this.historyRow(run, index)));
    this.drawChart();
  }

  /** Back to the newest run, when the page shows another timeperiod. */
  reset(): void {
    this.selected = 0;
    this.chosen = false;
    this.runs = [];
    this.list.replaceChildren();
    this.chart.replaceChildren();
  }

  private historyRow(run: HistoryRun, index: number): HTMLTableRowElement {
    const row = document.createElement('tr');
    row.dataset.index = String(index);
    if (run.runId) row.dataset.runId = run.runId;
    if (index === this.selected) row.className = 'selected';
    // The instance id's first 8 characters, as `synergy-flow history` shows it: host and pid alone do not tell containers apart.
    const instance = run.instanceId ? ` (instance ${run.instanceId.slice(0, 8)})` : '';
    const who = run.host ? `${run.host}${run.pid !== null ? ` pid ${run.pid}` : ''}${instance}` : 'not recorded';
    const cells: Array<[string, string | HTMLElement]> = [
      ['started', formatTime(run.startedAt)],
      ['trigger', run.trigger ?? 'not recorded'],
      ['mode', run.runMode + (run.stepName ? ` ${run.stepName}` : '')],
      ['state', stateBadge(run.state)],
      ['duration', formatDuration(run.durationMs)],
      ['who', who],
    ];
    for (const [field, value] of cells) {
      const cell = document.createElement('td');
      cell.dataset.field = field;
      cell.append(value);
      row.append(cell);
    }
    row.addEventListener('click', () => {
      this.selected = index;
      this.chosen = true;
      this.render(this.runs);
      this.onSelect(run);
    });
    return row;
  }

  private drawChart(): void {
    const run = this.runs[this.selected];
    if (!run) {
      const empty = document.createElement('p');
      empty.className = 'hint';
      empty.textContent = 'never ran: no timeline for this timeperiod';
      this.chart.replaceChildren(empty);
      return;
    }
    const times = run.attempts.flatMap((a) => [a.startedAt, a.finishedAt]).filter((t): t is string => t !== null);
    const start = Math.min(...[run.startedAt, ...times].filter((t): t is string => t !== null).map((t) => Date.parse(t)));
    const ends = [run.finishedAt, ...times].filter((t): t is string => t !== null).map((t) => Date.parse(t));
    // a run still going ends, for now, at the latest time anything of it reported
    const end = Math.max(start + 1, ...ends);
    const span = end - start;
    const axis = document.createElement('div');
    axis.className = 'gantt-axis';
    axis.textContent = `0 - ${formatDuration(span)}`;
    const steps = new Map<string, HistoryRun['attempts']>();
    for (const attempt of run.attempts) steps.set(attempt.stepName, [...(steps.get(attempt.stepName) ?? []), attempt]);
    const rows = [...steps].map(([stepName, attempts]) => {
      const row = document.createElement('div');
      row.className = 'gantt-row';
      row.dataset.step = stepName;
      const label = document.createElement('span');
      label.className = 'gantt-label';
      const tries = Math.max(...attempts.map((a) => a.attempt));
      label.textContent = tries > 1 ? `${stepName} (${tries} attempts)` : stepName;
      const track = document.createElement('span');
      track.className = 'gantt-track';
      for (const attempt of attempts) {
        const from = attempt.startedAt ? Date.parse(attempt.startedAt) : start;
        const to = attempt.finishedAt ? Date.parse(attempt.finishedAt) : end;
        const bar = document.createElement('span');
        // a bar that starts late in the run has its text on its left, where there is room
        bar.className = `bar state-${attempt.state}${(from - start) / span > 0.6 ? ' late' : ''}`;
        bar.dataset.attempt = String(attempt.attempt);
        bar.dataset.state = attempt.state;
        bar.style.left = `${((from - start) / span) * 100}%`;
        bar.style.width = `${Math.max(0.4, ((to - from) / span) * 100)}%`;
        bar.title = `${stepName} attempt ${attempt.attempt}: ${stateLabel(attempt.state)}, ${formatDuration(attempt.durationMs)}${attempt.error ? `\n${attempt.error}` : ''}`;
        const text = document.createElement('span');
        text.className = 'bar-text';
        text.textContent = `#${attempt.attempt} ${formatDuration(attempt.durationMs)}`;
        bar.append(text);
        track.append(bar);
      }
      row.append(label, track);
      return row;
    });
    this.chart.replaceChildren(axis, ...rows);
  }
}
