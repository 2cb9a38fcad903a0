import type { DataSource } from 'typeorm';

/**
 * SQL for "now, in epoch milliseconds, by the database's clock". Leases compare times written by
 * different machines; reading them all from one clock makes their clocks' drift irrelevant.
 * Drivers without an expression here fall back to this machine's clock (as a literal).
 */
export function nowMillisSql(dataSource: DataSource): string {
  switch (dataSource.options.type) {
    case 'postgres':
      // The statement's start, not the transaction's (now()), and one value however often a
      // statement reads it (clock_timestamp() is not: a heartbeat's expiry drifted from its beat).
      return 'CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000 AS BIGINT)';
    case 'better-sqlite3':
      return "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
    default:
      return String(Date.now());
  }
}
