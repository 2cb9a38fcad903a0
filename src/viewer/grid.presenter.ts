import type { FlowRecord } from '../domain/flow-record';
import type { StepRecord } from '../domain/step-record';
import type { FlowDefinition } from '../metadata/flow-definition';

/** One column of the grid: a timeperiod the flow ran for, with the flow's current state in it. */
export interface GridColumnView {
  timeperiod: string;
  state: FlowRecord['state'];
  runMode: FlowRecord['runMode'];
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
}

/** One row of the grid: a step, its state in each column (null: the step has no row there), and its attempt count. */
export interface GridRowView {
  stepName: string;
  states: Array<StepRecord['state'] | null>;
  attempts: number[];
}

/**
 * The grid of runs x steps (Airflow's grid view): the columns oldest left, newest right, the rows
 * in the flow's topological order. `before` pages to older columns: the `olderBefore` of an answer
 * is the `before` of the page to its left, null when there is none.
 */
export interface GridView {
  flowName: string;
  limit: number;
  before: string | null;
  olderBefore: string | null;
  columns: GridColumnView[];
  rows: GridRowView[];
}

/**
 * @param runs the window's flow rows, newest first, one more than `limit` when older ones exist
 * @param steps the state of every step row of the window's timeperiods
 */
export function presentGrid(
  definition: FlowDefinition,
  page: { limit: number; before: string | null },
  runs: readonly FlowRecord[],
  steps: ReadonlyArray<Pick<StepRecord, 'stepName' | 'timeperiod' | 'state' | 'attempt'>>,
): GridView {
  const window = runs.slice(0, page.limit).reverse();
  const column = new Map(window.map((run, index) => [run.timeperiod, index]));
  const rows = definition.graph.topologicalOrder().map((stepName): GridRowView => ({
    stepName,
    states: window.map(() => null),
    attempts: window.map(() => 0),
  }));
  const rowOf = new Map(rows.map((row) => [row.stepName, row]));
  for (const step of steps) {
    const row = rowOf.get(step.stepName);
    const index = column.get(step.timeperiod);
    // rows of retired steps have no place in the grid: the run detail lists them
    if (!row || index === undefined) continue;
    row.states[index] = step.state;
    row.attempts[index] = step.attempt;
  }
  return {
    flowName: definition.name,
    limit: page.limit,
    before: page.before,
    olderBefore: runs.length > page.limit && window.length ? window[0].timeperiod : null,
    columns: window.map((run) => ({
      timeperiod: run.timeperiod,
      state: run.state,
      runMode: run.runMode,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs: run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    })),
    rows,
  };
}
