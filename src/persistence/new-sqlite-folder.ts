import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatabaseOptions } from './database-options';
import { sqliteFileOf } from './database-description';

/**
 * The outermost folder of a SQLite file's path that does not exist, which opening the database
 * creates (TypeORM's driver makes the folders): undefined when the folder is there, or for another
 * database. A path through a missing folder is the mark of a mistyped one (`./dta/etl.db`), and
 * opening it gives an empty database where the user expected their history.
 */
export function missingSqliteFolder(options: DatabaseOptions): string | undefined {
  const file = sqliteFileOf(options);
  if (file === undefined) return undefined;
  let missing: string | undefined;
  for (let folder = path.dirname(file); !fs.existsSync(folder) && path.dirname(folder) !== folder; folder = path.dirname(folder))
    missing = folder;
  return missing;
}

/** Said once the database is open (a SynergyFlowWarning, on stderr unless the program listens for it). */
export function newSqliteFolderWarning(options: DatabaseOptions, folder: string): string {
  return (
    `created a new, empty SQLite database at ${sqliteFileOf(options)}, and the folder ${folder}, which did not exist: ` +
    'if you meant the database of earlier runs, check its path (the database option or SYNERGY_FLOW_DATABASE)'
  );
}
