import * as path from 'node:path';
import Database from 'better-sqlite3';
import { createDataSource } from '../src/persistence';
import { distribution, medianBy, perSecond, type Distribution } from './stats';
import { scratchDirectory } from './scratch';

export interface SqliteBaselineFigures {
  steps: number;
  stepsPerSecond: number;
  commitsPerSecond: number;
  commitMs: Distribution;
  journalMode: string;
  synchronous: string;
  /** When sampled several times: every sample's steps/s, in the order measured (this one is the median). */
  samples?: number[];
}

const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

/**
 * The baseline measured `samples` times in a row, each on a fresh file: the median sample, with
 * every sample's steps/s. On this VM one sample could be 30% off the next, from one second to the
 * other; a ratio to a single sample said as much about that second as about the engine.
 */
export async function sampleSqliteTwoCommitBaseline(steps: number, samples: number): Promise<SqliteBaselineFigures> {
  const measured: SqliteBaselineFigures[] = [];
  for (let i = 0; i < samples; i++) measured.push(await runSqliteTwoCommitBaseline(steps));
  const median = medianBy(measured, (m) => m.stepsPerSecond);
  return { ...median, samples: measured.map((m) => m.stepsPerSecond) };
}

/**
 * The physical limit of per-transition durability on this disk: raw better-sqlite3 committing
 * the two transitions a step needs (in_progress, then processed), one transaction each, in a
 * loop. Same file system, same schema (created by the engine), same journal and sync settings.
 */
export async function runSqliteTwoCommitBaseline(steps: number): Promise<SqliteBaselineFigures> {
  const dir = scratchDirectory('sqlite-');
  const file = path.join(dir, 'baseline.db');
  // The engine's own data source creates the schema, so indexes and column types match.
  const dataSource = await createDataSource({ type: 'better-sqlite3', database: file });
  await dataSource.destroy();

  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    const journalMode = String(db.pragma('journal_mode', { simple: true }));
    const synchronous = SYNCHRONOUS[Number(db.pragma('synchronous', { simple: true }))] ?? 'unknown';
    const insert = db.prepare(
      `INSERT INTO step (flow_id, flow_name, step_name, timeperiod, state, attempt, created_at) VALUES (1, 'baseline', ?, '2026112600', 'embryo', 0, ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < steps; i++) insert.run(`s${i}`, sqliteNow());
    })();
    const ids = (db.prepare('SELECT id FROM step ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
    const start = db.prepare('UPDATE step SET state = ?, attempt = ?, started_at = ?, finished_at = NULL, error = NULL WHERE id = ?');
    const finish = db.prepare('UPDATE step SET state = ?, finished_at = ? WHERE id = ?');

    const commitMs: number[] = [];
    const began = performance.now();
    for (const id of ids) {
      let t = performance.now();
      start.run('in_progress', 1, sqliteNow(), id); // autocommit: one transaction
      const mid = performance.now();
      commitMs.push(mid - t);
      t = mid;
      finish.run('processed', sqliteNow(), id);
      commitMs.push(performance.now() - t);
    }
    const elapsed = performance.now() - began;
    return {
      steps,
      stepsPerSecond: perSecond(steps, elapsed),
      commitsPerSecond: perSecond(2 * steps, elapsed),
      commitMs: distribution(commitMs)!,
      journalMode,
      synchronous,
    };
  } finally {
    db.close();
  }
}

/** TypeORM's datetime text for SQLite, so the rows look like the engine's. */
function sqliteNow(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 23);
}
