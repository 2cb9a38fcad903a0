import type { DataSource } from 'typeorm';
import { isTransient, retryTransient, startupBackoff } from './transient-retry';

/** pg_advisory_lock key of "synergy-flow migrations" (any constant works; it only has to be ours). */
const MIGRATION_LOCK_KEY = 7_461_776_310;
const SQLITE_ATTEMPTS = 10;

/**
 * Applies the pending migrations in one transaction and returns their names ([] when the schema is
 * current). Several engines may start at once against a fresh database: on PostgreSQL they queue
 * on an advisory lock, on SQLite the loser of a race retries once the winner committed (its second
 * look finds the migrations applied).
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const apply = async () => (await dataSource.runMigrations({ transaction: 'all' })).map((m) => m.name);
  if (dataSource.options.type === 'postgres') {
    return withAdvisoryLock(dataSource, async () => {
      await ensureSchema(dataSource);
      return apply();
    });
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

async function withAdvisoryLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** A `schema` option names a PostgreSQL schema the migrations create their tables in. */
async function ensureSchema(dataSource: DataSource): Promise<void> {
  const schema = (dataSource.options as { schema?: string }).schema;
  if (schema) await dataSource.query(`CREATE SCHEMA IF NOT EXISTS ${dataSource.driver.escape(schema)}`);
}
