import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bootstrap } from '../../src';
import { HelloWorldFlow } from '../../samples';
import { tempSqlite } from '../support/temp-database';

describe('persistence: a SQLite path through a folder that does not exist (a mistyped --database)', () => {
  const sqlite = tempSqlite();
  const warnings: string[] = [];
  const listener = (warning: Error) => {
    if (warning.name === 'SynergyFlowWarning') warnings.push(warning.message);
  };
  before(() => process.on('warning', listener));
  after(() => {
    process.off('warning', listener);
    sqlite.cleanup();
  });

  /** Bootstraps on that file, opens the database, closes; returns the warnings said meanwhile. */
  async function open(file: string): Promise<string[]> {
    warnings.length = 0;
    const app = await bootstrap({
      flows: [HelloWorldFlow],
      database: { type: 'better-sqlite3', database: file },
      logDirectory: path.join(sqlite.dir, 'logs'),
      handleSignals: false,
    });
    try {
      await app.ready();
      // a process warning is emitted on the next turn
      await new Promise((resolve) => setImmediate(resolve));
      return [...warnings];
    } finally {
      await app.close();
    }
  }

  it('creates the database and its folders, and says so once, naming both and what to check', async () => {
    const file = path.join(sqlite.dir, 'dta', 'etl', 'x.db');
    expect(await open(file)).to.deep.equal([
      `created a new, empty SQLite database at ${file}, and the folder ${path.join(sqlite.dir, 'dta')}, which did not exist: ` +
        'if you meant the database of earlier runs, check its path (the database option or SYNERGY_FLOW_DATABASE)',
    ]);
    expect(fs.existsSync(file)).to.equal(true);
    // opened again: its folder is there now, nothing to say
    expect(await open(file)).to.deep.equal([]);
  });

  it('a new file in a folder that exists (a first run) is created without a word, as before', async () => {
    expect(await open(path.join(sqlite.dir, 'first.db'))).to.deep.equal([]);
  });
});
