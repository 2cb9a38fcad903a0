import * as path from 'node:path';
import type { DatabaseOptions } from '../src';
import { startPostgres } from '../spec/support/postgres-server';

/** The database a read benchmark runs on, and how to stop its server (nothing to stop for SQLite). */
export interface ComparedDatabase {
  options: DatabaseOptions;
  /** 'PostgreSQL' or 'SQLite', for the script's title. */
  name: string;
  stop(): Promise<void>;
}

/**
 * With `COMPARE_ON=postgres`, a new database on an embedded PostgreSQL (the specs' settings: these
 * scripts time reads, not commits); otherwise a SQLite file in `dir`. One place, so every read
 * benchmark picks its database the same way.
 */
export async function comparedDatabase(dir: string): Promise<ComparedDatabase> {
  if (process.env.COMPARE_ON !== 'postgres') {
    return {
      options: { type: 'better-sqlite3', database: path.join(dir, 'synergy-flow.db') },
      name: 'SQLite',
      stop: async () => undefined,
    };
  }
  const postgres = await startPostgres({});
  return { options: await postgres.createDatabase(), name: 'PostgreSQL', stop: () => postgres.stop() };
}
