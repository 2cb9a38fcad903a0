import type { LeaseFence } from '../../domain/state-writer.port';
import type { DataSource } from 'typeorm';
import { FlowLeaseRecord } from '../flow-lease.entity';
import { leaseLostReason } from './lease-holder';

/** The fencing token of a run; declared with the StateWriter port, whose writes carry it. */
export type { LeaseFence } from '../../domain/state-writer.port';

/** The lease row as a refused write found it, for the reason it gives. */
interface HolderRow {
  holder_id: string;
  host: string;
  pid: number;
  instance_id: string | null;
  acquired_at: string | number;
}

/**
 * The SQL of the fence for one database: a condition an UPDATE carries in its WHERE (so the check
 * costs no statement of its own), and the query that says who holds the lease when a fenced write
 * changed nothing. The texts that do not depend on where they stand are built once, here: only
 * their parameters change from one run to the next.
 */
export class LeaseFenceStatements {
  private readonly table: string;
  private readonly lock: string;
  private readonly assertionSql: string;
  private readonly holderSql: string;

  constructor(private readonly dataSource: DataSource) {
    const { driver } = dataSource;
    this.table = dataSource
      .getMetadata(FlowLeaseRecord)
      .tablePath.split('.')
      .map((part) => driver.escape(part))
      .join('.');
    // PostgreSQL: a takeover committing after this check but before this transaction commits
    // waits for it, so the whole transaction is judged on one holder. SQLite: the transaction
    // holds the write lock already.
    this.lock = dataSource.options.type === 'postgres' ? ' FOR SHARE' : '';
    const p = (name: string, i: number) => driver.createParameter(name, i);
    this.assertionSql = `SELECT 1 / count(*)::int FROM (SELECT 1 FROM ${this.table} WHERE ${driver.escape('flow_name')} = ${p('fenceFlow', 0)} AND ${driver.escape('timeperiod')} = ${p('fenceTimeperiod', 1)} AND ${driver.escape('holder_id')} = ${p('fenceHolder', 2)}${this.lock}) AS held`;
    const columns = ['holder_id', 'host', 'pid', 'instance_id', 'acquired_at'].map((c) => driver.escape(c)).join(', ');
    this.holderSql = `SELECT ${columns} FROM ${this.table} WHERE ${driver.escape('flow_name')} = ${p('flow', 0)} AND ${driver.escape('timeperiod')} = ${p('timeperiod', 1)}${this.lock}`;
  }

  /** `EXISTS (...)` with its parameters numbered from `firstIndex` (PostgreSQL's `$n`). */
  condition(fence: LeaseFence, firstIndex: number): { sql: string; params: unknown[] } {
    const { driver } = this.dataSource;
    const p = (name: string, i: number) => driver.createParameter(name, firstIndex + i);
    const sql = `EXISTS (SELECT 1 FROM ${this.table} WHERE ${driver.escape('flow_name')} = ${p('fenceFlow', 0)} AND ${driver.escape('timeperiod')} = ${p('fenceTimeperiod', 1)} AND ${driver.escape('holder_id')} = ${p('fenceHolder', 2)}${this.lock})`;
    return { sql, params: [fence.flowName, fence.timeperiod, fence.holderId] };
  }

  /**
   * A statement that proves the lease on its own, for a pipeline that cannot read an answer before
   * it sends the next statement (PostgreSQL, see PostgresStateWriter): it fails with division by
   * zero (SQLSTATE FENCE_REFUSED_CODE) unless the row still names this holder, which aborts the
   * transaction; while it does, `FOR SHARE` keeps a takeover waiting until the transaction ends.
   */
  assertion(fence: LeaseFence): { sql: string; params: unknown[] } {
    return { sql: this.assertionSql, params: [fence.flowName, fence.timeperiod, fence.holderId] };
  }

  /** The query whose one row (if any) is the run's lease holder now. */
  holderQuery(fence: LeaseFence): { sql: string; params: unknown[] } {
    return { sql: this.holderSql, params: [fence.flowName, fence.timeperiod] };
  }
}

/** What PostgreSQL answers to an `assertion` whose lease is not held: division_by_zero. */
export const FENCE_REFUSED_CODE = '22012';

/** Why a fenced write is refused, given the lease row found; undefined while the lease is still ours. */
export function refusalReason(fence: LeaseFence, row: HolderRow | undefined): string | undefined {
  if (row?.holder_id === fence.holderId) return undefined;
  return leaseLostReason(
    row && { host: row.host, pid: Number(row.pid), instanceId: row.instance_id ?? null, acquiredAt: Number(row.acquired_at) },
  );
}

/**
 * Thrown inside a transaction to roll it back when one of its fenced writes is refused; the state
 * writer catches it, tells the run (LeaseFence.refuse) and commits the rest without that run's
 * writes. It never leaves the writer.
 */
export class RefusedByFence extends Error {
  constructor(
    readonly fence: LeaseFence,
    readonly reason: string,
  ) {
    super(`write refused: the lease of flow '${fence.flowName}' for timeperiod ${fence.timeperiod} is lost (${reason})`);
    this.name = 'RefusedByFence';
  }
}
