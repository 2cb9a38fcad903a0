import type { DatabaseOptions } from './database-options';

/*
 * The public API's persistence functions, without loading TypeORM at `import 'synergy-flow'` (it
 * costs hundreds of milliseconds, which the CLI's `--help` must not pay): each requires it on its
 * first call. The records the API returns are plain interfaces (flow-record.ts, step-record.ts).
 */

/**
 * Applies the pending migrations to a database and closes it, for a deployment step of its own
 * (with `migrationsRun: false` in the engines' options).
 *
 * @param options The same `database` options the engines get.
 * @returns The names of the migrations it applied, oldest first; none when the schema was current.
 * @throws {DatabaseSetupError} The database cannot be reached or migrated.
 * @example
 * const applied = await migrateDatabase({ type: 'postgres', url: process.env.DATABASE_URL });
 */
export function migrateDatabase(options: DatabaseOptions): Promise<string[]> {
  return (require('./data-source.factory') as typeof import('./data-source.factory')).migrateDatabase(options);
}
