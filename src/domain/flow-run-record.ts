import type { RunTrigger } from './run-id';
import type { FlowState } from './states';
import type { RunMode } from './flow-record';
import type { StepAttemptRecord } from './step-attempt-record';

/**
 * One run of a flow, as `app.history()` and `app.historyRun()` return it: a row of the `flow_run`
 * table with its step attempts. Unlike the `flow` row of [flowName, timeperiod], which the next run
 * of the pair overwrites, a run's record stays until `history.keepDays` after it ended.
 */
export interface FlowRunRecord {
  /** The run's id (`FlowRunResult.runId`, every event's `runId`): 14 base-36 characters that sort by start time. */
  readonly runId: string;
  readonly flowName: string;
  /** `YYYYMMDDHH`, the timeperiod the run was for. */
  readonly timeperiod: string;
  /** How it was started: `run`, `recover`, `run_one` or `run_from`. */
  readonly runMode: RunMode;
  /** The step given to `runOne` / `runFrom`; null for `run` and `recover`. */
  readonly stepName: string | null;
  /** Who started it: `api`, `cli`, `viewer`, `backfill` or `scheduler`. */
  readonly trigger: RunTrigger;
  /** `in_progress` while it runs (or if its engine died: `recover` finishes it), then its final state. */
  readonly state: FlowState;
  /** The host name of the engine that ran it. */
  readonly host: string;
  /** The process id of the engine that ran it. */
  readonly pid: number;
  /**
   * The instance id of the engine that ran it, the one FlowLockedError names (`(instance ...)`) and the
   * scheduler prints when it starts: host and pid alone do not tell two containers apart. Null for a run
   * recorded by a version before it.
   */
  readonly instanceId: string | null;
  readonly startedAt: Date;
  /** When it ended; null while it runs. */
  readonly finishedAt: Date | null;
  /** Why it ended invalid when no step says so (no cluster could be launched, a cancel...); null otherwise. */
  readonly error: string | null;
  /** Every attempt of every step of this run, in the order they started. */
  readonly attempts: StepAttemptRecord[];
}

/**
 * A run without its attempts, as `app.history(flow, { attempts: false })` lists it: what a list of
 * runs shows, read without the rows of every step of every run (a 10,000-step flow has 10,000 a run).
 */
export type FlowRunSummary = Omit<FlowRunRecord, 'attempts'>;

/** A run as `app.activeRuns()` lists it: its record without the attempts, and whether its engine lives. */
export interface ActiveRunRecord extends FlowRunSummary {
  /**
   * Why the engine running it is dead, for a run in progress whose engine holds its lease no more
   * (`its lease expired at <ISO time> without a heartbeat`, `its process 4242 is gone`, `its run
   * holds no lease`...): the run stays `in_progress` until `recover` (or any later run of its
   * timeperiod) closes it, but nothing runs it. Judged as the scheduler judges a holder and in the
   * words of `recover`'s takeover, by the database's clock. Null while its engine may be alive, and
   * for a run that ended.
   */
  readonly engineGone: string | null;
}
