import type { FlowRunResult, RunOptions } from '../engine/run-options';
import type { FlowDefinition } from '../metadata/flow-definition';
import type { ScheduleStore } from '../persistence/schedule/schedule-store';

/**
 * What a scheduler needs of its application: the flows, the application's own `run` and
 * `recover` (so a scheduled run is a run like any other: same checks, same shutdown, same events),
 * and the database.
 */
export interface SchedulerHost {
  /** Every flow of the application, scheduled or not (an `after` may name one that is not). */
  readonly definitions: ReadonlyMap<string, FlowDefinition>;
  run(flow: string, options: RunOptions): Promise<FlowRunResult>;
  recover(flow: string, options: RunOptions): Promise<FlowRunResult>;
  /** Opens the database on first need. */
  scheduleStore(): Promise<ScheduleStore>;
  /** The same, for a read; undefined (and nothing created) when the database is a SQLite file that does not exist. */
  readableScheduleStore(): Promise<ScheduleStore | undefined>;
}
