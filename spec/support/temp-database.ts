import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh SQLite file per call, in its own temp directory (removed by `cleanup`). */
export function tempSqlite(): { database: { type: 'better-sqlite3'; database: string }; file: string; dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-spec-'));
  const file = path.join(dir, 'state.db');
  return { database: { type: 'better-sqlite3', database: file }, file, dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
