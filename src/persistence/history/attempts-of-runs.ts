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

/**
 * The same condition as attemptsOfRuns as SQL text for a plain SELECT, written once for every read:
 * on PostgreSQL the runs' ids are one array parameter (`run_id = ANY`, through the run_id index),
 * so one statement reads any number of runs; on SQLite the statement reads one run, its range of
 * ids (several runs are several reads: SQLite plans an OR of ranges as a scan of the whole table).
 */
export interface AttemptsOfRunsSql {
  where: string;
  /** How many parameters `where` takes: the next one's number is this. */
  parameterCount: number;
  /** True when a statement reads one run (SQLite): several runs are several reads. */
  oneRunPerRead: boolean;
  /** The parameters of `where` for these runs (one run when oneRunPerRead). */
  parameters(runIds: readonly string[]): unknown[];
}

/**
 * attemptsOfRuns written as SQL: `column` quotes a column of `step_attempt`, `parameter` gives the
 * placeholder of the statement's parameter number i (from 0).
 */
export function attemptsOfRunsSql(
  dataSource: DataSource,
  column: (property: 'id' | 'runId') => string,
  parameter: (index: number) => string,
): AttemptsOfRunsSql {
  if (!byRange(dataSource))
    return {
      where: `${column('runId')} = ANY(${parameter(0)})`,
      parameterCount: 1,
      oneRunPerRead: false,
      parameters: (runIds) => [[...runIds]],
    };
  return {
    where: rangeOfRun(dataSource, column('id'), parameter(0)),
    // SQLite's placeholders are positional: the run's id is bound at each of its range's two bounds.
    parameterCount: 2,
    oneRunPerRead: true,
    parameters: (runIds) => {
      if (runIds.length !== 1) throw new Error(`one run per read on SQLite, got ${runIds.length}`);
      return [runIds[0], runIds[0]];
    },
  };
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
