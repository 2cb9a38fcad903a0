import { DataSource, type DataSourceOptions } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { FlowLeaseRecord } from './flow-lease.entity';
import { FlowEntity } from './flow.entity';
import { StepEntity } from './step.entity';
import { ScheduleClaimRecord } from './schedule/schedule-claim.entity';
import { SchedulePauseRecord } from './schedule/schedule-pause.entity';
import { ScheduleMarkRecord } from './schedule/schedule-mark.entity';
import { FlowRunEntity } from './flow-run.entity';
import { fitAttemptIdColumn, StepAttemptEntity } from './step-attempt.entity';
import { fitTimestampColumns } from './timestamp-columns';
import type { DatabaseOptions } from './database-options';
import { withApplicationName } from './application-name';
import { assertSchemaCurrent, runMigrations } from './migration-runner';
import { MIGRATIONS } from './migrations';
import { assertSupportedPostgres } from './postgres-version';
import { poolerHint } from './pooler-hint';
import { postgresConnectionHint } from './connection-hint';
import { retryTransient, startupBackoff } from './transient-retry';
import { createRedactor } from '../logging/redaction';
import { DatabaseSetupError } from '../errors';
import { databaseSecrets, describeTarget } from './database-description';
import { missingSqliteFolder, newSqliteFolderWarning } from './new-sqlite-folder';

// Kept here too for the code that imported them from this file.
export { databaseSecrets, describeDatabase } from './database-description';

export const ENTITIES = [
  FlowEntity,
  StepEntity,
  FlowLeaseRecord,
  FlowRunEntity,
  StepAttemptEntity,
  ScheduleClaimRecord,
  SchedulePauseRecord,
  ScheduleMarkRecord,
];

/** Not TypeORM's default `migrations`: users' own TypeORM apps often share the database. */
export const MIGRATIONS_TABLE = 'synergy_flow_migrations';

/**
 * Opens the database and brings its schema up to date with the checked-in migrations (safe when
 * several engines start at once). With `migrationsRun: false` it only checks that nothing is
 * pending, and `migrateDatabase` (a deployment step of the user's) applies them.
 */
export async function createDataSource(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = await openDataSource(options);
  try {
    if (options.migrationsRun === false) await assertSchemaCurrent(dataSource);
    else await runMigrations(dataSource);
  } catch (err) {
    await dataSource.destroy().catch(() => undefined);
    throw databaseError(options, 'cannot bring the schema of', err);
  }
  return dataSource;
}

/** Applies the pending migrations and closes the database; returns the names of those applied. */
export async function migrateDatabase(options: DatabaseOptions): Promise<string[]> {
  // Its sessions in pg_stat_activity (and in the error naming the migration lock's holder): `synergy-flow migrate`.
  const dataSource = await openDataSource(withApplicationName(options, 'migrate'));
  try {
    return await runMigrations(dataSource);
  } catch (err) {
    throw databaseError(options, 'cannot migrate', err);
  } finally {
    await dataSource.destroy().catch(() => undefined);
  }
}

/**
 * Connects without touching the schema. SQLite gets WAL (readers never block the writer) and a
 * busy timeout (a second process waits for the lock instead of failing with SQLITE_BUSY).
 */
async function openDataSource(options: DatabaseOptions): Promise<DataSource> {
  const base = {
    synchronize: false,
    logging: false,
    ...quietTypeormLogger(options),
    migrationsTableName: MIGRATIONS_TABLE,
    ...options,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
  } as DataSourceOptions;
  const finalOptions: DataSourceOptions =
    base.type === 'better-sqlite3' ? { enableWAL: base.database !== ':memory:', timeout: 10_000, ...base } : base;
  const newFolder = missingSqliteFolder(options);
  // Processes opening a fresh SQLite file together all switch it to WAL, which needs an exclusive
  // lock; SQLite answers SQLITE_BUSY at once, without waiting, to the loser (waiting could
  // deadlock). The winner has set WAL by then: opening again succeeds.
  try {
    const dataSource = await retryTransient(
      async () => {
        const opened = new DataSource(finalOptions);
        await opened.initialize();
        fitAttemptIdColumn(opened);
        fitTimestampColumns(opened);
        return opened;
      },
      { attempts: 5, delayMs: startupBackoff },
    );
    if (dataSource.options.type === 'postgres') {
      // Read by TypeORM when it connected: no round trip of its own.
      try {
        assertSupportedPostgres((dataSource.driver as PostgresDriver).version);
      } catch (err) {
        await dataSource.destroy().catch(() => undefined);
        throw err;
      }
    }
    if (newFolder !== undefined) process.emitWarning(newSqliteFolderWarning(options, newFolder), 'SynergyFlowWarning');
    return dataSource;
  } catch (err) {
    throw databaseError(options, 'cannot open', err);
  }
}

/**
 * TypeORM prints its migration messages to stdout whatever `logging` says. Engines starting together
 * on a fresh SQLite file race to migrate: the loser's "Migration ... failed: database is locked" is
 * retried and harmless, but it alarmed operators and broke `--json` output. Unless the user chose a
 * logger or turned logging on, TypeORM's messages go to the `debug` module (`DEBUG=typeorm:*`).
 */
function quietTypeormLogger(options: DatabaseOptions): { logger?: 'debug' } {
  const chosen = options as { logger?: unknown; logging?: unknown };
  return chosen.logger === undefined && !chosen.logging ? { logger: 'debug' } : {};
}

function databaseError(options: DatabaseOptions, what: string, err: unknown): DatabaseSetupError {
  const message = withoutPassword(options, (err as Error)?.message ?? String(err));
  const hint = options.type === 'postgres' ? postgresConnectionHint(err) : '';
  return new DatabaseSetupError(
    `${what} the ${String(options.type)} database${describeTarget(options)}: ${message}${poolerHint(message)}${hint}`,
  );
}

/** A driver's message may echo the connection string; the password never leaves this function. */
function withoutPassword(options: DatabaseOptions, message: string): string {
  return createRedactor(databaseSecrets(options))(message);
}
