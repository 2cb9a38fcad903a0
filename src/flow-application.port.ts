import type { Observable } from 'rxjs';
import type { FlowEvent } from './domain/flow-event';
import type { FlowRecord } from './domain/flow-record';
import type { StepRecord } from './domain/step-record';
import type { ActiveRunRecord, FlowRunRecord, FlowRunSummary } from './domain/flow-run-record';
import type { HistoryOptions } from './persistence/history/history-query.options';
import type { FlowRunResult, RunOptions } from './engine/run-options';
import type { StepStatus } from './engine/retired-steps';
import type { FlowGraph } from './graph/flow-graph';
import type { ApplicationLogs } from './logging/application-logs';
import type { FlowDefinition } from './metadata/flow-definition';
import type { Scheduler, SchedulerOptions } from './scheduler';

/** What `app.status(flow, timeperiod)` returns: a flow run's record and its steps' records. */
export interface FlowStatus {
  /** The run's own record: its state, mode, times. */
  flow: FlowRecord;
  /** Every step row of the run; those of steps removed from the definition are marked `retired`. */
  steps: StepStatus[];
}

/** What `app.health()` says: whether the database answers, how many runs this process has in flight, and which process it is. */
export interface ApplicationHealth {
  /** `reachable` when the database answered a query just now. */
  database: 'reachable' | 'unreachable';
  /** Runs of this application in flight (started and not yet ended). */
  runsInFlight: number;
  /**
   * This process's instance id, the one FlowLockedError names a lease's holder by (`(instance ...)`)
   * and `history` shows for each run: which engine behind a load balancer holds what.
   */
  instanceId: string;
  /** Why the database is unreachable (no password in it). */
  reason?: string;
}

/**
 * The application as the front ends above it (the CLI, the viewer) use it. `SynergyFlowApp`
 * implements it; the front ends depend on this interface only, so that the application can load
 * them lazily without an import cycle (docs/architecture.md, "Floors").
 */
export interface FlowApplication {
  /** Every flow, step and action state change, after it is persisted. */
  readonly events$: Observable<FlowEvent>;
  /** The application's log files, and (called) the log lines of a run. */
  readonly logs: ApplicationLogs;
  /** Runs the flow for `options.timeperiod`: every step that is not done yet. */
  run(flow: string, options: RunOptions): Promise<FlowRunResult>;
  /** Reruns the steps of the flow's last run that did not finish. */
  recover(flow: string, options: RunOptions): Promise<FlowRunResult>;
  /** Runs one step of the flow, its dependencies being done. */
  runOne(flow: string, step: string, options: RunOptions): Promise<FlowRunResult>;
  /** Runs a step and everything downstream of it. */
  runFrom(flow: string, step: string, options: RunOptions): Promise<FlowRunResult>;
  /** The flow run's record and its steps' records. */
  status(flow: string, timeperiod: string): Promise<FlowStatus>;
  /** The flow's runs, newest first. */
  runs(flow: string, options?: { limit?: number; offset?: number; before?: string }): Promise<FlowRecord[]>;
  /** Each step's state and attempt count in several timeperiods of the flow, read in one query; those that moved since `changedSince`. */
  stepStates(
    flow: string,
    timeperiods: readonly string[],
    options?: { changedSince?: Date },
  ): Promise<Array<Pick<StepRecord, 'stepName' | 'timeperiod' | 'state' | 'attempt'>>>;
  /** The flow's past runs, newest first, each with its step attempts (only `step`'s when given). */
  history(flow: string, options: HistoryOptions & { attempts: false }): Promise<FlowRunSummary[]>;
  history(flow: string, options?: HistoryOptions): Promise<FlowRunRecord[]>;
  /** The runs in progress in any engine sharing the database, and those that ended since `endedSince`. */
  activeRuns(options?: { endedSince?: Date }): Promise<ActiveRunRecord[]>;
  /** The run of [flow, timeperiod] in progress, as activeRuns() lists it, or null. */
  activeRun(flow: string, timeperiod: string): Promise<ActiveRunRecord | null>;
  /** One run of the history by its id; RunNotFoundError if none. */
  historyRun(runId: string): Promise<FlowRunRecord>;
  /** The flow's step graph. */
  graph(flow: string): FlowGraph;
  /** The names of the application's flows. */
  flows(): string[];
  /** Where the state database is, without its password. */
  describeDatabase(): string;
  /** The flow's validated definition. */
  definition(flow: string): FlowDefinition;
  /** Cancels the run of [flow, timeperiod] in this process; false if it runs nowhere here. */
  cancel(flow: string, timeperiod: string, reason?: string): boolean;
  /** A scheduler of the application's scheduled flows. */
  scheduler(options?: SchedulerOptions): Scheduler;
  /** Lets the runs in flight record their states, then closes the database and the log files. */
  close(): Promise<void>;
  /** Whether the database answers now, and the runs in flight: what a health check reports. */
  health(): Promise<ApplicationHealth>;
}
