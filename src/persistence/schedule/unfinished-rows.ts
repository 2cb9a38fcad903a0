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

/**
 * The unfinished rows of one flow past its two ends: they lie strictly between `after` and `before`.
 * A read takes one slice of them, oldest first, after where the last read's slice ended (`read`), so
 * that reads one after the other walk through them all in timeperiod order; `count` were not read.
 */
export interface UnreadPeriods {
  count: number;
  after: string;
  before: string;
  /** The slice between `after` and `before` this read took (none if another engine's writes emptied it meanwhile). */
  read?: { count: number; from: string; to: string };
  /** Where the next read's slice is to begin (after it); undefined: this slice reached `before`, the next one starts over from `after`. */
  next?: string;
}

/** What one read returns: the rows kept, oldest first, and what each flow had past its bound and which slice of it was read. */
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
 * A flow with more rows than its two ends also gets `perFlowEnd` of those between, after
 * `sliceAfter`'s timeperiod for it (the `next` of the read before): none is left unread for good.
 */
export async function readUnfinished(
  m: EntityManager,
  flowNames: readonly string[],
  sliceAfter: ReadonlyMap<string, string> = new Map(),
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
  const unread = new Map<string, UnreadPeriods>();
  for (const [flowName, between] of betweenOf(rows, raw, perFlowEnd)) {
    const slice = await sliceBetween(m, flowName, between, sliceAfter.get(flowName), perFlowEnd);
    if (!slice.length) {
      unread.set(flowName, between);
      continue;
    }
    rows.push(...slice);
    const read = { count: slice.length, from: slice[0].timeperiod, to: slice[slice.length - 1].timeperiod };
    const next = slice.length === perFlowEnd ? read.to : undefined;
    unread.set(flowName, { ...between, count: between.count - slice.length, read, ...(next ? { next } : {}) });
  }
  // As the query orders them: the slices read after it go in their place.
  rows.sort((a, b) => byText(a.timeperiod, b.timeperiod) || byText(a.flowName, b.flowName));
  return { rows, unread };
}

/**
 * Up to `limit` of the flow's unfinished rows strictly between its two ends, oldest first, after
 * `start` (the last read's slice end); from the first of them again once `start` is past the last.
 */
async function sliceBetween(
  m: EntityManager,
  flowName: string,
  between: { after: string; before: string },
  start: string | undefined,
  limit: number,
): Promise<Array<UnfinishedPeriod & { flowName: string }>> {
  const from = start !== undefined && start > between.after && start < between.before ? start : between.after;
  const slice = await m
    .getRepository(FlowEntity)
    .createQueryBuilder('f')
    .select(['f.id', 'f.flowName', 'f.timeperiod', 'f.state', 'f.finishedAt'])
    .where('f.flowName = :flowName AND f.state IN (:...states) AND f.timeperiod > :from AND f.timeperiod < :before', {
      flowName,
      states: UNFINISHED_STATES,
      from,
      before: between.before,
    })
    .orderBy('f.timeperiod', 'ASC')
    .limit(limit)
    .getMany();
  if (!slice.length && from !== between.after) return sliceBetween(m, flowName, between, undefined, limit);
  return slice.map(({ flowName, timeperiod, state, finishedAt }) => ({ flowName, timeperiod, state, finishedAt }));
}

/** Each flow whose rows were more than its two ends: how many lie between them, and between which rows read. */
function betweenOf(
  rows: ReadonlyArray<{ flowName: string; timeperiod: string }>,
  raw: ReadonlyArray<{ flowName: string; total: unknown }>,
  perFlowEnd: number,
): Map<string, { count: number; after: string; before: string }> {
  const between = new Map<string, { count: number; after: string; before: string }>();
  const totals = new Map(raw.map((row) => [row.flowName, Number(row.total)]));
  for (const [flowName, total] of totals) {
    if (total <= 2 * perFlowEnd) continue;
    const mine = rows.filter((row) => row.flowName === flowName);
    between.set(flowName, {
      count: total - mine.length,
      after: mine[perFlowEnd - 1].timeperiod,
      before: mine[perFlowEnd].timeperiod,
    });
  }
  return between;
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
