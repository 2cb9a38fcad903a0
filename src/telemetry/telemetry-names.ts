/**
 * The names synergy-flow records its OpenTelemetry spans and metrics under: the instrumentation
 * scope, the span names, the attribute keys and the metric names (docs/observability.md).
 * Exported so that a dashboard, an alert or a test names them from one place.
 */

/** The instrumentation scope of every span and instrument: `trace.getTracer(...)` and `metrics.getMeter(...)` use it. */
export const TELEMETRY_SCOPE = 'synergy-flow';

/** The span names: one run span, a child per step attempt, a grandchild per action (rollbacks and cleanups included). */
export const SPAN_NAMES = {
  run: 'synergy-flow.run',
  step: 'synergy-flow.step',
  action: 'synergy-flow.action',
} as const;

/** The span attribute keys. */
export const SPAN_ATTRIBUTES = {
  /** The flow's name (every span). */
  flow: 'synergy.flow',
  /** `YYYYMMDDHH` (every span). */
  timeperiod: 'synergy.timeperiod',
  /** The run's id, as in `FlowRunResult.runId` and every event (every span). */
  runId: 'synergy.run_id',
  /** `run`, `recover`, `run_one` or `run_from` (the run span). */
  runMode: 'synergy.run_mode',
  /** Who started the run: `api`, `cli`, `viewer`, `backfill` or `scheduler` (the run span). */
  trigger: 'synergy.trigger',
  /** The step's name (step and action spans). */
  step: 'synergy.step',
  /** The attempt, 1 for the first (step and action spans). */
  attempt: 'synergy.attempt',
  /** The cluster the attempt ran on (step spans). */
  cluster: 'synergy.cluster',
  /** The action's name: its method's name or its action class's (action spans). */
  action: 'synergy.action',
  /** `pre`, `main`, `post`, `rollback` or `cleanup` (action spans). */
  phase: 'synergy.phase',
  /** The final state of the run (run span) or of the attempt (step span). */
  state: 'synergy.state',
  /** On a `synergy-flow.retry` event: how long the step waits before its next attempt. */
  retryDelayMs: 'synergy.retry_delay_ms',
} as const;

/** The name of the event a failed attempt's span gets when the step will be tried again. */
export const RETRY_EVENT = 'synergy-flow.retry';

/**
 * The metric instrument names. Through an OpenTelemetry Prometheus exporter, and at the viewer's
 * `/metrics`, they read `synergy_flow_runs_total`, `synergy_flow_step_duration_milliseconds`,
 * `synergy_flow_step_retries_total`, `synergy_flow_steps_in_flight` and
 * `synergy_flow_scheduler_lag_milliseconds`.
 */
export const METRIC_NAMES = {
  /** Counter: runs that ended, attributes `flow` and `state` (`processed`, `invalid`). */
  runs: 'synergy_flow.runs',
  /** Histogram (ms): each step attempt's duration, attributes `flow` and `state` (the attempt's outcome). */
  stepDuration: 'synergy_flow.step.duration',
  /** Counter: failed attempts that will be tried again, attributes `flow` and `step`. */
  stepRetries: 'synergy_flow.step.retries',
  /** Up-down counter: step attempts running now, attribute `flow`. */
  stepsInFlight: 'synergy_flow.steps.in_flight',
  /** Histogram (ms): how late a scheduled run started after it was due, attribute `flow` (see `recordSchedulerLag`). */
  schedulerLag: 'synergy_flow.scheduler.lag',
} as const;

/**
 * The bucket bounds (ms) of the duration histograms: from a no-op step to a two-hour EMR job.
 * The same bounds in OpenTelemetry (as advice) and at `/metrics`, so both give the same quantiles.
 */
export const DURATION_BUCKETS_MS: readonly number[] = [
  5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 7_200_000,
];
