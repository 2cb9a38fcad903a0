/* The JSON the viewer's API returns, as the page reads it (the server's presenters are the source). */

export type StepState = 'embryo' | 'in_progress' | 'processed' | 'noop' | 'invalid' | 'canceled';
export type FlowState = 'embryo' | 'in_progress' | 'processed' | 'noop' | 'invalid';
export type RunMode = 'run' | 'recover' | 'run_one' | 'run_from';

export interface RunSummary {
  timeperiod: string;
  state: FlowState;
  runMode: RunMode;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface FlowSummary {
  name: string;
  description: string | null;
  stepCount: number;
  latestRun: RunSummary | null;
}

export interface ActionView {
  name: string;
  phase: 'pre' | 'main' | 'post';
  kind: 'method' | 'class';
  skip: boolean;
  timeoutMs: number | null;
  /** An action class's arguments, credentials redacted; null for a method. */
  args: unknown;
}

export interface StepView {
  name: string;
  description: string | null;
  dependsOn: string[];
  options: { skip: boolean; retries: number; timeoutMs: number | null };
  pre: ActionView[];
  main: ActionView;
  post: ActionView[];
}

export interface FlowView {
  name: string;
  description: string | null;
  steps: StepView[];
  graph: { nodes: string[]; edges: Array<{ from: string; to: string }>; topologicalOrder: string[] };
  /** The flow has a schedule: the page shows its schedule panel. */
  scheduled: boolean;
}

/** GET /api/flows/:flow/grid: columns oldest left, rows in topological order. */
export interface GridPage {
  flowName: string;
  limit: number;
  before: string | null;
  olderBefore: string | null;
  columns: Array<{ timeperiod: string; state: FlowState; runMode: RunMode; durationMs: number | null }>;
  rows: Array<{ stepName: string; states: Array<StepState | null>; attempts: number[] }>;
}

export interface AttemptView {
  stepName: string;
  attempt: number;
  state: StepState;
  cluster: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
}

/** GET /api/flows/:flow/schedule: a scheduled flow's schedule, its pause and its next periods. */
export interface ScheduleView {
  flowName: string;
  schedule: {
    every: string;
    start: string;
    delayMs: number;
    maxActiveRuns: number;
    onFailure: string;
    retries: number;
    retryDelayMs: number;
    after: string[];
  };
  words: string;
  paused: boolean;
  periods: Array<{
    timeperiod: string;
    status: 'running' | 'retry' | 'failed' | 'due' | 'scheduled' | 'paused' | 'blocked';
    dueAt: string;
    why: string;
  }>;
}

/** One run of GET /api/flows/:flow/history, with its attempts. */
export interface HistoryRun {
  runId: string | null;
  timeperiod: string;
  trigger: string | null;
  runMode: RunMode;
  stepName: string | null;
  state: FlowState;
  host: string | null;
  pid: number | null;
  /** The engine's instance id, as FlowLockedError names a lease's holder; null for runs recorded before it. */
  instanceId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  attempts: AttemptView[];
}

export interface RunsPage {
  runs: RunSummary[];
  limit: number;
  offset: number;
  hasMore: boolean;
}

export interface ActionRunView {
  name: string;
  state: string;
  inferred: boolean;
  durationMs: number | null;
  error: string | null;
}

export interface StepRunView {
  name: string;
  state: StepState;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  actions: { pre: ActionRunView[]; main: ActionRunView; post: ActionRunView[] };
}

/** A step removed from the flow's definition: its row is history and no longer counts. */
export interface RetiredStepView {
  name: string;
  state: StepState;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface RunDetail extends RunSummary {
  flowName: string;
  steps: StepRunView[];
  retiredSteps: RetiredStepView[];
  /** In progress, but its engine is dead: why; null otherwise. */
  engineGone: string | null;
}

/** GET .../steps/:step/log and GET .../log: the lines of a run (or of one attempt of a step in it). */
export interface StepLog {
  runId: string | null;
  attempt?: number | null;
  text: string;
  /** Bytes of the log's files, every run's lines (not the bytes of this run's lines). */
  size: number;
  truncated: boolean;
  exists: boolean;
}

/** What /api/events sends, one per `event:`. */
export interface FlowEvent {
  type: 'flow' | 'step' | 'action' | 'retry' | 'rollback' | 'cleanup';
  flowName: string;
  timeperiod: string;
  at: number;
  state?: string;
  runMode?: RunMode;
  stepName?: string;
  attempt?: number;
  actionName?: string;
  error?: string;
  /** A flow event of another engine's run in progress whose engine is dead: why. */
  engineGone?: string;
}
