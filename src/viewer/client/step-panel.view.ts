import type { ActionRunView, ActionView, AttemptView, StepLog, StepRunView, StepView } from './api-types.js';
import { formatDuration, formatTime, stateBadge } from './format.js';

/** The side panel: the clicked step's definition, its state in the selected run, its actions and its log. */
export class StepPanel {
  constructor(private readonly root: HTMLElement) {}

  show(step: StepView, run: StepRunView | undefined): void {
    this.root.hidden = false;
    this.root.dataset.step = step.name;
    this.byId('step-title').textContent = step.name;
    const rows: Array<[string, string | HTMLElement]> = [
      ['state', stateBadge(run?.state ?? 'embryo')],
      ['attempt', run?.attempt ? String(run.attempt) : ''],
      ['started', formatTime(run?.startedAt)],
      ['finished', formatTime(run?.finishedAt)],
      ['duration', formatDuration(run?.durationMs)],
      ['depends on', step.dependsOn.join(', ') || '(start)'],
      ['retries', String(step.options.retries)],
      ['timeout', step.options.timeoutMs ? formatDuration(step.options.timeoutMs) : ''],
      ['error', run?.error ?? ''],
      ['description', step.description ?? ''],
    ];
    this.byId('step-details').replaceChildren(
      ...rows
        .filter(([, value]) => value !== '')
        .flatMap(([label, value]) => {
          const dt = document.createElement('dt');
          dt.textContent = label;
          const dd = document.createElement('dd');
          dd.dataset.field = label;
          dd.append(value);
          return [dt, dd];
        }),
    );
    const actions = run?.actions ?? { pre: step.pre.map(pending), main: pending(step.main), post: step.post.map(pending) };
    this.root
      .querySelector('#step-actions tbody')!
      .replaceChildren(
        ...[
          ...actions.pre.map((a, i) => actionRow('pre', a, step.pre[i])),
          actionRow('main', actions.main, step.main),
          ...actions.post.map((a, i) => actionRow('post', a, step.post[i])),
        ],
      );
  }

  /**
   * Which lines the log shows: a button per attempt of the step in the run (the one shown pressed),
   * none when the flow's own log is shown; `source` says which run and attempt, in words.
   */
  showLogChoice(attempts: readonly AttemptView[], shown: number | null, flowLog: boolean, onAttempt: (attempt: number) => void): void {
    (this.byId('log-flow') as HTMLInputElement).checked = flowLog;
    const buttons = flowLog
      ? []
      : attempts.map((a) => {
          const button = document.createElement('button');
          button.type = 'button';
          button.dataset.attempt = String(a.attempt);
          button.dataset.state = a.state;
          button.setAttribute('aria-pressed', String(a.attempt === shown));
          button.textContent = `#${a.attempt} ${a.state}`;
          button.addEventListener('click', () => onAttempt(a.attempt));
          return button;
        });
    this.byId('log-attempts').replaceChildren(...buttons);
  }

  showLog(log: StepLog, source: string): void {
    const pre = this.byId('step-log');
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    this.byId('log-source').textContent = source;
    pre.dataset.runId = log.runId ?? '';
    pre.dataset.attempt = log.attempt ? String(log.attempt) : '';
    pre.textContent = log.exists ? `${log.truncated ? '[older lines left out]\n' : ''}${log.text}` : '(no log yet: not run in this run)';
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }

  /** A timeperiod that never ran has no log: said so, not as an error. */
  showNeverRan(): void {
    this.byId('log-source').textContent = '';
    this.byId('log-attempts').replaceChildren();
    const pre = this.byId('step-log');
    pre.dataset.runId = '';
    pre.dataset.attempt = '';
    pre.textContent = '(never ran: this timeperiod has no run, so no log)';
  }

  hide(): void {
    this.root.hidden = true;
    delete this.root.dataset.step;
  }

  private byId(id: string): HTMLElement {
    return this.root.querySelector(`#${id}`)!;
  }
}

function pending(action: { name: string }): ActionRunView {
  return { name: action.name, state: 'pending', inferred: true, durationMs: null, error: null };
}

/** The action's arguments as the definition gave them (the API has redacted credentials). */
function argsCell(definition: ActionView | undefined): HTMLTableCellElement {
  const cell = document.createElement('td');
  cell.dataset.field = 'args';
  const args = definition?.args;
  if (args === null || args === undefined) return cell;
  const code = document.createElement('code');
  code.textContent = typeof args === 'string' ? args : JSON.stringify(args, null, 1).replace(/\n\s*/g, ' ');
  cell.append(code);
  return cell;
}

function actionRow(phase: string, action: ActionRunView, definition: ActionView | undefined): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.action = `${phase}:${action.name}`;
  row.dataset.state = action.state;
  for (const text of [phase, action.name, action.state, action.durationMs === null ? '' : action.durationMs.toFixed(0)]) {
    const cell = document.createElement('td');
    cell.textContent = text;
    row.append(cell);
  }
  row.append(argsCell(definition));
  if (action.inferred) row.cells[2].className = 'inferred';
  if (action.error) row.title = action.error;
  return row;
}
