import type { EntityManager } from 'typeorm';
import { FlowRunEntity } from '../flow-run.entity';

/**
 * How `step_attempt` ids are made. Each run takes a number from the database when it sets up, and
 * its attempts get the ids `runNumber * ATTEMPT_IDS_PER_RUN + k`: one range of integers per run.
 * The engine gives `k` = 0, 1, 2... in the order the run's attempts end, below IN_FLIGHT_OFFSET;
 * the attempts a stopped engine left in flight, recorded later by someone else, get theirs above it.
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
 * The first attempt id of run `runId`, whose `flow_run` row the caller's transaction has inserted.
 * On SQLite the run's number is that row's rowid, so a reader finds a run's attempts from its
 * `flow_run` row alone. On PostgreSQL it is a new value of a sequence: there a run's attempts are
 * found through the run_id index, and the number only keeps ids unique (a call for a run that has
 * one already, to record its attempts in flight, takes another).
 */
export async function firstAttemptIdOf(manager: EntityManager, runId: string): Promise<number> {
  const { connection } = manager;
  let rows: Array<{ no: number | string }>;
  if (connection.options.type === 'postgres') {
    // A text literal naming the sequence (nextval reads it as a regclass): its quotes doubled.
    rows = await manager.query(`SELECT nextval('${qualifiedName(manager, RUN_NUMBER_SEQUENCE).replace(/'/g, "''")}') AS no`);
  } else {
    const table = connection.driver.escape(connection.getMetadata(FlowRunEntity).tableName);
    rows = await manager.query(`SELECT rowid AS no FROM ${table} WHERE id = ?`, [runId]);
  }
  const no = Number(rows[0]?.no);
  if (!Number.isSafeInteger(no) || no < 1 || no > MAX_RUN_NUMBER) {
    throw new Error(
      `cannot number the attempts of run ${runId}: its run number is ${String(rows[0]?.no)} (expected 1 to ${MAX_RUN_NUMBER})`,
    );
  }
  return no * ATTEMPT_IDS_PER_RUN;
}

/** The name of a table or sequence of ours, in the schema the options name, quoted for SQL text. */
export function qualifiedName(manager: Pick<EntityManager, 'connection'>, name: string): string {
  const { driver, options } = manager.connection;
  const schema = (options as { schema?: string }).schema;
  return schema ? `${driver.escape(schema)}.${driver.escape(name)}` : driver.escape(name);
}
