import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh SQLite file per call, in its own temp directory (removed by `cleanup`). */
export function tempSqlite(): { database: { type: 'better-sqlite3'; database: string }; file: string; dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-spec-'));
  const file = path.join(dir, 'state.db');
  return {
    database: { type: 'better-sqlite3', database: file },
    file,
    dir,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * tempSqlite for the specs `npm test` runs on both databases: on its PostgreSQL pass
 * (SYNERGY_TEST_DATABASE set) `database` is undefined, so createTestingApp gives the app a fresh
 * schema there; `dir` is a temp directory either way.
 */
export function tempDatabase(): Omit<ReturnType<typeof tempSqlite>, 'database'> & {
  database: ReturnType<typeof tempSqlite>['database'] | undefined;
} {
  const sqlite = tempSqlite();
  return process.env.SYNERGY_TEST_DATABASE ? { ...sqlite, database: undefined } : sqlite;
}
