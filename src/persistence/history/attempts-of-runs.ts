import { And, In, LessThan, MoreThan, type DataSource, type FindOptionsWhere } from 'typeorm';
import type { StepAttemptEntity } from '../step-attempt.entity';

/**
 * Where to find the `step_attempt` rows of these runs. An attempt's id starts with its run's id
 * (`<runId>.<counter>`), so on SQLite, whose table is keyed by that id alone (WITHOUT ROWID, no
 * other index: each attempt row costs its commit one b-tree page instead of three), a run's
 * attempts are one range of the key, compared bytewise. PostgreSQL compares text by its collation,
 * which may skip punctuation: there they are found through the run_id index.
 */
export function attemptsOfRuns(dataSource: DataSource, runIds: readonly string[]): Array<FindOptionsWhere<StepAttemptEntity>> {
  if (dataSource.options.type !== 'better-sqlite3') return [{ runId: In([...runIds]) }];
  // '/' is the character after '.': the range holds exactly the ids `<runId>.<anything>`.
  return runIds.map((runId) => ({ id: And(MoreThan(`${runId}.`), LessThan(`${runId}/`)) }));
}
