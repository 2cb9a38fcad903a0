import type { RunTrigger } from '../domain/run-id';
import type { FlowState, StepState } from '../domain/states';

/** What `app.run()`, `recover()`, `runOne()` and `runFrom()` accept; checked before anything is locked or written. */
export interface RunOptions {
  /** `YYYYMMDDHH`: which period this run processes. */
  timeperiod: string;
  /** The start of a range the run covers, recorded on the flow's row and given to the steps. */
  startTimeperiod?: string;
  /** The end of that range. */
  endTimeperiod?: string;
  /** Nominal number of clusters for this run (overrides bootstrap's `cluster.count`). */
  clusters?: number;
  /** Default true: the first failure stops new steps from starting. */
  failFast?: boolean;
  /** Aborting it cancels the run, like app.cancel(). */
  signal?: AbortSignal;
  /** Who starts the run, as its history records it; default `'api'`. The CLI, the viewer and the scheduler set their own. */
  trigger?: RunTrigger;
  /**
   * Run only if the period's flow state, read once this run holds the period's lease, is still
   * this one (`null`: the period never ran); otherwise the method throws FlowStateChangedError and
   * runs and writes nothing. For a caller that decided from a state it read earlier - a full `run`
   * of a period another engine processed meanwhile would purge its steps' records and run it again.
   */
  expectedState?: FlowState | null;
}

/** How a run ended: a failing step does not make the run methods throw, their result says `invalid`. */
export interface FlowRunResult {
  flowName: string;
  timeperiod: string;
  /** This run's id: every event and log line of the run carries it, and history and logs find the run by it. */
  runId: string;
  state: FlowState;
  steps: Record<string, StepState>;
  /** Why the run ended invalid, when it was not a step (every cluster failed to launch, say). */
  error?: string;
}
