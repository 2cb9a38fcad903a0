import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger as TypeormLogger } from 'typeorm';
import { DatabaseSetupError, migrateDatabase } from '../../src';

/** A SQLite file whose `flow` table is in the migrations' way: every attempt to migrate it fails. */
function databaseInTheWay(dir: string): string {
  const file = path.join(dir, 'in-the-way.db');
  const db = new Database(file);
  db.exec('CREATE TABLE flow (x INTEGER)');
  db.close();
  return file;
}

/** What `work` writes to stdout and through console.log/console.error. */
async function consoleOutputOf(work: () => Promise<unknown>): Promise<string> {
  const written: string[] = [];
  const saved = { log: console.log, error: console.error };
  // stdout's write is Writable.prototype's: an own property shadows it, deleting it restores it.
  Object.defineProperty(process.stdout, 'write', {
    configurable: true,
    writable: true,
    value: (chunk: unknown) => (written.push(String(chunk)), true),
  });
  console.log = console.error = (...args: unknown[]) => void written.push(args.join(' '));
  try {
    await work().catch(() => undefined);
  } finally {
    delete (process.stdout as { write?: unknown }).write;
    Object.assign(console, saved);
  }
  return written.join('');
}

describe('persistence: what TypeORM prints', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-typeorm-console-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a failed migration attempt reaches the error, not stdout, where it broke --json (engines racing on a fresh SQLite file)', async () => {
    const database = databaseInTheWay(dir);
    let error: unknown;
    const printed = await consoleOutputOf(() => migrateDatabase({ type: 'better-sqlite3', database }).catch((err) => (error = err)));
    expect(error).to.be.instanceOf(DatabaseSetupError);
    expect((error as Error).message).to.match(/^cannot migrate the better-sqlite3 database/);
    expect(printed).to.equal('');
  });

  it('a logger the application chose still gets TypeORM messages', async () => {
    const database = databaseInTheWay(dir);
    const migrationMessages: string[] = [];
    const logger = {
      logQuery: () => undefined,
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      log: () => undefined,
      logMigration: (message: string) => void migrationMessages.push(message),
    } satisfies TypeormLogger;
    await migrateDatabase({ type: 'better-sqlite3', database, logger }).catch(() => undefined);
    expect(migrationMessages.join('\n')).to.match(/Migration "\w+" failed, error: /);
  });
});
