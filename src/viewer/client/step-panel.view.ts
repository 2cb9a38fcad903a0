import type { ActionRunView, ActionView, StepLog, StepRunView, StepView } from './api-types.js';
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

  showLog(log: StepLog): void {
    const pre = this.byId('step-log');
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.textContent = log.exists ? `${log.truncated ? '[older lines left out]\n' : ''}${log.text}` : '(no log yet: the step has not run)';
    if (atBottom) pre.scrollTop = pre.scrollHeight;
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
