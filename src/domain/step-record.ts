import type { StepState } from './states';

/** The current state of one step of a flow run, as `app.status()` returns it: a row of the `step` table, read-only. */
export interface StepRecord {
  /** The row's id; a run's steps were created in id order (the flow's topological order). */
  readonly id: number;
  readonly flowName: string;
  readonly stepName: string;
  /** `YYYYMMDDHH`, the timeperiod of the flow run. */
  readonly timeperiod: string;
  readonly state: StepState;
  /** 1 for the first attempt of the latest execution; grows with retries; 0 before it ran. */
  readonly attempt: number;
  readonly createdAt: Date;
  /** When the latest attempt started; null before. */
  readonly startedAt: Date | null;
  /** When the latest attempt ended; null while it runs. */
  readonly finishedAt: Date | null;
  /** Why the last attempt failed (secrets redacted); null unless invalid or canceled. */
  readonly error: string | null;
  /** The `runId` of the run that started the latest attempt; null before it ran. */
  readonly runId: string | null;
}
