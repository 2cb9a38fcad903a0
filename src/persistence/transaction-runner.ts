import type { DataSource, EntityManager } from 'typeorm';
import { FlowEntity } from './flow.entity';
import { retryTransient, TRANSACTION_RETRY } from './transient-retry';

/**
 * Runs `work` in one transaction, safely when several engine processes share the database.
 *
 * SQLite: TypeORM opens a deferred transaction, and a deferred transaction that reads and then
 * writes fails at once with SQLITE_BUSY(_SNAPSHOT) when another process wrote meanwhile - the
 * busy timeout does not apply to it. Writing first (a statement that changes nothing) takes the
 * write lock up front, under the busy timeout, so a second process waits its turn instead.
 * PostgreSQL: a deadlock or serialization failure is retried, as PostgreSQL recommends.
 * `work` must be safe to run again from the start (it reads what it needs inside the transaction).
 */
export async function runTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const lockSql = isSqlite(dataSource) ? writeLockSql(dataSource) : undefined;
  return retryTransient(
    () =>
      dataSource.transaction(async (manager) => {
        if (lockSql) await manager.query(lockSql);
        return work(manager);
      }),
    TRANSACTION_RETRY,
  );
}

export function isSqlite(dataSource: DataSource): boolean {
  return dataSource.options.type === 'better-sqlite3';
}

function writeLockSql(dataSource: DataSource): string {
  const table = dataSource.driver.escape(dataSource.getMetadata(FlowEntity).tableName);
  return `UPDATE ${table} SET id = id WHERE 0`;
}
