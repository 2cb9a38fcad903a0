import { StepState } from '../domain/states';
import { IN_FLIGHT_OFFSET } from '../persistence/history/attempt-ids';
import type { AttemptChange, AttemptPatch } from '../persistence/state-store';
import type { StepAttemptEntity } from '../persistence/step-attempt.entity';
import type { FlowRun } from './flow-run';

/**
 * The end of a step's attempt, for the transition that records it: the attempt's row, inserted
 * then, gets its id now, the next of the run's range in the order its attempts end. Ids in that
 * order make every insert an append to the end of SQLite's rowid b-tree, the cheapest write there
 * is; the history orders attempts by their start. An attempt that has ended already keeps its id
 * (the store inserts a row once).
 */
export function attemptEnd(
  run: Pick<FlowRun, 'context' | 'firstAttemptId' | 'attemptCount' | 'attempts'>,
  row: StepAttemptEntity,
  patch: AttemptPatch,
): AttemptChange {
  if (row.state === StepState.IN_PROGRESS) {
    // Above it are the ids of attempts recorded for a stopped engine: never reached by a real run.
    if (run.attemptCount >= IN_FLIGHT_OFFSET) {
      throw new Error(`run ${run.context.runId} ended more than ${IN_FLIGHT_OFFSET} attempts: split the flow, or lower its retries`);
    }
    row.id = run.firstAttemptId + run.attemptCount++;
  }
  // The run keeps only the attempts still in flight: an ended one is the writer's until its commit, then garbage.
  if (run.attempts.get(row.stepName) === row) run.attempts.delete(row.stepName);
  return { end: row, patch };
}
