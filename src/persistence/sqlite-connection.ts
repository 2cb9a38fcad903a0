import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { isSqlite } from './transaction-runner';

/**
 * TypeORM's own better-sqlite3 connection (its driver has exactly one), for the hot paths that
 * run prepared statements on it directly; undefined for every other database. Statements run on
 * it join whatever transaction TypeORM has open on it.
 */
export function sqliteConnection(dataSource: DataSource): Database | undefined {
  if (!isSqlite(dataSource)) return undefined;
  const db = (dataSource.driver as unknown as { databaseConnection?: Database }).databaseConnection;
  return db && typeof db.prepare === 'function' && typeof db.transaction === 'function' ? db : undefined;
}
