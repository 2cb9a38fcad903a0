import * as path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { FlowLeaseRecord } from './flow-lease.entity';
import { FlowEntity } from './flow.entity';
import { StepEntity } from './step.entity';
import type { DatabaseOptions } from './database-options';
import { assertSchemaCurrent, runMigrations } from './migration-runner';
import { MIGRATIONS } from './migrations';
import { retryTransient, startupBackoff } from './transient-retry';
import { basicAuthSecret, createRedactor } from '../logging/redaction';
import { DatabaseSetupError } from '../errors';

export const ENTITIES = [FlowEntity, StepEntity, FlowLeaseRecord];

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
  const dataSource = await openDataSource(options);
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
    migrationsTableName: MIGRATIONS_TABLE,
    ...options,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
  } as DataSourceOptions;
  const finalOptions: DataSourceOptions =
    base.type === 'better-sqlite3' ? { enableWAL: base.database !== ':memory:', timeout: 10_000, ...base } : base;
  // Processes opening a fresh SQLite file together all switch it to WAL, which needs an exclusive
  // lock; SQLite answers SQLITE_BUSY at once, without waiting, to the loser (waiting could
  // deadlock). The winner has set WAL by then: opening again succeeds.
  try {
    return await retryTransient(
      async () => {
        const dataSource = new DataSource(finalOptions);
        await dataSource.initialize();
        return dataSource;
      },
      { attempts: 5, delayMs: startupBackoff },
    );
  } catch (err) {
    throw databaseError(options, 'cannot open', err);
  }
}

function databaseError(options: DatabaseOptions, what: string, err: unknown): DatabaseSetupError {
  const message = withoutPassword(options, (err as Error)?.message ?? String(err));
  return new DatabaseSetupError(`${what} the ${String(options.type)} database${describeTarget(options)}: ${message}`);
}

/** The database options' secrets: the password, given alone or inside the URL, and its Basic authentication form with the user. */
export function databaseSecrets(options: DatabaseOptions | undefined): string[] {
  const o = (options ?? {}) as Record<string, unknown>;
  const url = typeof o.url === 'string' ? urlCredentials(o.url) : undefined;
  const pairs = [
    [o.username, o.password],
    [url?.user, url?.password],
  ].filter((pair): pair is [string, string] => pair.every((s) => typeof s === 'string' && s.length > 0));
  const passwords = [o.password, url?.password].filter((s): s is string => typeof s === 'string' && s.length > 0);
  return [...passwords, ...pairs.map(([user, password]) => basicAuthSecret(user, password))];
}

/** A driver's message may echo the connection string; the password never leaves this function. */
function withoutPassword(options: DatabaseOptions, message: string): string {
  return createRedactor(databaseSecrets(options))(message);
}

function urlCredentials(url: string): { user: string; password: string } | undefined {
  try {
    const parsed = new URL(url);
    return { user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
  } catch {
    return undefined;
  }
}

/** Which database an application reads, for a person: the type and where, never a password. */
export function describeDatabase(options: DatabaseOptions): string {
  const o = options as Record<string, unknown>;
  // A relative SQLite file is relative to the current directory, which is what a user needs to see.
  const sqliteFile = typeof o.database === 'string' && !o.url && !o.host && o.database !== ':memory:' && /sqlite/.test(String(o.type));
  return sqliteFile ? `${String(o.type)} '${path.resolve(o.database as string)}'` : `${String(o.type)}${describeTarget(options)}`;
}

/** Names the database without credentials (a URL loses its password). */
function describeTarget(options: DatabaseOptions): string {
  const o = options as Record<string, unknown>;
  if (typeof o.database === 'string' && !o.url && !o.host) return ` '${o.database}'`;
  if (typeof o.url === 'string') {
    try {
      const url = new URL(o.url);
      return ` at ${url.host}${url.pathname}`;
    } catch {
      return '';
    }
  }
  return o.host ? ` at ${String(o.host)}:${String(o.port ?? '')}` : '';
}
