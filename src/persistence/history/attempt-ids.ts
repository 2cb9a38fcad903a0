import type { EntityManager } from 'typeorm';
import { FlowRunEntity } from '../flow-run.entity';
import { tableOf } from '../row-update.statement';

/**
 * How `step_attempt` ids are made. Each run takes a number when it sets up, stored in its
 * `flow_run` row (`run_number`), and its attempts get the ids `runNumber * ATTEMPT_IDS_PER_RUN + k`:
 * one range of integers per run. The engine gives `k` = 0, 1, 2... in the order the run's attempts
 * end, below IN_FLIGHT_OFFSET; the attempts a stopped engine left in flight, recorded later by
 * someone else, get theirs above it.
 *
 * Why integers made this way: on SQLite the id is the table's rowid (`INTEGER PRIMARY KEY`, no
 * other index), so an attempt row costs its commit one append to one b-tree, half of what a text
 * key in a `WITHOUT ROWID` table cost (bench/attempt-row-cost.ts), and a run's attempts are one
 * range of that b-tree (attemptsOfRuns). Below 2^53, JavaScript numbers hold them exactly.
 */
export const ATTEMPT_IDS_PER_RUN = 2 ** 22;

/** The engine's ids of a run stay below this offset in the run's range (2,097,152 attempt ends a run). */
export const IN_FLIGHT_OFFSET = 2 ** 21;

/** Run numbers stay below this, so that every id is a safe integer. */
const MAX_RUN_NUMBER = Math.floor(Number.MAX_SAFE_INTEGER / ATTEMPT_IDS_PER_RUN);

/** The PostgreSQL sequence run numbers come from (created by the run-history migration). */
export const RUN_NUMBER_SEQUENCE = 'step_attempt_run_seq';

/**
 * A new run number, for the `flow_run` row the caller's transaction inserts next. PostgreSQL: the
 * sequence's next value. SQLite: one more than the highest (through the column's unique index); the
 * set-up's transaction holds the database's write lock, so no other set-up takes the same. A number
 * freed by the history's retention may come again: the attempt rows of its run went with it.
 */
export async function newRunNumber(manager: EntityManager): Promise<number> {
  const sql =
    manager.connection.options.type === 'postgres'
      ? // A text literal naming the sequence (nextval reads it as a regclass): its quotes doubled.
        `SELECT nextval('${qualifiedName(manager, RUN_NUMBER_SEQUENCE).replace(/'/g, "''")}') AS no`
      : `SELECT COALESCE(MAX(run_number), 0) + 1 AS no FROM ${runsTable(manager)}`;
  return checked(await manager.query<Array<{ no: number | string }>>(sql), 'a new run');
}

/** The first attempt id of a run whose `flow_run` row holds `runNumber`. */
export function firstAttemptIdOf(runNumber: number): number {
  return runNumber * ATTEMPT_IDS_PER_RUN;
}

/** The number of run `runId`, read from its `flow_run` row. */
export async function runNumberOf(manager: EntityManager, runId: string): Promise<number> {
  const rows = await manager.query<Array<{ no: number | string }>>(
    `SELECT run_number AS no FROM ${runsTable(manager)} WHERE id = ${manager.connection.driver.createParameter('runId', 0)}`,
    [runId],
  );
  return checked(rows, `run ${runId}`);
}

/** The flow_run table, schema-qualified and escaped as the compiled statements name tables. */
function runsTable(manager: EntityManager): string {
  return tableOf(manager.connection.getMetadata(FlowRunEntity), manager.connection.driver);
}

function checked(rows: Array<{ no: number | string }>, of: string): number {
  const no = Number(rows[0]?.no);
  if (!Number.isSafeInteger(no) || no < 1 || no > MAX_RUN_NUMBER) {
    throw new Error(`cannot number the attempts of ${of}: its run number is ${String(rows[0]?.no)} (expected 1 to ${MAX_RUN_NUMBER})`);
  }
  return no;
}

/** The name of a table or sequence of ours, in the schema the options name, quoted for SQL text. */
export function qualifiedName(manager: Pick<EntityManager, 'connection'>, name: string): string {
  const { driver, options } = manager.connection;
  const schema = (options as { schema?: string }).schema;
  return schema ? `${driver.escape(schema)}.${driver.escape(name)}` : driver.escape(name);
}
