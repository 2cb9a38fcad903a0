import type { EntityManager } from 'typeorm';
import { FlowState } from '../../domain/states';
import { FLOW_STATE_INDEX, FlowEntity } from '../flow.entity';

/** A flow row the scheduler still has to think about: running, failed, or set up and not started. */
export interface UnfinishedPeriod {
  timeperiod: string;
  state: FlowState;
  /** When its last run ended (the process clock of the engine that ran it). */
  finishedAt: Date | null;
}

/** The unfinished rows of one flow a read left out: they lie strictly between `after` and `before`. */
export interface UnreadPeriods {
  count: number;
  after: string;
  before: string;
}

/** What one read returns: the rows kept, oldest first, and what each flow had past its bound. */
export interface UnfinishedRead {
  rows: Array<UnfinishedPeriod & { flowName: string }>;
  unread: Map<string, UnreadPeriods>;
}

/**
 * The most unfinished rows read of one flow, at each end of its history: its oldest ones (the
 * failure that holds later periods under onFailure 'stop', a run left in_progress long ago) and
 * its newest ones (what the scheduler runs and retries now). The bound is per flow, so that a
 * flow with thousands of failed periods never crowds another flow's rows out of the read.
 */
export const UNFINISHED_PER_FLOW_END = 500;

const UNFINISHED_STATES = [FlowState.IN_PROGRESS, FlowState.INVALID, FlowState.EMBRYO];

/**
 * The rows of these flows that are not processed or noop: one query, through the
 * [flow_name, state, timeperiod] index, numbering each flow's rows from both ends (window
 * functions, the same on SQLite and PostgreSQL) and keeping `perFlowEnd` at each. Plain rows, not
 * entities: a tick reads every failed period of every flow; the end converted as an entity's would be.
 */
export async function readUnfinished(
  m: EntityManager,
  flowNames: readonly string[],
  perFlowEnd = UNFINISHED_PER_FLOW_END,
): Promise<UnfinishedRead> {
  if (!flowNames.length) return { rows: [], unread: new Map() };
  const { driver } = m.connection;
  const metadata = m.connection.getMetadata(FlowEntity);
  const table = metadata.tablePath
    .split('.')
    .map((part) => driver.escape(part))
    .join('.');
  // The bound twice: SQLite's `?` are positional, one value each.
  const parameters = [...flowNames, ...UNFINISHED_STATES, perFlowEnd, perFlowEnd];
  const marks = parameters.map((_, i) => driver.createParameter(`p${i}`, i));
  const flowMarks = marks.slice(0, flowNames.length).join(', ');
  const stateMarks = marks.slice(flowNames.length, -2).join(', ');
  const [oldestBound, newestBound] = marks.slice(-2);
  // On SQLite the index is named. Once ANALYZE has run, SQLite's statistics say a (flow, state) pair
  // holds half a flow's rows (they are nearly all processed), and for a few flows its planner then
  // scanned the whole flow table at every tick (38 ms for 20 flows with a year of hourly rows)
  // instead of reading the few unfinished ones. PostgreSQL's planner knows the states' frequencies.
  const indexed = m.connection.options.type === 'better-sqlite3' ? ` INDEXED BY ${driver.escape(FLOW_STATE_INDEX)}` : '';
  const sql =
    `SELECT flow_name AS "flowName", timeperiod, state, finished_at AS "finishedAt", total FROM (` +
    `SELECT f.flow_name, f.timeperiod, f.state, f.finished_at, ` +
    `ROW_NUMBER() OVER (PARTITION BY f.flow_name ORDER BY f.timeperiod ASC) AS oldest, ` +
    `ROW_NUMBER() OVER (PARTITION BY f.flow_name ORDER BY f.timeperiod DESC) AS newest, ` +
    `COUNT(*) OVER (PARTITION BY f.flow_name) AS total ` +
    `FROM ${table} f${indexed} WHERE f.flow_name IN (${flowMarks}) AND f."state" IN (${stateMarks})` +
    `) ranked WHERE oldest <= ${oldestBound} OR newest <= ${newestBound} ORDER BY timeperiod ASC, flow_name ASC`;
  const raw = await m.query<Array<{ flowName: string; timeperiod: string; state: FlowState; finishedAt: unknown; total: unknown }>>(
    sql,
    parameters,
  );
  const finishedAt = metadata.findColumnWithPropertyName('finishedAt')!;
  const rows = raw.map((row) => ({
    flowName: row.flowName,
    timeperiod: row.timeperiod,
    state: row.state,
    finishedAt: row.finishedAt === null ? null : (driver.prepareHydratedValue(row.finishedAt, finishedAt) as Date),
  }));
  return { rows, unread: unreadOf(rows, raw, perFlowEnd) };
}

/** Each flow whose rows were more than its two ends: how many were left out, and between which rows read. */
function unreadOf(
  rows: ReadonlyArray<{ flowName: string; timeperiod: string }>,
  raw: ReadonlyArray<{ flowName: string; total: unknown }>,
  perFlowEnd: number,
): Map<string, UnreadPeriods> {
  const unread = new Map<string, UnreadPeriods>();
  const totals = new Map(raw.map((row) => [row.flowName, Number(row.total)]));
  for (const [flowName, total] of totals) {
    if (total <= 2 * perFlowEnd) continue;
    const mine = rows.filter((row) => row.flowName === flowName);
    unread.set(flowName, {
      count: total - mine.length,
      after: mine[perFlowEnd - 1].timeperiod,
      before: mine[perFlowEnd].timeperiod,
    });
  }
  return unread;
}
