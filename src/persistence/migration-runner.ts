import type { DataSource } from 'typeorm';
import { hasPendingMigrations, withMigrationLock } from './postgres-migration-lock';
import { isTransient, retryTransient, startupBackoff } from './transient-retry';

const SQLITE_ATTEMPTS = 10;

/**
 * Applies the pending migrations in one transaction and returns their names ([] when the schema is
 * current). Several engines may start at once against a fresh database: on PostgreSQL they queue
 * on an advisory lock, taken only when a migration is pending and waited for at most `lockWaitMs`;
 * on SQLite the loser of a race retries once the winner committed (its second look finds the
 * migrations applied).
 */
export async function runMigrations(dataSource: DataSource, { lockWaitMs }: { lockWaitMs?: number } = {}): Promise<string[]> {
  const apply = async () => (await dataSource.runMigrations({ transaction: 'all' })).map((m) => m.name);
  if (dataSource.options.type === 'postgres') {
    if (!(await hasPendingMigrations(dataSource))) return [];
    return withMigrationLock(
      dataSource,
      async () => {
        await ensureSchema(dataSource);
        return apply();
      },
      lockWaitMs,
    );
  }
  // Engines migrating a fresh SQLite file together: the losers retry and find the work done.
  return retryTransient(apply, {
    attempts: SQLITE_ATTEMPTS,
    delayMs: startupBackoff,
    retryable: (err) => isTransient(err) || /already exists/i.test(String((err as Error)?.message)),
  });
}

/** For `migrationsRun: false`: the engine refuses to start on a schema it does not know. */
export async function assertSchemaCurrent(dataSource: DataSource): Promise<void> {
  if (await dataSource.showMigrations()) {
    throw new Error(
      "its schema is not up to date (migrations are pending): run `await migrateDatabase(options.database)` (from 'synergy-flow') first, or leave `migrationsRun` at its default (true) to migrate at start-up",
    );
  }
}

/** A `schema` option names a PostgreSQL schema the migrations create their tables in. */
async function ensureSchema(dataSource: DataSource): Promise<void> {
  const schema = (dataSource.options as { schema?: string }).schema;
  if (schema) await dataSource.query(`CREATE SCHEMA IF NOT EXISTS ${dataSource.driver.escape(schema)}`);
}
