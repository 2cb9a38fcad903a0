import { FlowState } from '../domain/states';
import type { ScheduleClaimRecord } from '../persistence/schedule/schedule-claim.entity';
import type { UnfinishedPeriod } from '../persistence/schedule/schedule-store';

/**
 * Under onFailure 'stop', the oldest period that holds the later ones: a failed period, whether it
 * waits for its retry, has none left, or is being retried right now (its row is then in_progress, and
 * its claims tell that it failed before). A period on its first run does not hold: the periods that
 * run beside it under maxActiveRuns started before anything failed. Undefined: nothing holds.
 */
export function stopHeldFrom(
  unfinished: readonly UnfinishedPeriod[],
  claims: ReadonlyMap<string, readonly ScheduleClaimRecord[]>,
): string | undefined {
  const failedBefore = (timeperiod: string) =>
    (claims.get(timeperiod) ?? []).some((c) => c.kind === 'retry' || c.outcome === FlowState.INVALID);
  // `unfinished` is oldest first: the first that holds is the one the message names.
  return unfinished.find((row) => row.state === FlowState.INVALID || failedBefore(row.timeperiod))?.timeperiod;
}
