import { StepState } from '../domain/states';
import type { AttemptChange, AttemptPatch } from '../persistence/state-store';
import type { StepAttemptEntity } from '../persistence/step-attempt.entity';
import type { FlowRun } from './flow-run';

/**
 * The end of a step's attempt, for the transition that records it: the attempt's row, inserted
 * then, gets its id now, `<runId>.<counter>` in the order the run's attempts end. Ids in that
 * order make every insert an append to the end of the table's key (SQLite's WITHOUT ROWID b-tree),
 * the cheapest write there is; the history orders attempts by their start. An attempt that has
 * ended already keeps its id (the store inserts a row once).
 */
export function attemptEnd(
  run: Pick<FlowRun, 'context' | 'attemptCount' | 'attempts'>,
  row: StepAttemptEntity,
  patch: AttemptPatch,
): AttemptChange {
  if (row.state === StepState.IN_PROGRESS) row.id = `${run.context.runId}.${(run.attemptCount++).toString(36).padStart(5, '0')}`;
  // The run keeps only the attempts still in flight: an ended one is the writer's until its commit, then garbage.
  if (run.attempts.get(row.stepName) === row) run.attempts.delete(row.stepName);
  return { end: row, patch };
}
