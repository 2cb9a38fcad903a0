import type { FlowRunRecord, FlowRunSummary } from '../../domain/flow-run-record';
import type { StepAttemptRecord } from '../../domain/step-attempt-record';
import type { Redactor } from '../../logging/redaction';
import { formatDuration } from './duration.format';
import { briefError } from './error-brief';
import { renderTable } from './table.renderer';
import { formatDateTime } from './time.format';

/** The first group of a UUID: how a table names an engine's instance. */
const SHORT_INSTANCE_ID = 8;

/** One run as `history --json` prints it: the record, dates as ISO text, with durations. */
export function runToJson(run: FlowRunRecord): Record<string, unknown> {
  return {
    ...runSummaryToJson(run),
    attempts: run.attempts.map((a) => ({
      id: a.id,
      stepName: a.stepName,
      attempt: a.attempt,
      state: a.state,
      cluster: a.cluster,
      startedAt: a.startedAt.toISOString(),
      finishedAt: iso(a.finishedAt),
      durationMs: duration(a.startedAt, a.finishedAt),
      error: a.error,
    })),
  };
}

/** One run as `history --json --no-attempts` prints it: runToJson's fields but its attempts. */
export function runSummaryToJson(run: FlowRunSummary): Record<string, unknown> {
  return {
    runId: run.runId,
    flowName: run.flowName,
    timeperiod: run.timeperiod,
    runMode: run.runMode,
    stepName: run.stepName,
    trigger: run.trigger,
    state: run.state,
    host: run.host,
    pid: run.pid,
    instanceId: run.instanceId,
    startedAt: run.startedAt.toISOString(),
    finishedAt: iso(run.finishedAt),
    durationMs: duration(run.startedAt, run.finishedAt),
    error: run.error,
  };
}

/**
 * One row per run, newest first: id, trigger, mode (with its step), timeperiod, state, start, duration,
 * host/pid and the engine's instance id, cut to its first 8 characters: enough to find the full id
 * that FlowLockedError or the scheduler's banner prints (`--json` has it whole).
 */
export function renderRuns(runs: readonly FlowRunSummary[]): string {
  const rows = runs.map((run) => [
    run.runId,
    run.trigger,
    run.stepName ? `${run.runMode} ${run.stepName}` : run.runMode,
    run.timeperiod,
    run.state,
    formatDateTime(run.startedAt),
    took(run.startedAt, run.finishedAt),
    `${run.host}/${run.pid}`,
    run.instanceId?.slice(0, SHORT_INSTANCE_ID) ?? '-',
  ]);
  const headers = ['RUN ID', 'TRIGGER', 'MODE', 'TIMEPERIOD', 'STATE', 'STARTED', 'DURATION', 'HOST/PID', 'INSTANCE'];
  return renderTable(headers, rows, { alignRight: [6] });
}

/** A heading line for the run, then one row per attempt in the order they started; `redact` is for the errors, cut after it (see briefError). */
export function renderRun(run: FlowRunRecord, redact: Redactor): string {
  const mode = run.stepName ? `${run.runMode} ${run.stepName}` : run.runMode;
  const heading =
    `run ${run.runId}: ${run.flowName} ${run.timeperiod} ${run.state} (${mode}, ${run.trigger}, ${took(run.startedAt, run.finishedAt)}, ` +
    `${run.host}/${run.pid}${run.instanceId ? `, instance ${run.instanceId}` : ''})${run.error ? `: ${briefError(run.error, redact)}` : ''}`;
  const withErrors = run.attempts.some((a) => a.error);
  const rows = run.attempts.map((a: StepAttemptRecord) => {
    const row = [a.stepName, String(a.attempt), a.state, a.cluster ?? '-', formatDateTime(a.startedAt), took(a.startedAt, a.finishedAt)];
    return withErrors ? [...row, briefError(a.error, redact)] : row;
  });
  const headers = ['STEP', 'ATTEMPT', 'STATE', 'CLUSTER', 'STARTED', 'DURATION', ...(withErrors ? ['ERROR'] : [])];
  return `${heading}\n${renderTable(headers, rows, { alignRight: [1, 5] })}`;
}

/** A finished span's duration; a running one's so far, with an ellipsis. */
function took(from: Date, to: Date | null): string {
  return to ? formatDuration(to.getTime() - from.getTime()) : `${formatDuration(Date.now() - from.getTime())}…`;
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

function duration(from: Date, to: Date | null): number | null {
  return to ? to.getTime() - from.getTime() : null;
}
