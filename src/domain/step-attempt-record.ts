import type { StepState } from './states';

/**
 * One try of one step within one run: a row of the `step_attempt` table. A step retried twice has
 * three attempts (the first two `invalid`, each with its error); a skipped step has one, `noop`.
 */
export interface StepAttemptRecord {
  /**
   * The attempt's id, an integer unique in the database: a run's attempts count up from a number
   * its run takes, in the order they ended. An attempt still in flight has no row yet: its id is
   * negative (the negative of its step row's id) until it ends.
   */
  readonly id: number;
  /** The run it belongs to (FlowRunRecord.runId). */
  readonly runId: string;
  readonly flowName: string;
  readonly timeperiod: string;
  readonly stepName: string;
  /** 1 for the step's first try in this run, 2 for its first retry... */
  readonly attempt: number;
  /** `in_progress` while it runs, then `processed`, `noop`, `invalid` or `canceled`. */
  readonly state: StepState;
  /** The cluster it ran on; null for a skipped step. */
  readonly cluster: string | null;
  readonly startedAt: Date;
  /** When it ended; null while it runs. */
  readonly finishedAt: Date | null;
  /** Why it failed (secrets redacted); null unless invalid or canceled. */
  readonly error: string | null;
}
