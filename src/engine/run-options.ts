import type { FlowState, StepState } from '../persistence/states';

export interface RunOptions {
  /** `YYYYMMDDHH`: which period this run processes. */
  timeperiod: string;
  startTimeperiod?: string;
  endTimeperiod?: string;
  /** Nominal number of clusters for this run (overrides bootstrap's `cluster.count`). */
  clusters?: number;
  /** Default true: the first failure stops new steps from starting. */
  failFast?: boolean;
  /** Aborting it cancels the run, like app.cancel(). */
  signal?: AbortSignal;
}

export interface FlowRunResult {
  flowName: string;
  timeperiod: string;
  state: FlowState;
  steps: Record<string, StepState>;
  /** Why the run ended invalid, when it was not a step (every cluster failed to launch, say). */
  error?: string;
}
