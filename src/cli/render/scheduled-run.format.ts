import type { FlowRunRecord } from '../../domain/flow-run-record';
import { StepState } from '../../domain/states';
import type { Redactor } from '../../logging/redaction';
import type { TriggeredRun } from '../../scheduler/tick-report';
import { briefError } from './error-brief';
import { formatDuration } from './duration.format';

/**
 * How a run the scheduler started ended, on one line beside its `started` line:
 * `ended daily_etl 2026120100 (run, attempt 1): invalid in 0.42s: step load invalid: Error: ...`.
 * An unattended scheduler's output is what an operator reads: a failure must say which step and why,
 * not only that a retry started. `record` is the run's history (its duration, its steps' errors),
 * when it could be read.
 */
export function describeRunEnd(run: TriggeredRun, record: FlowRunRecord | undefined, redact: Redactor): string {
  const head = `ended ${run.flow} ${run.timeperiod} (${run.mode}, attempt ${run.attempt})`;
  if (!run.result) return `${head}: not run: ${briefError(run.error ?? 'unknown error', redact)}`;
  const duration = record?.finishedAt ? ` in ${formatDuration(record.finishedAt.getTime() - record.startedAt.getTime())}` : '';
  const why = failureOf(run, record);
  return `${head}: ${run.result.state}${duration}${why ? `: ${briefError(why, redact)}` : ''}`;
}

/** The first step that ended invalid (else canceled) and its last attempt's error; else the run's own error. */
function failureOf(run: TriggeredRun, record: FlowRunRecord | undefined): string | undefined {
  const states = Object.entries(run.result!.steps);
  const failed = states.find(([, state]) => state === StepState.INVALID) ?? states.find(([, state]) => state === StepState.CANCELED);
  if (!failed) return run.result!.error;
  const [step, state] = failed;
  const last = record?.attempts.filter((attempt) => attempt.stepName === step).at(-1);
  return `step ${step} ${state}${last?.error ? `: ${last.error}` : ''}`;
}
