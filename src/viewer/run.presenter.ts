import type { FlowStatus } from '../flow-application.port';
import type { ActionState } from '../domain/flow-event';
import type { ActionDefinition, FlowDefinition, StepDefinition } from '../metadata/flow-definition';
import type { FlowRecord } from '../domain/flow-record';
import type { StepRecord } from '../domain/step-record';
import type { ActionStateTracker, TrackedAction } from './action-state.tracker';

export interface RunSummaryView {
  timeperiod: string;
  state: FlowRecord['state'];
  runMode: FlowRecord['runMode'];
  startTimeperiod: string | null;
  endTimeperiod: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
}

/**
 * `pending`: not started yet; `not_run`: the attempt failed before reaching it; `unknown`: the
 * viewer did not see this attempt's events (they are not persisted) and the step state does not tell.
 */
export type ActionRunState = ActionState | 'pending' | 'not_run' | 'unknown';

export interface ActionRunView {
  name: string;
  state: ActionRunState;
  /** True when the state is deduced from the step's state rather than seen in an event. */
  inferred: boolean;
  durationMs: number | null;
  error: string | null;
}

export interface StepRunView {
  name: string;
  state: StepRecord['state'];
  attempt: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  error: string | null;
  actions: { pre: ActionRunView[]; main: ActionRunView; post: ActionRunView[] };
}

/** A step removed from the flow's definition whose row this run still has: history, it no longer counts. */
export interface RetiredStepView {
  name: string;
  state: StepRecord['state'];
  attempt: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

export interface RunDetailView extends RunSummaryView {
  flowName: string;
  steps: StepRunView[];
  retiredSteps: RetiredStepView[];
  /** In progress, but its engine is dead (ActiveRunRecord.engineGone): why; null otherwise. */
  engineGone: string | null;
}

export function presentRunSummary(flow: FlowRecord): RunSummaryView {
  return {
    timeperiod: flow.timeperiod,
    state: flow.state,
    runMode: flow.runMode,
    startTimeperiod: flow.startTimeperiod,
    endTimeperiod: flow.endTimeperiod,
    createdAt: flow.createdAt,
    startedAt: flow.startedAt,
    finishedAt: flow.finishedAt,
    durationMs: duration(flow.startedAt, flow.finishedAt),
  };
}

export function presentRunDetail(
  definition: FlowDefinition,
  status: FlowStatus,
  tracker: ActionStateTracker,
  engineGone: string | null,
): RunDetailView {
  const records = new Map(status.steps.map((s) => [s.stepName, s]));
  const steps = [...definition.steps.values()].flatMap((step) => {
    const record = records.get(step.name);
    return record ? [presentStepRun(step, record, tracker.actionsOf(definition.name, status.flow.timeperiod, step.name))] : [];
  });
  const retiredSteps = status.steps
    .filter((s) => s.retired)
    .map((s) => ({
      name: s.stepName,
      state: s.state,
      attempt: s.attempt,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      error: s.error,
    }));
  return { flowName: definition.name, ...presentRunSummary(status.flow), steps, retiredSteps, engineGone };
}

function presentStepRun(step: StepDefinition, record: StepRecord, tracked: readonly TrackedAction[] | undefined): StepRunView {
  // an embryo step has been reset: whatever was seen belongs to an earlier execution
  const seen = record.state === 'embryo' ? undefined : tracked;
  const pending = [...(seen ?? [])];
  const view = (action: ActionDefinition): ActionRunView => {
    const index = pending.findIndex((t) => t.phase === action.phase && t.name === action.name);
    if (index >= 0) {
      const [t] = pending.splice(index, 1);
      return { name: action.name, state: t.state, inferred: false, durationMs: t.durationMs ?? null, error: t.error ?? null };
    }
    return {
      name: action.name,
      state: inferActionState(action, record.state, seen !== undefined),
      inferred: true,
      durationMs: null,
      error: null,
    };
  };
  return {
    name: step.name,
    state: record.state,
    attempt: record.attempt,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    durationMs: duration(record.startedAt, record.finishedAt),
    error: record.error,
    actions: { pre: step.pre.map(view), main: view(step.main), post: step.post.map(view) },
  };
}

function inferActionState(action: ActionDefinition, stepState: StepRecord['state'], attemptSeen: boolean): ActionRunState {
  switch (stepState) {
    case 'embryo':
      return 'pending';
    case 'processed':
      return action.options.skip ? 'skipped' : 'completed';
    case 'noop':
      return 'skipped';
    case 'in_progress':
      return attemptSeen ? 'pending' : 'unknown';
    default:
      return attemptSeen ? 'not_run' : 'unknown';
  }
}

function duration(startedAt: Date | null, finishedAt: Date | null): number | null {
  return startedAt && finishedAt ? finishedAt.getTime() - startedAt.getTime() : null;
}
