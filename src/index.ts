import 'reflect-metadata';

export { Flow, Step, DependsOn, Pre, Main, Post, Rollback } from '../decorators';
export type { Type, ActionPhase, FlowOptions, StepOptions, ActionOptions } from '../decorators';

export { bootstrap } from './bootstrap';
export { runCommandLine } from './cli/run-command-line';
export type { BootstrapOptions } from './bootstrap-options';
export { SynergyFlowApp, type FlowStatus, type ApplicationState } from './application';

export { StepContext } from './engine/step-context';
export { ExecutionContext } from './engine/execution-context';
export { STEP_CONTEXT, STEP_LOGGER, CLUSTER, EXECUTION_CONTEXT } from './engine/injection-tokens';
export type {
  FlowEvent,
  FlowStateEvent,
  StepStateEvent,
  ActionStateEvent,
  StepRetryEvent,
  ActionRollbackEvent,
  ActionCleanupEvent,
  StepZombieEvent,
  ActionState,
} from './domain/flow-event';
export type { RunOptions, FlowRunResult } from './engine/run-options';
export type { StepStatus } from './engine/retired-steps';
export type { FlowLock, FlowLease, FlowLeaseTakeover } from './domain/flow-lock.port';
export { systemClock, type Clock } from './domain/clock.port';
export type {
  Scheduler,
  SchedulerOptions,
  SchedulerStartOptions,
  PlanOptions,
  PlannedPeriod,
  PlannedStatus,
  TickReport,
  TickEntry,
  TriggeredRun,
  TriggerReason,
  WaitReason,
  SkipReason,
} from './scheduler';
export type { ScheduleOptions, ScheduleEvery, ScheduleOnFailure, FlowSchedule } from './metadata/schedule-options.schema';

export { FlowState, StepState } from './domain/states';
export type { FlowRecord, RunMode } from './domain/flow-record';
export type { RunTrigger } from './domain/run-id';
export type { StepRecord } from './domain/step-record';
export type { ActiveRunRecord, FlowRunRecord, FlowRunSummary } from './domain/flow-run-record';
export type { StepAttemptRecord } from './domain/step-attempt-record';
export type { HistoryOptions } from './persistence/history/history-query.options';
export type { HistoryRetentionOptions } from './persistence/history/history-retention.defaults';
// migrateDatabase needs TypeORM: it is required on first call (see lazy-persistence.exports).
export { migrateDatabase } from './persistence/lazy-persistence.exports';
export type { DatabaseOptions } from './persistence/database-options';
export type { LeaseOptions } from './persistence/lease/lease-options';

export { FlowGraph } from './graph/flow-graph';
export { renderAsciiGraph } from './graph/ascii-graph.renderer';
export type {
  FlowDefinition,
  StepDefinition,
  ActionDefinition,
  MethodActionDefinition,
  ClassActionDefinition,
} from './metadata/flow-definition';

export * from './errors';
export * from './actions';

export type { Cluster, CommandOptions, CommandResult, SparkStepOptions, TerminationOutcome } from './clusters/cluster';
export type { ClusterOptions, LocalClusterOptions, EmrClusterOptions } from './clusters/cluster-options';
export { LocalCluster } from './clusters/local-cluster';
// Loads no AWS SDK until an EmrCluster is constructed.
export { EmrCluster } from './clusters/emr-cluster.export';
export type { EmrClusterScope, EmrClusterOverrides } from './clusters/emr/emr-cluster';
export type { Filesystem } from './filesystems/filesystem';
export { LocalFilesystem } from './filesystems/local-filesystem';
export type { FilesystemEntry, FilesystemStat, ListOptions } from './filesystems/filesystem';
// Loads no AWS SDK until an S3Filesystem is constructed.
export { S3Filesystem, type S3FilesystemTuning, type S3FilesystemOptions, type AwsCredentials } from './filesystems/s3';
export type { Logger } from './logging/logger';
export type { ApplicationLogs, LogFiles } from './logging/application-logs';
export type { LogEntry } from './logging/log-entry';
export type { LogQuery } from './logging/run-logs.query';
export type { LogOptions } from './logging/log-options';
export type { LogFormat } from './logging/file-logger';
export type { JsonLogLine } from './logging/json-log-line';
export type { LogRun, LogLevelName } from './logging/log-layout';

export { parseTimeperiod, assertTimeperiod, nextTimeperiod, type Granularity } from './timeperiod/timeperiod';

export type { CliOptions } from './cli/run-cli';
export type { ServeLimits, ServeOptions, ViewerServer } from './viewer';
export { ExitCode } from './cli/exit-codes';

export { TELEMETRY_SCOPE, SPAN_NAMES, SPAN_ATTRIBUTES, RETRY_EVENT, METRIC_NAMES, DURATION_BUCKETS_MS } from './telemetry/telemetry-names';
export { recordSchedulerLag } from './telemetry/scheduler-lag';
export type { ApplicationHealth } from './flow-application.port';
