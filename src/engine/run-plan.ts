import { FlowRunNotFoundError, StepBlockedError, UnknownStepError } from '../errors';
import type { FlowDefinition } from '../metadata/flow-definition';
import type { FlowRecord, RunMode } from '../domain/flow-record';
import { STEP_DONE_STATES } from '../domain/states';
import type { StepRecord } from '../domain/step-record';

export interface RunPlan {
  mode: RunMode;
  /** Steps this run executes (and resets to embryo first). */
  toRun: Set<string>;
  purge: boolean;
  clusters: number;
}

export interface PlanRequest {
  definition: FlowDefinition;
  mode: RunMode;
  step?: string;
  timeperiod: string;
  flow: FlowRecord | null;
  steps: readonly StepRecord[];
  nominalClusters: number;
}

/**
 * Decides what a run mode executes (README, "Running flows"). Pure: it reads the persisted state and
 * throws before anything is written, so a bad request changes nothing.
 */
export function planRun(req: PlanRequest): RunPlan {
  const { definition, mode, nominalClusters } = req;
  const all = definition.graph.steps;
  const done = new Set(req.steps.filter((s) => STEP_DONE_STATES.has(s.state)).map((s) => s.stepName));
  switch (mode) {
    case 'run':
      return { mode, toRun: new Set(all), purge: true, clusters: nominalClusters };
    case 'recover': {
      if (!req.flow) throw new FlowRunNotFoundError(definition.name, req.timeperiod);
      return { mode, toRun: new Set(all.filter((s) => !done.has(s))), purge: false, clusters: nominalClusters };
    }
    case 'run_one': {
      const step = checkedStep(req, done);
      return { mode, toRun: new Set([step]), purge: false, clusters: 1 };
    }
    case 'run_from': {
      const step = checkedStep(req, done);
      const toRun = new Set([step, ...definition.graph.descendantsOf(step)]);
      checkDescendants(req, step, toRun, done);
      return { mode, toRun, purge: false, clusters: Math.max(1, Math.round((nominalClusters * toRun.size) / all.length)) };
    }
  }
}

function checkedStep(req: PlanRequest, done: ReadonlySet<string>): string {
  const { definition, step } = req;
  if (!step || !definition.graph.has(step)) throw new UnknownStepError(definition.name, String(step), definition.graph.steps);
  const blockedBy = definition.graph.dependenciesOf(step).filter((d) => !done.has(d));
  if (blockedBy.length) throw new StepBlockedError(definition.name, req.timeperiod, step, blockedBy, !req.flow);
  return step;
}

/**
 * runFrom: a descendant that also depends on a step outside the run (not the requested step nor
 * one of its descendants) runs only on that step's output, which must be there: processed. The
 * scheduler takes what is outside the run as done, so without this a descendant ran on the output
 * of a step that had failed, or never run.
 */
function checkDescendants(req: PlanRequest, step: string, toRun: ReadonlySet<string>, done: ReadonlySet<string>): void {
  const { graph } = req.definition;
  for (const descendant of graph.topologicalOrder()) {
    if (descendant === step || !toRun.has(descendant)) continue;
    const blockedBy = graph.dependenciesOf(descendant).filter((d) => !toRun.has(d) && !done.has(d));
    if (blockedBy.length) throw new StepBlockedError(req.definition.name, req.timeperiod, descendant, blockedBy, !req.flow, step);
  }
}
