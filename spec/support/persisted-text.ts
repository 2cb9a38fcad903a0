import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The contents of every log file under `logDirectory`, one string a file: what a secret must never reach. */
export function logFileTexts(logDirectory: string): string[] {
  const files = fs.readdirSync(logDirectory, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return files.map((f) => fs.readFileSync(path.join(f.parentPath, f.name), 'utf8'));
}

/** Every row of every table of a SQLite file, as JSON lines: what a secret must never reach. */
export function databaseText(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
    return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n');
  } finally {
    db.close();
  }
}
