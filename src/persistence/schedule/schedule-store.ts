import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { FlowState } from '../../domain/states';
import { timeperiodOrdinal, type Granularity } from '../../timeperiod/timeperiod';
import { isTimeperiodOf, timeperiodFromOrdinal } from '../../timeperiod/timeperiod-time';
import { nowMillisSql } from '../database-clock';
import { FlowLeaseRecord } from '../flow-lease.entity';
import { FlowEntity } from '../flow.entity';
import type { LeaseDatabase } from '../lease/lease-database';
import { granularityFilter } from './granularity-filter';
import { ScheduleClaimRecord } from './schedule-claim.entity';
import { SchedulePauseRecord } from './schedule-pause.entity';
import { ScheduleMarkRecord } from './schedule-mark.entity';
import { readUnfinished, type UnfinishedPeriod, type UnfinishedRead } from './unfinished-rows';

export type { UnfinishedPeriod } from './unfinished-rows';

const DONE_STATES = [FlowState.PROCESSED, FlowState.NOOP];

/**
 * What the scheduler reads and writes. Every read asks one flow for a few rows through an index
 * (flow: unique [flow_name, timeperiod] and [flow_name, state, timeperiod]; schedule_claim: its key
 * and its open claims by flow_name): a tick never loads a flow's history. Everything goes through the
 * state store's transactions, so on SQLite (one connection per process) a statement of the
 * scheduler never lands inside a run's open transaction.
 */
export class ScheduleStore {
  constructor(private readonly db: LeaseDatabase) {}

  /** Runs `work` in one transaction: the reads of one flow's tick see one state of the database. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * Up to `limit` periods of [from, to] (of `granularity`) that have no flow row, oldest first.
   * Counts of index ranges: past the latest row every period is free, below it a count that falls
   * short of the range's size halves the range until the missing row is found.
   */
  async periodsWithoutRow(
    m: EntityManager,
    flowName: string,
    from: string,
    to: string,
    granularity: Granularity,
    limit: number,
  ): Promise<string[]> {
    const periods: string[] = [];
    const last = timeperiodOrdinal(to, granularity);
    let next = from;
    while (periods.length < limit && next <= to) {
      const found = await this.firstWithoutRow(m, flowName, next, to, granularity);
      if (!found) break;
      const ordinal = timeperiodOrdinal(found.period, granularity);
      if (found.restFree) {
        for (let o = ordinal; o <= last && periods.length < limit; o++) periods.push(timeperiodFromOrdinal(o, granularity));
        break;
      }
      periods.push(found.period);
      if (ordinal >= last) break;
      next = timeperiodFromOrdinal(ordinal + 1, granularity);
    }
    return periods;
  }

  /** The oldest period of [from, to] without a flow row; `restFree` when no period after it has one either. */
  private async firstWithoutRow(
    m: EntityManager,
    flowName: string,
    from: string,
    to: string,
    granularity: Granularity,
  ): Promise<{ period: string; restFree: boolean } | undefined> {
    const base = timeperiodOrdinal(from, granularity);
    // Raw SQL, prepared once per statement text by the driver: this count runs for every flow at every tick.
    const sql = rangeCountSql(m, granularity);
    const range = async (last: string) => {
      const [row] = await m.query<Array<{ count: string | number; max: string | null }>>(sql, [flowName, from, last]);
      return { count: Number(row?.count ?? 0), max: row?.max ?? null };
    };
    const all = await range(to);
    if (all.count === 0) return { period: from, restFree: true };
    const maxOrdinal = timeperiodOrdinal(all.max!, granularity);
    if (all.count >= maxOrdinal - base + 1) {
      // No gap up to the latest row: the first period without one follows it.
      return all.max! < to ? { period: timeperiodFromOrdinal(maxOrdinal + 1, granularity), restFree: true } : undefined;
    }
    // A gap below the latest row (a period run by hand ahead of the others): find where it starts.
    let lo = base;
    let hi = maxOrdinal;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const { count } = await range(timeperiodFromOrdinal(mid, granularity));
      if (count >= mid - base + 1) lo = mid + 1;
      else hi = mid;
    }
    return { period: timeperiodFromOrdinal(lo, granularity), restFree: false };
  }

  /** The flow's rows from `from` on that are not processed or noop, oldest first (at most its oldest and newest UNFINISHED_PER_FLOW_END, and the first slice between). */
  async unfinished(m: EntityManager, flowName: string, from: string, granularity: Granularity): Promise<UnfinishedPeriod[]> {
    const { rows } = await this.unfinishedOf(m, [flowName]);
    return rows.filter((row) => row.timeperiod >= from && isOf(row.timeperiod, granularity));
  }

  /**
   * The rows of these flows that are not processed or noop, oldest first, a bounded number per flow:
   * see readUnfinished (`sliceAfter`: where each flow's slice between its two ends begins, after).
   */
  unfinishedOf(m: EntityManager, flowNames: readonly string[], sliceAfter?: ReadonlyMap<string, string>): Promise<UnfinishedRead> {
    return readUnfinished(m, flowNames, sliceAfter);
  }

  /** The state of one period's flow row, or undefined when it has none. */
  async stateOf(m: EntityManager, flowName: string, timeperiod: string): Promise<FlowState | undefined> {
    const row = await m.getRepository(FlowEntity).findOne({ select: { state: true }, where: { flowName, timeperiod } });
    return row?.state;
  }

  /** How many periods of [from, to] (of `granularity`) the flow has processed (or found nothing to do: noop). */
  async doneCount(m: EntityManager, flowName: string, from: string, to: string, granularity: Granularity): Promise<number> {
    const row = await m
      .createQueryBuilder(FlowEntity, 'f')
      .select('COUNT(*)', 'count')
      .where('f.flowName = :flowName AND f.state IN (:...states) AND f.timeperiod >= :from AND f.timeperiod <= :to', {
        flowName,
        states: DONE_STATES,
        from,
        to,
      })
      .andWhere(granularityFilter('f.timeperiod', granularity))
      .getRawOne<{ count: string | number }>();
    return Number(row?.count ?? 0);
  }

  /** The claims of these flows whose run has not been seen to end. */
  async openClaims(m: EntityManager, flowNames: readonly string[]): Promise<ScheduleClaimRecord[]> {
    if (!flowNames.length) return [];
    const claims = await claimRows(
      m.createQueryBuilder(ScheduleClaimRecord, 'c').where('c.flowName IN (:...flowNames) AND c.finishedAt IS NULL', { flowNames }),
    );
    return claims.sort((a, b) => a.timeperiod.localeCompare(b.timeperiod) || a.attempt - b.attempt);
  }

  /** Every claim of these periods of these flows (and maybe a few more of the same periods' names: filter by flow), oldest attempt first. */
  async claimsOf(m: EntityManager, flowNames: readonly string[], timeperiods: readonly string[]): Promise<ScheduleClaimRecord[]> {
    if (!flowNames.length || !timeperiods.length) return [];
    return claimRows(
      m
        .createQueryBuilder(ScheduleClaimRecord, 'c')
        .where('c.flowName IN (:...flowNames) AND c.timeperiod IN (:...timeperiods)', { flowNames, timeperiods: [...new Set(timeperiods)] })
        .orderBy('c.timeperiod', 'ASC')
        .addOrderBy('c.attempt', 'ASC'),
    );
  }

  /**
   * Inserts the claim of [flow, timeperiod, attempt] unless one exists: true when this one went in
   * (the caller starts the run), false when another scheduler's did (it starts it, or did).
   */
  async claim(m: EntityManager, claim: Omit<ScheduleClaimRecord, 'claimedAt' | 'finishedAt' | 'outcome'>): Promise<boolean> {
    const now = nowMillisSql(m.connection);
    await m
      .createQueryBuilder()
      .insert()
      .into(ScheduleClaimRecord)
      .values({ ...claim, claimedAt: () => now, finishedAt: null, outcome: null })
      .orIgnore()
      .execute();
    const row = await m.getRepository(ScheduleClaimRecord).findOne({
      select: { holderId: true },
      where: { flowName: claim.flowName, timeperiod: claim.timeperiod, attempt: claim.attempt },
    });
    return row?.holderId === claim.holderId;
  }

  /** Records the end of a claimed run (its final flow state, or `abandoned`), unless it is recorded already. */
  async finish(
    m: EntityManager,
    key: Pick<ScheduleClaimRecord, 'flowName' | 'timeperiod' | 'attempt'>,
    finishedAt: number,
    outcome: string,
  ) {
    await m
      .createQueryBuilder()
      .update(ScheduleClaimRecord)
      .set({ finishedAt, outcome })
      .where('flow_name = :flowName AND timeperiod = :timeperiod AND attempt = :attempt AND finished_at IS NULL', key)
      .execute();
  }

  /** The lease of a running [flow, timeperiod] and the database's clock: whether its holder is silent. */
  async leaseOf(m: EntityManager, flowName: string, timeperiod: string): Promise<{ lease: FlowLeaseRecord | null; now: number }> {
    const lease = await m.getRepository(FlowLeaseRecord).findOneBy({ flowName, timeperiod });
    return { lease, now: await databaseNow(m) };
  }

  /** Every lease row of the flow (one per period held, or left by a dead engine), and the database's clock: what `plan` judges. */
  async leasesOf(m: EntityManager, flowName: string): Promise<{ leases: FlowLeaseRecord[]; now: number }> {
    const leases = await m.getRepository(FlowLeaseRecord).findBy({ flowName });
    return { leases, now: await databaseNow(m) };
  }

  /** The names of the paused flows. */
  async pausedFlows(m: EntityManager): Promise<Set<string>> {
    const rows = await m.getRepository(SchedulePauseRecord).find({ select: { flowName: true } });
    return new Set(rows.map((row) => row.flowName));
  }

  /** The marks of these flows (how far their periods have rows), by flow name. */
  async marks(m: EntityManager, flowNames: readonly string[]): Promise<Map<string, ScheduleMarkRecord>> {
    if (!flowNames.length) return new Map();
    const rows = await m
      .createQueryBuilder(ScheduleMarkRecord, 'k')
      .where('k.flowName IN (:...flowNames)', { flowNames: [...flowNames] })
      .getMany();
    return new Map(rows.map((row) => [row.flowName, row]));
  }

  /**
   * Writes a flow's mark over the version read before the count that justifies it (`readVersion`,
   * undefined when the flow had no mark): if a flow row was deleted meanwhile (its trigger moved the
   * version on) or another scheduler wrote first, nothing is written.
   */
  async writeMark(
    m: EntityManager,
    mark: Pick<ScheduleMarkRecord, 'flowName' | 'startPeriod' | 'granularity' | 'nextPeriod'>,
    readVersion: number | undefined,
  ): Promise<void> {
    if (readVersion === undefined) {
      await m
        .createQueryBuilder()
        .insert()
        .into(ScheduleMarkRecord)
        .values({ ...mark, version: 1 })
        .orIgnore()
        .execute();
      return;
    }
    await m
      .createQueryBuilder()
      .update(ScheduleMarkRecord)
      .set({ startPeriod: mark.startPeriod, granularity: mark.granularity, nextPeriod: mark.nextPeriod, version: () => 'version + 1' })
      .where('flow_name = :flowName AND version = :readVersion', { flowName: mark.flowName, readVersion })
      .execute();
  }

  async pause(m: EntityManager, flowName: string, at: number): Promise<void> {
    await m.createQueryBuilder().insert().into(SchedulePauseRecord).values({ flowName, pausedAt: at }).orIgnore().execute();
  }

  async resume(m: EntityManager, flowName: string): Promise<void> {
    await m.getRepository(SchedulePauseRecord).delete({ flowName });
  }
}

const CLAIM_COLUMNS: ReadonlyArray<keyof ScheduleClaimRecord> = [
  'flowName',
  'timeperiod',
  'attempt',
  'kind',
  'holderId',
  'host',
  'pid',
  'instanceId',
  'pidNamespace',
  'claimedAt',
  'finishedAt',
  'outcome',
];

/**
 * The claims a query selects, read as plain rows: a tick reads every claim of every failed period of
 * every flow (hundreds), and TypeORM's entity hydration cost more than the query did.
 */
async function claimRows(query: SelectQueryBuilder<ScheduleClaimRecord>): Promise<ScheduleClaimRecord[]> {
  CLAIM_COLUMNS.forEach((column, i) => (i ? query.addSelect(`c.${column}`, column) : query.select(`c.${column}`, column)));
  const rows = await query.getRawMany<Record<keyof ScheduleClaimRecord, string | number | null>>();
  return rows.map((row) => ({
    flowName: String(row.flowName),
    timeperiod: String(row.timeperiod),
    attempt: Number(row.attempt),
    kind: row.kind as ScheduleClaimRecord['kind'],
    holderId: String(row.holderId),
    host: String(row.host),
    pid: Number(row.pid),
    instanceId: row.instanceId === null ? null : String(row.instanceId),
    pidNamespace: row.pidNamespace === null ? null : String(row.pidNamespace),
    claimedAt: Number(row.claimedAt),
    finishedAt: row.finishedAt === null ? null : Number(row.finishedAt),
    outcome: row.outcome === null ? null : String(row.outcome),
  }));
}

/** `SELECT COUNT(*), MAX(timeperiod)` of one flow's rows of one granularity in [from, last]: parameters flow, from, last. */
function rangeCountSql(m: EntityManager, granularity: Granularity): string {
  const { driver } = m.connection;
  const table = m.connection
    .getMetadata(FlowEntity)
    .tablePath.split('.')
    .map((part) => driver.escape(part))
    .join('.');
  const [flow, from, last] = [0, 1, 2].map((i) => driver.createParameter(`p${i}`, i));
  return (
    `SELECT COUNT(*) AS count, MAX(timeperiod) AS max FROM ${table} ` +
    `WHERE flow_name = ${flow} AND timeperiod >= ${from} AND timeperiod <= ${last} AND ${granularityFilter('timeperiod', granularity)}`
  );
}

function isOf(timeperiod: string, granularity: Granularity): boolean {
  try {
    return isTimeperiodOf(timeperiod, granularity);
  } catch {
    return false;
  }
}

/** The database's clock in epoch milliseconds: what leases expire by, whichever engine wrote them. */
async function databaseNow(m: EntityManager): Promise<number> {
  const [{ now }] = await m.query<Array<{ now: string | number }>>(`SELECT ${nowMillisSql(m.connection)} AS now`);
  return Number(now);
}
