import { FlowState } from '../domain/states';
import type { ScheduleClaimRecord } from '../persistence/schedule/schedule-claim.entity';
import type { UnfinishedPeriod } from '../persistence/schedule/schedule-store';
import { interruptedLast } from './interrupted-run';

/**
 * Under onFailure 'stop', the oldest period that holds the later ones: a failed period, whether it
 * waits for its retry, has none left, or is being retried right now (its row is then in_progress, and
 * its claims tell that it failed before). A period on its first run does not hold: the periods that
 * run beside it under maxActiveRuns started before anything failed. Nor does a period its scheduler's
 * stop cut short (a deploy): it did not fail, and the tick that resumes it may start the next ones.
 * Undefined: nothing holds.
 */
export function stopHeldFrom(
  unfinished: readonly UnfinishedPeriod[],
  claims: ReadonlyMap<string, readonly ScheduleClaimRecord[]>,
): string | undefined {
  const claimsOf = (timeperiod: string) => claims.get(timeperiod) ?? [];
  const failedBefore = (timeperiod: string) => claimsOf(timeperiod).some((c) => c.kind === 'retry' || c.outcome === FlowState.INVALID);
  const failed = (row: UnfinishedPeriod) => row.state === FlowState.INVALID && !interruptedLast(claimsOf(row.timeperiod));
  // `unfinished` is oldest first: the first that holds is the one the message names.
  return unfinished.find((row) => failed(row) || failedBefore(row.timeperiod))?.timeperiod;
}
