import type { FlowState } from './states';

/** How a flow run was started: `app.run`, `recover`, `runOne` or `runFrom`. */
export type RunMode = 'run' | 'recover' | 'run_one' | 'run_from';

/**
 * The current state of one flow run, `[flowName, timeperiod]`, as `app.status()` and `app.runs()`
 * return it: a row of the `flow` table, read-only. Another run of the same pair overwrites it.
 */
export interface FlowRecord {
  /** The row's id: stable while the pair's row exists. */
  readonly id: number;
  readonly flowName: string;
  /** `YYYYMMDDHH`, the timeperiod the run is for. */
  readonly timeperiod: string;
  /** The start of the range the run covers, when it was given one. */
  readonly startTimeperiod: string | null;
  /** The end of the range the run covers, when it was given one. */
  readonly endTimeperiod: string | null;
  readonly state: FlowState;
  /** The run mode of the latest run of this pair. */
  readonly runMode: RunMode;
  /** When the pair first ran. */
  readonly createdAt: Date;
  /** When the latest run started; null before it starts. */
  readonly startedAt: Date | null;
  /** When the latest run ended; null while it runs. */
  readonly finishedAt: Date | null;
}
