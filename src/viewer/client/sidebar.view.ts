import type { FlowSummary, RunSummary } from './api-types.js';
import { formatDuration, stateBadge } from './format.js';

/** The flows, each with its latest run's state. */
export function renderFlowList(
  list: HTMLElement,
  flows: readonly FlowSummary[],
  selected: string | null,
  onSelect: (flow: string) => void,
): void {
  list.replaceChildren(
    ...flows.map((flow) => {
      const item = document.createElement('li');
      item.dataset.flow = flow.name;
      if (flow.name === selected) item.classList.add('selected');
      const name = document.createElement('span');
      name.textContent = flow.name;
      const sub = document.createElement('span');
      sub.className = 'sub';
      sub.textContent = `${flow.stepCount} step${flow.stepCount === 1 ? '' : 's'}`;
      item.append(name, flow.latestRun ? stateBadge(flow.latestRun.state) : sub);
      item.addEventListener('click', () => onSelect(flow.name));
      return item;
    }),
  );
}

/** A flow's runs, newest timeperiod first. */
export function renderRunList(
  list: HTMLElement,
  runs: readonly RunSummary[],
  selected: string | null,
  onSelect: (timeperiod: string) => void,
): void {
  list.replaceChildren(
    ...runs.map((run) => {
      const item = document.createElement('li');
      item.dataset.timeperiod = run.timeperiod;
      if (run.timeperiod === selected) item.classList.add('selected');
      const label = document.createElement('span');
      label.textContent = run.timeperiod;
      const sub = document.createElement('span');
      sub.className = 'sub';
      sub.textContent = `${run.runMode} ${formatDuration(run.durationMs)}`;
      label.append(document.createElement('br'), sub);
      item.append(label, stateBadge(run.state));
      item.addEventListener('click', () => onSelect(run.timeperiod));
      return item;
    }),
  );
}
