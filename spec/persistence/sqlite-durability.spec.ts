import { expect } from 'chai';
import type { Database } from 'better-sqlite3';
import * as path from 'node:path';
import { bootstrap } from '../../src';
import { createDataSource } from '../../src/persistence';
import { sqliteConnection } from '../../src/persistence/sqlite-connection';
import { HelloWorldFlow } from '../../samples';
import { tempSqlite } from '../support/temp-database';

/** SQLite's `PRAGMA synchronous` values, by name. */
const SYNCHRONOUS = { NORMAL: 1, FULL: 2 } as const;

/**
 * What survives a power loss on SQLite (README "Reliability", docs/reliability.md "Crashes"): the
 * engine's connection runs WAL with synchronous=NORMAL unless the application asks for FULL
 * through `prepareDatabase`, and the docs promise exactly that.
 */
/** The journal mode and sync setting of the connection the engine opens with these options. */
async function connectionSettings(options: Parameters<typeof createDataSource>[0]): Promise<{ journal: unknown; synchronous: unknown }> {
  const dataSource = await createDataSource(options);
  try {
    const connection = sqliteConnection(dataSource)!;
    return {
      journal: connection.pragma('journal_mode', { simple: true }),
      synchronous: connection.pragma('synchronous', { simple: true }),
    };
  } finally {
    await dataSource.destroy();
  }
}

describe('persistence: SQLite durability settings', function () {
  this.timeout(30_000);

  it('opens SQLite in WAL mode with synchronous=NORMAL by default: commits are synced at checkpoints, not one by one', async () => {
    const db = tempSqlite();
    try {
      expect(await connectionSettings(db.database)).to.deep.equal({ journal: 'wal', synchronous: SYNCHRONOUS.NORMAL });
    } finally {
      db.cleanup();
    }
  });

  it('takes synchronous=FULL from prepareDatabase, still in WAL mode, and runs flows with it', async () => {
    const db = tempSqlite();
    const prepareDatabase = (connection: Database) => connection.pragma('synchronous = FULL');
    expect(await connectionSettings({ ...db.database, prepareDatabase })).to.deep.equal({ journal: 'wal', synchronous: SYNCHRONOUS.FULL });
    // The option as a user passes it, through bootstrap's validation, on the same file.
    const app = await bootstrap({
      flows: [HelloWorldFlow],
      database: { ...db.database, prepareDatabase },
      logDirectory: path.join(db.dir, 'logs'),
    });
    try {
      const result = await app.run('hello_world', { timeperiod: '2026120600' });
      expect(result.state).to.equal('processed');
    } finally {
      await app.close();
      db.cleanup();
    }
  });
});
