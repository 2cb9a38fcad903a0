import { FlowState, StepState } from '../domain/states';
import type { FlowRunResult } from '../engine/run-options';
import type { ScheduleClaimRecord } from '../persistence/schedule/schedule-claim.entity';

/**
 * The outcome a claim records when its run was cancelled because its scheduler was stopping (a
 * deploy's SIGTERM, `scheduler.stop()` then a cancel): the flow did not fail, its run was cut short.
 * The next tick resumes the period (recover, keeping its processed steps) without spending a retry,
 * whatever onFailure says, as it would after a kill -9.
 */
export const INTERRUPTED_OUTCOME = 'interrupted';

/**
 * The claim's outcome for a run that ended while its scheduler was stopping: interrupted if the
 * stop cancelled it, and no step of it failed on its own (steps already running finish after a
 * failure, and the stop may cancel them: that run failed).
 */
export function outcomeOf(result: FlowRunResult, schedulerStopping: boolean): string {
  const states = Object.values(result.steps);
  const cancelled = result.state === FlowState.INVALID && states.includes(StepState.CANCELED) && !states.includes(StepState.INVALID);
  return schedulerStopping && cancelled ? INTERRUPTED_OUTCOME : String(result.state);
}

/** True when the period's latest claim ended interrupted: nothing has run it since. */
export function interruptedLast(claims: readonly ScheduleClaimRecord[]): boolean {
  const latest = claims.reduce<ScheduleClaimRecord | undefined>((last, c) => (!last || c.attempt > last.attempt ? c : last), undefined);
  return latest?.outcome === INTERRUPTED_OUTCOME;
}
