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
  if (!byRange(dataSource)) return [{ runId: In([...runIds]) }];
  return runIds.map((runId, i) => {
    // A parameter name of its own: the ranges of several runs are one query's OR.
    const name = `attemptsOfRun${i}`;
    return { id: Raw((id) => rangeOfRun(dataSource, id, `:${name}`), { [name]: runId }) };
  });
}

/** The same condition as attemptsOfRuns, as SQL text with its parameters, for a plain SELECT. */
export interface AttemptsOfRunsSql {
  where: string;
  parameters: string[];
}

/**
 * attemptsOfRuns written as SQL: `column` quotes a column of `step_attempt`, `parameter` gives the
 * placeholder of the statement's parameter number i (from 0).
 */
export function attemptsOfRunsSql(
  dataSource: DataSource,
  runIds: readonly string[],
  column: (property: 'id' | 'runId') => string,
  parameter: (index: number) => string,
): AttemptsOfRunsSql {
  if (!byRange(dataSource))
    return { where: `${column('runId')} IN (${runIds.map((_, i) => parameter(i)).join(', ')})`, parameters: [...runIds] };
  // SQLite's placeholders are positional: the run's id is bound at each of its range's two bounds.
  const where = runIds.map((_, i) => `(${rangeOfRun(dataSource, column('id'), parameter(2 * i))})`).join(' OR ');
  return { where, parameters: runIds.flatMap((runId) => [runId, runId]) };
}

/** SQLite: no index on run_id, the range of the key instead. */
function byRange(dataSource: DataSource): boolean {
  return dataSource.options.type === 'better-sqlite3';
}

/**
 * The attempt ids of one run, `runId` the placeholder of its id (written twice). A run without its
 * flow_run row (none the engine leaves) has no range: NULL bounds match nothing.
 */
function rangeOfRun(dataSource: DataSource, id: string, runId: string): string {
  const runs = dataSource.driver.escape(dataSource.getMetadata(FlowRunEntity).tableName);
  const numberOf = `(SELECT run_number FROM ${runs} WHERE id = ${runId})`;
  return `${id} >= ${numberOf} * ${ATTEMPT_IDS_PER_RUN} AND ${id} < (${numberOf} + 1) * ${ATTEMPT_IDS_PER_RUN}`;
}

/**
 * The condition for one run as SQL, the run's id the named parameter `:<parameter>` (a query
 * builder's), on the `step_attempt` id column `id`: its range of ids on SQLite, its key in the
 * run_id index elsewhere.
 */
export function attemptsOfRunSql(dataSource: DataSource, id: string, parameter: string): string {
  return byRange(dataSource) ? rangeOfRun(dataSource, id, `:${parameter}`) : `run_id = :${parameter}`;
}
