import { In, Raw, type DataSource, type FindOptionsWhere } from 'typeorm';
import { FlowRunEntity } from '../flow-run.entity';
import type { StepAttemptEntity } from '../step-attempt.entity';
import { ATTEMPT_IDS_PER_RUN } from './attempt-ids';

/**
 * Where to find the `step_attempt` rows of these runs. On SQLite the table has no index but its
 * rowid (each attempt row costs its commit one b-tree), and a run's attempts are the range of ids
 * its number opens, read from its `flow_run` row (attempt-ids.ts): one range search per run.
 * PostgreSQL finds them through the run_id index.
 */
export function attemptsOfRuns(dataSource: DataSource, runIds: readonly string[]): Array<FindOptionsWhere<StepAttemptEntity>> {
  if (dataSource.options.type !== 'better-sqlite3') return [{ runId: In([...runIds]) }];
  return runIds.map((runId, i) => {
    // A parameter name of its own: the ranges of several runs are one query's OR.
    const parameter = `attemptsOfRun${i}`;
    return { id: Raw((id) => attemptsOfRunSql(dataSource, id, parameter), { [parameter]: runId }) };
  });
}

/**
 * The same condition as SQL, for the run whose id is the named parameter `:<parameter>`, on the
 * `step_attempt` id column `id`: its range of ids on SQLite, its key in the run_id index elsewhere.
 */
export function attemptsOfRunSql(dataSource: DataSource, id: string, parameter: string): string {
  if (dataSource.options.type !== 'better-sqlite3') return `run_id = :${parameter}`;
  const runs = dataSource.driver.escape(dataSource.getMetadata(FlowRunEntity).tableName);
  // A run without its flow_run row (none the engine leaves) has no range: NULL bounds match nothing.
  const numberOf = `(SELECT run_number FROM ${runs} WHERE id = :${parameter})`;
  return `${id} >= ${numberOf} * ${ATTEMPT_IDS_PER_RUN} AND ${id} < (${numberOf} + 1) * ${ATTEMPT_IDS_PER_RUN}`;
}
